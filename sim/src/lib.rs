//! sim crate (in progress).
