// Macros for rom_lookup: sizes, helper macros with arguments, and a
// configuration chosen by `ifdef / `elsif.
`ifndef ROM_DEFS_SVH
`define ROM_DEFS_SVH

`define ROM_AW 5
`define ROM_DW 8

// Saturating unsigned add of two w-bit values.
`define SAT_ADD(a, b, w) (((({1'b0, a} + {1'b0, b}) >> (w)) != 0) ? {(w){1'b1}} : ((a) + (b)))
`define MAX(a, b) (((a) > (b)) ? (a) : (b))

`ifdef ROM_PEAK_HOLD
  `define PEAK_MODE 2'd2
`elsif ROM_PEAK_DECAY
  `define PEAK_MODE 2'd1
`else
  `define PEAK_MODE 2'd0
`endif

`endif
