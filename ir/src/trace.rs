//! The stimulus / trace file format shared by every engine (this is its definition):
//!
//! ```json
//! {"top": "fifo", "clock": "clk", "ports": ["rst", "push", "din"],
//!  "widths": [1, 1, 8], "init": {"fifo.count": "0"},
//!  "cycles": [["1", "0", "00"], ["0", "1", "a5"]]}
//! ```
//!
//! Values are lower-case hexadecimal without prefix. `init` gives the cycle-0
//! value of registers that have no initial value in the design (formal
//! witnesses set them; simulation otherwise seeds them). `mem_init` does the
//! same for memory words (`{"mem": {"3": "ff"}}`).

use crate::bits::Bits;
use crate::netlist::Design;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    pub top: String,
    #[serde(default)]
    pub clock: Option<String>,
    pub ports: Vec<String>,
    pub widths: Vec<u32>,
    #[serde(default)]
    pub init: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub mem_init: BTreeMap<String, BTreeMap<String, String>>,
    pub cycles: Vec<Vec<String>>,
    /// Free-form facts about where the trace came from (property, engine, seed).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub meta: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TraceError {
    #[error("trace is for top `{found}`, the design's top is `{expected}`")]
    WrongTop { expected: String, found: String },
    #[error("trace has {ports} ports but {widths} widths")]
    Shape { ports: usize, widths: usize },
    #[error("trace port `{0}` is not an input of the design")]
    UnknownPort(String),
    #[error("trace port `{port}` has width {found}, the design's input has {expected}")]
    PortWidth {
        port: String,
        expected: u32,
        found: u32,
    },
    #[error("cycle {cycle}: expected {expected} values, found {found}")]
    RowLength {
        cycle: usize,
        expected: usize,
        found: usize,
    },
    #[error("cycle {cycle}, port `{port}`: `{value}` is not a {width}-bit hexadecimal value")]
    BadValue {
        cycle: usize,
        port: String,
        value: String,
        width: u32,
    },
    #[error("init: `{0}` is not a register of the design")]
    UnknownReg(String),
    #[error("init of `{name}`: `{value}` is not a {width}-bit hexadecimal value")]
    BadInit {
        name: String,
        value: String,
        width: u32,
    },
}

impl Trace {
    /// An empty trace whose columns are the design's inputs, in order.
    pub fn for_design(d: &Design) -> Trace {
        Trace {
            top: d.top.clone(),
            clock: d.clock.clone(),
            ports: d.inputs.iter().map(|i| i.name.clone()).collect(),
            widths: d.inputs.iter().map(|i| i.width).collect(),
            ..Trace::default()
        }
    }

    pub fn push_cycle(&mut self, values: &[Bits]) {
        self.cycles
            .push(values.iter().map(|b| b.to_hex()).collect());
    }

    /// Check the trace against a design and decode it: for each cycle, one
    /// value per design input in the design's order. Inputs the trace does
    /// not name are held at zero.
    pub fn decode(&self, d: &Design) -> Result<Vec<Vec<Bits>>, TraceError> {
        if self.top != d.top {
            return Err(TraceError::WrongTop {
                expected: d.top.clone(),
                found: self.top.clone(),
            });
        }
        if self.ports.len() != self.widths.len() {
            return Err(TraceError::Shape {
                ports: self.ports.len(),
                widths: self.widths.len(),
            });
        }
        let mut column = Vec::new();
        for (p, w) in self.ports.iter().zip(&self.widths) {
            let i = d
                .inputs
                .iter()
                .position(|inp| &inp.name == p)
                .ok_or_else(|| TraceError::UnknownPort(p.clone()))?;
            if d.inputs[i].width != *w {
                return Err(TraceError::PortWidth {
                    port: p.clone(),
                    expected: d.inputs[i].width,
                    found: *w,
                });
            }
            column.push(i);
        }
        let mut out = Vec::with_capacity(self.cycles.len());
        for (c, row) in self.cycles.iter().enumerate() {
            if row.len() != self.ports.len() {
                return Err(TraceError::RowLength {
                    cycle: c,
                    expected: self.ports.len(),
                    found: row.len(),
                });
            }
            let mut vals: Vec<Bits> = d.inputs.iter().map(|i| Bits::zero(i.width)).collect();
            for ((v, &i), p) in row.iter().zip(&column).zip(&self.ports) {
                let w = d.inputs[i].width;
                vals[i] = Bits::from_hex(w, v).ok_or_else(|| TraceError::BadValue {
                    cycle: c,
                    port: p.clone(),
                    value: v.clone(),
                    width: w,
                })?;
            }
            out.push(vals);
        }
        Ok(out)
    }

    /// Decode `init` into (register index, value) pairs.
    pub fn decode_init(&self, d: &Design) -> Result<Vec<(usize, Bits)>, TraceError> {
        let mut out = Vec::new();
        for (name, v) in &self.init {
            let i = d
                .regs
                .iter()
                .position(|r| &r.name == name)
                .ok_or_else(|| TraceError::UnknownReg(name.clone()))?;
            let w = d.regs[i].width;
            let b = Bits::from_hex(w, v).ok_or_else(|| TraceError::BadInit {
                name: name.clone(),
                value: v.clone(),
                width: w,
            })?;
            out.push((i, b));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::Builder;
    use crate::source::Span;

    #[test]
    fn decode_checks_shape_and_values() {
        let mut b = Builder::new("t");
        b.input("a", 4, false, Span::NONE);
        b.input("b", 1, false, Span::NONE);
        let d = b.finish().unwrap();
        let mut t = Trace::for_design(&d);
        t.push_cycle(&[Bits::from_u64(4, 9), Bits::from_u64(1, 1)]);
        let rows = t.decode(&d).unwrap();
        assert_eq!(rows[0][0].to_u64(), Some(9));
        let json = serde_json::to_string(&t).unwrap();
        let back: Trace = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
        t.cycles.push(vec!["1f".into(), "0".into()]);
        assert!(matches!(t.decode(&d), Err(TraceError::BadValue { .. })));
    }
}
