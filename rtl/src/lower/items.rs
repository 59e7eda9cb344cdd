//! Lowering of design units, declarations, types, instances, generate
//! constructs and functions.

use super::Cx;
use crate::ast::*;
use crate::diag::Result;

/// Lower the whole tree of one file into `unit`.
pub fn lower_source_text(cx: &mut Cx, unit: &mut SourceUnit) -> Result<()> {
    let _ = unit;
    let tree = cx.tree;
    for node in tree {
        if let sv_parser::RefNode::SourceText(st) = node {
            return Err(cx.unsupported(st, "lowering not implemented yet"));
        }
    }
    Ok(())
}

/// A data type (`logic [3:0]`, `int unsigned`, `state_t`, `struct packed {...}`).
pub fn lower_data_type(cx: &mut Cx, t: &sv_parser::DataType) -> Result<DataType> {
    Err(cx.unsupported(t, "data type"))
}

/// Declarations at the top of a block or function (`logic [3:0] tmp;`,
/// `int i;`, `localparam X = 1;`). Parameters come back as `VarDecl` with
/// `is_const` set.
pub fn lower_block_item_decl(
    cx: &mut Cx,
    d: &sv_parser::BlockItemDeclaration,
) -> Result<Vec<VarDecl>> {
    Err(cx.unsupported(d, "block declaration"))
}

pub fn lower_packed_dim(cx: &mut Cx, d: &sv_parser::PackedDimension) -> Result<Dim> {
    Err(cx.unsupported(d, "packed dimension"))
}

pub fn lower_unpacked_dim(cx: &mut Cx, d: &sv_parser::UnpackedDimension) -> Result<Dim> {
    Err(cx.unsupported(d, "unpacked dimension"))
}
