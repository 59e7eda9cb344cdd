// Clock divider: a register toggling on every rising edge of clk is the
// clock of a second counter (a derived clock), and a third counter runs on
// the falling edge of clk. On a global clock the divided clock changes
// with the registers of its domain and clocks its own registers in the
// same tick, as in an event-driven simulator.
module clock_divider (
    input  logic       clk,
    input  logic       rst,
    output logic       div2,
    output logic [3:0] fast,
    output logic [2:0] slow,
    output logic [3:0] falls
);
  always_ff @(posedge clk or posedge rst)
    if (rst) begin
      div2 <= 1'b0;
      fast <= 4'd0;
    end else begin
      div2 <= ~div2;
      fast <= fast + 4'd1;
    end

  // Counts the rising edges of div2: one for every two edges of clk.
  always_ff @(posedge div2 or posedge rst)
    if (rst) slow <= 3'd0;
    else slow <= slow + 3'd1;

  // Counts the falling edges of clk.
  always_ff @(negedge clk or posedge rst)
    if (rst) falls <= 4'd0;
    else falls <= falls + 4'd1;

`ifdef FORMAL
  // Checked on every tick of the global clock.
  always_comb
    if (!rst) begin
      a_phase: assert (div2 == fast[0]);
      a_half: assert (slow == 3'((5'(fast) + 5'd1) >> 1));
    end
  // Between a rising and the next falling edge, both counters agree.
  always_ff @(negedge clk) if (!rst) a_falls: assert (falls == fast - 4'd1 || falls == fast);
  c_slow: cover property (@(posedge div2) slow == 3'd5);
`endif
endmodule
