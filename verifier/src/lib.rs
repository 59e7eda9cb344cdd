//! The part of the verifier its integration tests share with the `verify`
//! binary: the regression manifest format and clock files.

pub mod clock_file;

#[path = "regress/manifest.rs"]
pub mod manifest;
