// Bits of one word that depend on other bits of the same word: a loop for
// a word-level view, none bit by bit. A ripple chain through `w` and a
// shift built by concatenation with the word itself.
module bit_loop (
    input  logic       clk,
    input  logic [3:0] a,
    output logic [3:0] w,
    output logic [3:0] sh,
    output logic [3:0] r
);
  // w[i] = w[i-1] ^ a[i]: a prefix XOR through the word's own bits.
  assign w[0] = a[0];
  assign w[1] = w[0] ^ a[1];
  assign w[3:2] = {w[2] ^ a[3], w[1] ^ a[2]};
  // sh = {a[0], a[0], a[0], a[0]} through its own bits.
  assign sh = {sh[2:0], a[0]};
  always_ff @(posedge clk) r <= w;

`ifdef FORMAL
  a_prefix: assert property (@(posedge clk) w == {^a, ^a[2:0], ^a[1:0], a[0]});
  a_shift: assert property (@(posedge clk) sh == {4{a[0]}});
  // Planted: w[3] is the parity of all four bits, not of three.
  a_bad: assert property (@(posedge clk) w[3] == ^a[2:0]);
`endif
endmodule
