//! Reading source files (UTF-8, no NUL bytes, size limit) and writing them back atomically.

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

/// Files larger than this are refused with a clear error rather than parsed.
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Refuse a file over [`MAX_FILE_SIZE`].
fn check_size(len: u64) -> Result<(), String> {
    if len > MAX_FILE_SIZE {
        return Err(format!(
            "file is too large ({} MiB; the limit is {} MiB)",
            len >> 20,
            MAX_FILE_SIZE >> 20
        ));
    }
    Ok(())
}

/// Decode raw bytes as a Python source file. The text is kept exactly (BOM, CRLF, tabs).
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    decode_slice(&bytes)?;
    Ok(String::from_utf8(bytes).expect("checked by decode_slice"))
}

/// Check raw bytes as a Python source file (see [`decode`]) without copying them.
pub fn decode_slice(bytes: &[u8]) -> Result<&str, String> {
    check_size(bytes.len() as u64)?;
    if let Some(pos) = memchr::memchr(0, bytes) {
        return Err(format!("binary file (NUL byte at offset {pos}); not Python source"));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let pos = e.valid_up_to();
        let line = bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1;
        format!(
            "not valid UTF-8 (invalid byte 0x{:02x} at offset {pos}, line {line})",
            bytes[pos]
        )
    })
}

/// Read a file into `buf` (reused from file to file: no fresh allocation per file) and
/// check it as Python source.
pub fn read_into<'b>(path: &Path, buf: &'b mut Vec<u8>) -> Result<&'b str, String> {
    // One open and one stat of the open file: this runs for every file of the project.
    let file = fs::File::open(path).map_err(|e| io_reason(&e))?;
    let meta = file.metadata().map_err(|e| io_reason(&e))?;
    if meta.is_dir() {
        return Err("is a directory".to_string());
    }
    check_size(meta.len())?;
    buf.clear();
    buf.reserve(meta.len() as usize + 1);
    // Through `take`, `read_to_end` asks for no size again; the limit also holds if the file
    // grew since.
    (&file)
        .take(MAX_FILE_SIZE + 1)
        .read_to_end(buf)
        .map_err(|e| io_reason(&e))?;
    if buf.len() as u64 > MAX_FILE_SIZE {
        return Err(format!(
            "file is too large (more than {} MiB, the limit)",
            MAX_FILE_SIZE >> 20
        ));
    }
    decode_slice(buf)
}

/// Read a file, giving a one-line reason on failure.
pub fn read_file(path: &Path) -> Result<String, String> {
    let meta = fs::metadata(path).map_err(|e| io_reason(&e))?;
    if meta.is_dir() {
        return Err("is a directory".to_string());
    }
    check_size(meta.len())?;
    let bytes = fs::read(path).map_err(|e| io_reason(&e))?;
    decode(bytes)
}

/// Read all of standard input, undecoded.
pub fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    io::stdin().read_to_end(&mut bytes).map_err(|e| io_reason(&e))?;
    Ok(bytes)
}

pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            // Drop the "(os error N)" suffix: the message names the problem already.
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// Replace `path` with `contents` atomically: a temporary file in the same folder,
/// the original permissions copied onto it, then a rename over the original.
pub fn write_atomic(path: &Path, contents: &str) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let permissions = fs::metadata(path)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".asyncfix-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(contents.as_bytes())?;
    tmp.as_file().sync_all()?;
    fs::set_permissions(tmp.path(), permissions)?;
    #[cfg(unix)]
    {
        // Keep the owner too where we may (running as root); otherwise this fails harmlessly.
        use std::os::unix::fs::MetadataExt;
        let meta = fs::metadata(path)?;
        let _ = std::os::unix::fs::chown(tmp.path(), Some(meta.uid()), Some(meta.gid()));
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_rejects_binary_and_bad_utf8() {
        assert!(decode(b"x = 1\n".to_vec()).is_ok());
        assert!(decode(b"".to_vec()).unwrap().is_empty());
        assert!(decode(b"a\0b".to_vec()).unwrap_err().contains("NUL"));
        let err = decode(b"x = 1\ny = '\xff'\n".to_vec()).unwrap_err();
        assert!(err.contains("UTF-8") && err.contains("line 2"), "{err}");
        assert_eq!(decode(b"\xef\xbb\xbfx\r\n".to_vec()).unwrap(), "\u{feff}x\r\n");
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.py");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o754)).unwrap();
        write_atomic(&p, "new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o754);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file left");
    }
}
