// Hamming(7,4) single-error-correcting code: the encoder output passes
// through a channel that flips the bits in err_mask, the decoder computes
// the syndrome and corrects one flipped bit. Registered in two stages.
// Codeword bit order (1-based positions): p1 p2 d1 p4 d2 d3 d4.
module hamming74 (
    input  logic       clk,
    input  logic       rst,
    input  logic [3:0] data_in,
    input  logic [6:0] err_mask,
    output logic [3:0] data_out,
    output logic       corrected,
    output logic       single_err
);
  function automatic logic [6:0] encode(input logic [3:0] d);
    logic p1, p2, p4;
    p1 = d[0] ^ d[1] ^ d[3];
    p2 = d[0] ^ d[2] ^ d[3];
    p4 = d[1] ^ d[2] ^ d[3];
    // index 0 = position 1
    return {d[3], d[2], d[1], p4, d[0], p2, p1};
  endfunction

  logic [6:0] cw_q;       // received codeword, stage 1
  logic       one_err_q;  // at most one bit was flipped (for the check)

  always_ff @(posedge clk) begin
    if (rst) begin
      cw_q      <= '0;
      one_err_q <= 1'b1;
    end else begin
      cw_q      <= encode(data_in) ^ err_mask;
      one_err_q <= $onehot0(err_mask);
    end
  end

  // Syndrome = 1-based position of the flipped bit (0 = none).
  wire [2:0] syn = {^(cw_q & 7'b1111000), ^(cw_q & 7'b1100110), ^(cw_q & 7'b1010101)};

  /* verilator lint_off UNUSEDSIGNAL */
  logic [6:0] fixed;  // parity positions are not needed after correction
  /* verilator lint_on UNUSEDSIGNAL */
  always_comb begin
    fixed = cw_q;
    /* verilator lint_off CASEX */
    casex (syn)
      3'b000:  fixed = cw_q;
      3'b1xx,
      3'b01x,
      3'b001:  fixed[syn - 3'd1] = ~cw_q[syn - 3'd1];
      default: fixed = cw_q;
    endcase
    /* verilator lint_on CASEX */
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      data_out   <= '0;
      corrected  <= 1'b0;
      single_err <= 1'b1;
    end else begin
      data_out   <= {fixed[6], fixed[5], fixed[4], fixed[2]};
      corrected  <= (syn != 3'd0);
      single_err <= one_err_q;
    end
  end

`ifdef FORMAL
  // The data that was sent, delayed to line up with data_out.
  logic [3:0] sent_q, sent_qq;
  always_ff @(posedge clk) begin
    if (rst) begin
      sent_q  <= '0;
      sent_qq <= '0;
    end else begin
      sent_q  <= data_in;
      sent_qq <= sent_q;
    end
  end
  always_ff @(posedge clk) begin
    if (!rst) begin
      // With at most one flipped bit the decoder returns the sent data.
      a_correct: assert (!single_err || data_out == sent_qq);
      c_fix:     cover (corrected && single_err);
    end
  end
`endif
endmodule
