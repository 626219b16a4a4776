//! The identifiers of a text, found by a byte scan (strings and comments included: a
//! superset of the names the code uses). This runs over every file the prefilter does not
//! parse, so it classifies 64 bytes at a time.

/// Calls `f` with each identifier of `text` and whether it may be called: followed, across
/// white space and line breaks, by `(`, by a comment, or by `as` (an import under another
/// name). Numbers (`1e5`, `0x_ff`) are not identifiers; any byte of a non-ASCII character
/// counts as part of one.
pub fn for_each_identifier(text: &str, mut f: impl FnMut(&[u8], bool)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut emit = |start: usize, end: usize| {
        if bytes[start].is_ascii_digit() {
            return;
        }
        let mut j = end;
        while j < n && matches!(bytes[j], b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\\') {
            j += 1;
        }
        let called = match bytes.get(j) {
            Some(b'(' | b'#') => true,
            Some(b'a') => bytes.get(j + 1) == Some(&b's') && bytes.get(j + 2).is_none_or(|&b| !is_word_byte(b)),
            _ => false,
        };
        f(&bytes[start..end], called);
    };
    // An identifier still open at the end of the previous chunk: where it started.
    let mut open: Option<usize> = None;
    let mut base = 0;
    while base < n {
        let mask = match bytes.get(base..base + 64) {
            Some(chunk) => word_mask(chunk.try_into().expect("64 bytes")),
            None => {
                let mut last = [0u8; 64];
                last[..n - base].copy_from_slice(&bytes[base..]);
                word_mask(&last)
            }
        };
        let mut bits = mask;
        if let Some(start) = open {
            let end = (!mask).trailing_zeros() as usize;
            if end == 64 {
                base += 64;
                continue;
            }
            emit(start, base + end);
            open = None;
            bits &= u64::MAX << end;
        }
        while bits != 0 {
            let start = bits.trailing_zeros() as usize;
            let end = start + (!(bits >> start)).trailing_zeros() as usize;
            if end >= 64 {
                open = Some(base + start);
                break;
            }
            emit(base + start, base + end);
            bits &= u64::MAX << end;
        }
        base += 64;
    }
    if let Some(start) = open {
        emit(start, n);
    }
}

/// May the byte be part of an identifier: ASCII letters, digits, `_`, or any byte of a
/// non-ASCII character.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Bit `i` set when `chunk[i]` is a word byte.
#[cfg(target_arch = "x86_64")]
fn word_mask(chunk: &[u8; 64]) -> u64 {
    use std::arch::x86_64::*;
    let mut mask = 0u64;
    // SAFETY: SSE2 is part of the x86_64 baseline, and each load reads 16 of the 64 bytes
    // of `chunk` (unaligned loads are allowed).
    unsafe {
        let lower = _mm_set1_epi8(0x20);
        let a = _mm_set1_epi8(b'a' as i8);
        let zero_digit = _mm_set1_epi8(b'0' as i8);
        let letters = _mm_set1_epi8(25);
        let digits = _mm_set1_epi8(9);
        let underscore = _mm_set1_epi8(b'_' as i8);
        let zero = _mm_setzero_si128();
        for k in 0..4 {
            let v = _mm_loadu_si128(chunk.as_ptr().add(k * 16).cast());
            // Unsigned `x <= max` as `min(x, max) == x`.
            let l = _mm_sub_epi8(_mm_or_si128(v, lower), a);
            let letter = _mm_cmpeq_epi8(_mm_min_epu8(l, letters), l);
            let d = _mm_sub_epi8(v, zero_digit);
            let digit = _mm_cmpeq_epi8(_mm_min_epu8(d, digits), d);
            let under = _mm_cmpeq_epi8(v, underscore);
            let high = _mm_cmplt_epi8(v, zero);
            let word = _mm_or_si128(_mm_or_si128(letter, digit), _mm_or_si128(under, high));
            mask |= u64::from(_mm_movemask_epi8(word) as u16) << (k * 16);
        }
    }
    mask
}

#[cfg(not(target_arch = "x86_64"))]
fn word_mask(chunk: &[u8; 64]) -> u64 {
    chunk
        .iter()
        .enumerate()
        .fold(0, |mask, (i, &b)| mask | (u64::from(is_word_byte(b)) << i))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same, byte by byte.
    fn reference(text: &str) -> Vec<(String, bool)> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if !is_word_byte(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && is_word_byte(bytes[i]) {
                i += 1;
            }
            if bytes[start].is_ascii_digit() {
                continue;
            }
            let rest = text[i..].trim_start_matches([' ', '\t', '\r', '\n', '\x0c', '\\']);
            let called = rest.starts_with(['(', '#'])
                || rest
                    .strip_prefix("as")
                    .is_some_and(|r| !r.bytes().next().is_some_and(is_word_byte));
            out.push((text[start..i].to_string(), called));
        }
        out
    }

    fn scan(text: &str) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        for_each_identifier(text, |w, called| {
            out.push((String::from_utf8(w.to_vec()).expect("whole characters"), called))
        });
        out
    }

    #[test]
    fn identifiers_and_calls() {
        let text = "from .api import notify as n  # x\nn (1)\nx = f\\\n(2) + 1e5 + 0x_ff\nclass C(Base): self.send()\nasync_ = é_ü(3); wait as_x";
        assert_eq!(scan(text), reference(text));
        let names: Vec<(String, bool)> = scan("notify as n\nf(x, y)\n1e5 é_ü");
        assert_eq!(
            names,
            [
                ("notify", true),
                ("as", false),
                ("n", false),
                ("f", true),
                ("x", false),
                ("y", false),
                ("é_ü", false)
            ]
            .map(|(w, c)| (w.to_string(), c))
        );
    }

    #[test]
    fn chunk_boundaries() {
        // Identifiers of every length around the 64-byte chunks, at every offset.
        for len in [1, 2, 63, 64, 65, 127, 128, 129] {
            for offset in 0..70 {
                let text = format!(
                    "{}{} (x){}",
                    " ".repeat(offset),
                    "a".repeat(len),
                    "b_1".repeat(offset % 5)
                );
                assert_eq!(scan(&text), reference(&text), "len {len}, offset {offset}");
            }
        }
        assert!(scan("").is_empty());
        assert_eq!(scan("z"), reference("z"));
    }
}
