// Latches in cycle semantics: a latch holds its last value while its enable
// is off and shows its data while on. Three forms: always_latch, a latch
// inferred from an incomplete `always @*`, and a `unique case` without a
// default in always_comb, which is read as full (no latch).
module latch_level (
    input  logic       clk,
    input  logic       rst,
    input  logic       en,
    input  logic [7:0] d,
    input  logic       s0,
    input  logic       s1,
    output logic [7:0] q,
    output logic [7:0] q2,
    output logic [3:0] y
);
  // Explicit latch with a reset level.
  always_latch
    if (rst) q <= 8'd0;
    else if (en) q <= d;

  // Inferred latch: no assignment when en is on and d[0] is 0.
  always @* begin
    if (rst) q2 = 8'h5a;
    else if (en && d[0]) q2 = d ^ 8'hff;
  end

  // Never 3 (so an event-driven simulator, which holds y when no arm
  // matches, agrees); the missing arm is don't-care, not a latch.
  logic [1:0] sel;
  assign sel = {s1, s0 & ~s1};
  always_comb begin
    unique case (sel)
      2'd0: y = d[3:0];
      2'd1: y = d[7:4];
      2'd2: y = ~d[3:0];
    endcase
  end

`ifdef FORMAL
  logic past_valid = 1'b0;
  always_ff @(posedge clk) past_valid <= 1'b1;
  // Transparent: the latch shows this cycle's data.
  a_open: assert property (@(posedge clk) (!rst && en) |-> q == d);
  // Closed: it shows what it showed last cycle.
  a_hold: assert property (@(posedge clk) past_valid && !rst && !en |-> q == $past(q));
  a_hold2: assert property (@(posedge clk) past_valid && !rst && !(en && d[0]) |-> q2 == $past(q2));
  a_open2: assert property (@(posedge clk) (!rst && en && d[0]) |-> q2 == ~d);
  a_reset: assert property (@(posedge clk) rst |-> q == 8'd0 && q2 == 8'h5a);
  a_case: assert property (@(posedge clk) s1 |-> y == ~d[3:0]);
  // Planted: a closed latch does not follow its data.
  a_bad_follow: assert property (@(posedge clk) !rst |-> q == d);
  c_hold: cover property (@(posedge clk) !rst && !en && q != d);
`endif
endmodule
