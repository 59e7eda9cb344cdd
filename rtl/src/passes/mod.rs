//! IR transforms shared by both engines, one per file (as in Yosys).
