//! Edits, fixes and findings; getting modules into reach; the fix rounds and their verification.

pub mod apply;
pub mod builders;
pub mod edit;
pub mod imports;
pub mod layout;
pub mod unused;
