// Leading-zero count, population count and lowest set bit of a 16-bit
// word, each computed in a named block with its own locals and a loop with
// constant bounds (while and for), registered.
module lzc_popcount (
    input  logic        clk,
    input  logic        rst,
    input  logic [15:0] v,
    output logic [4:0]  lzc,
    output logic [4:0]  pop,
    output logic [3:0]  low_idx,
    output logic        is_zero
);
  logic [4:0] lzc_c, pop_c;
  logic [3:0] low_c;

  always_comb begin : b_lzc
    integer i;
    logic   found;
    lzc_c = 5'd0;
    found = 1'b0;
    i = 0;
    while (i < 16) begin
      if (!found) begin
        if (v[15 - i]) found = 1'b1;
        else lzc_c = lzc_c + 5'd1;
      end
      i = i + 1;
    end
  end

  always_comb begin : b_pop
    pop_c = 5'd0;
    for (int k = 0; k < 16; k++) pop_c = pop_c + {4'd0, v[k]};
  end

  always_comb begin : b_low
    low_c = 4'd0;
    for (int k = 15; k >= 0; k--) begin
      if (v[k]) low_c = 4'(k);
    end
  end

  always_ff @(posedge clk) begin : b_regs
    if (rst) begin
      lzc     <= 5'd16;
      pop     <= 5'd0;
      low_idx <= 4'd0;
      is_zero <= 1'b1;
    end else begin
      lzc     <= lzc_c;
      pop     <= pop_c;
      low_idx <= low_c;
      is_zero <= (v == 16'd0);
    end
  end

`ifdef FORMAL
  always_ff @(posedge clk) begin
    if (!rst) begin
      a_pop:  assert (pop_c == 5'($countones(v)));
      a_zero: assert ((lzc_c == 5'd16) == (v == 16'd0));
      a_lead: assert (v == 16'd0 || v[15 - 4'(lzc_c)]);
      a_low:  assert (v == 16'd0 || (v[low_c] && (v & ((16'd1 << low_c) - 16'd1)) == 16'd0));
    end
  end
`endif
endmodule
