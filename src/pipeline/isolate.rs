//! Per-file isolation: a panic while reading, analysing or fixing one file is caught and
//! becomes an internal error for that file; the run goes on with the others.
//!
//! The default panic hook prints a message (and, with `RUST_BACKTRACE`, a backtrace) over the
//! report. [`install_hook`] replaces it with one that keeps the message and the place for
//! [`catch`] to hand to the report instead; panics outside [`catch`] are still printed.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    /// Set while [`catch`] runs on this thread: the hook records instead of printing.
    static CATCHING: RefCell<usize> = const { RefCell::new(0) };
    /// What the hook recorded of the last panic on this thread: `message at file:line:col`.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Install the recording hook (once, from `main`; tests that call [`catch`] without it get
/// the payload's message only).
pub fn install_hook() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if CATCHING.with_borrow(|n| *n) == 0 {
            default(info);
            return;
        }
        let place = info
            .location()
            .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        LAST.with_borrow_mut(|last| *last = Some(format!("{}{place}", payload_message(info.payload()))));
    }));
}

/// Run `work`; a panic inside it comes back as `Err(description)`.
pub fn catch<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    CATCHING.with_borrow_mut(|n| *n += 1);
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    CATCHING.with_borrow_mut(|n| *n -= 1);
    result.map_err(|payload| {
        LAST.with_borrow_mut(Option::take)
            .unwrap_or_else(|| payload_message(payload.as_ref()))
    })
}

fn payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// A panic on purpose, for the tests of the isolation (debug builds only): when
/// `ASYNCFIX_INJECT_PANIC` is set, analysing a text that contains its value panics.
#[cfg(debug_assertions)]
pub fn injected_panic(source: &str) {
    static NEEDLE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let needle = NEEDLE.get_or_init(|| std::env::var("ASYNCFIX_INJECT_PANIC").ok().filter(|s| !s.is_empty()));
    if let Some(needle) = needle {
        if source.contains(needle.as_str()) {
            panic!("injected panic (ASYNCFIX_INJECT_PANIC)");
        }
    }
}

#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn injected_panic(_source: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error() {
        assert_eq!(catch(|| 1), Ok(1));
        let err = catch(|| -> u8 { panic!("boom {}", 7) }).unwrap_err();
        assert!(err.contains("boom 7"), "{err}");
        let err = catch(|| -> u8 { panic!("static") }).unwrap_err();
        assert!(err.contains("static"), "{err}");
    }
}
