//! The part of the verifier its integration tests share with the `verify`
//! binary: the regression manifest format.

#[path = "regress/manifest.rs"]
pub mod manifest;
