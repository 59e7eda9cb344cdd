//! testgen crate (in progress).
