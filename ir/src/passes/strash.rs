//! Structural hashing: nodes with the same operator, operands and width are
//! merged into the first one (whose span is kept). Operands of commutative
//! operators are put in a canonical order first, so `a + b` and `b + a`
//! merge too; constants with equal values merge.

use crate::netlist::{Design, Node, NodeId, Op};
use std::collections::HashMap;

pub fn strash(design: &Design) -> Design {
    let mut nodes: Vec<Node> = Vec::with_capacity(design.nodes.len());
    let mut map: Vec<NodeId> = Vec::with_capacity(design.nodes.len());
    let mut seen: HashMap<(Op, u32), NodeId> = HashMap::new();
    for node in &design.nodes {
        let op = canonical(node.op.map_operands(|a| map[a.index()]));
        let key = (op, node.width);
        let id = match seen.get(&key) {
            Some(id) => *id,
            None => {
                let id = NodeId(nodes.len() as u32);
                nodes.push(Node {
                    op: key.0.clone(),
                    width: node.width,
                    span: node.span,
                });
                seen.insert(key, id);
                id
            }
        };
        map.push(id);
    }
    super::with_nodes(design, nodes, &map)
}

/// Commutative operands in ascending order.
fn canonical(op: Op) -> Op {
    match op {
        Op::Binary(b, x, y) if b.is_commutative() && y < x => Op::Binary(b, y, x),
        op => op,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bits::Bits;
    use crate::builder::Builder;
    use crate::netlist::BinOp;
    use crate::source::{FileId, Span};

    #[test]
    fn merges_commutative_and_constants() {
        let mut b = Builder::new("t");
        let x = b.input("x", 8, false, Span::NONE);
        let y = b.input("y", 8, false, Span::NONE);
        let s1 = b.node(Op::Binary(BinOp::Add, x, y), 8, Span::new(FileId(0), 1, 2));
        let s2 = b.node(Op::Binary(BinOp::Add, y, x), 8, Span::new(FileId(0), 5, 6));
        let d1 = b.binary(BinOp::Sub, x, y);
        let d2 = b.binary(BinOp::Sub, y, x);
        let c1 = b.const_u64(8, 3);
        let c2 = b.const_u64(8, 3);
        let c3 = b.const_u64(9, 3);
        let o = b.concat(vec![s1, s2, d1, d2, c1, c2]);
        b.output("o", o, false, Span::NONE);
        b.output("c3", c3, false, Span::NONE);
        let d = b.finish().unwrap();
        let s = strash(&d);
        s.validate().unwrap();
        let Op::Concat(parts) = &s.node(s.outputs[0].node).op else {
            panic!("not a concat")
        };
        assert_eq!(parts[0], parts[1], "a+b and b+a merge");
        assert_ne!(parts[2], parts[3], "a-b and b-a stay apart");
        assert_eq!(parts[4], parts[5], "equal constants merge");
        assert_eq!(s.node(parts[0]).span, Span::new(FileId(0), 1, 2));
        assert_eq!(
            s.node(s.outputs[1].node).op,
            Op::Const(Bits::from_u64(9, 3))
        );
        assert_eq!(s.nodes.len(), d.nodes.len() - 2);
    }
}
