//! Elaboration: AST → IR.
