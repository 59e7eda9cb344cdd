//! solver crate (in progress).
