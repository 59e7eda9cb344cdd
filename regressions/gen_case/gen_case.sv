// Four filter channels generated with a generate for loop; each channel's
// behaviour is picked by a generate case on its KIND parameter, and a
// generate if adds an optional output register.

module filter_stage #(
    parameter int W    = 8,
    parameter int KIND = 0,
    parameter bit OREG = 1'b0
) (
    input  logic         clk,
    input  logic         rst,
    input  logic [W-1:0] d,
    output logic [W-1:0] q
);
  logic [W-1:0] y;

  case (KIND)
    0: begin : g_pass
      always_ff @(posedge clk) begin
        if (rst) y <= '0;
        else y <= d;
      end
    end
    1: begin : g_avg2
      logic [W-1:0] prev;
      always_ff @(posedge clk) begin
        if (rst) begin
          prev <= '0;
          y    <= '0;
        end else begin
          prev <= d;
          y    <= W'(({1'b0, d} + {1'b0, prev}) >> 1);
        end
      end
    end
    2: begin : g_peak
      always_ff @(posedge clk) begin
        if (rst) y <= '0;
        else if (d > y) y <= d;
      end
    end
    default: begin : g_inv
      assign y = ~d;
    end
  endcase

  if (OREG) begin : g_oreg
    always_ff @(posedge clk) begin
      if (rst) q <= '0;
      else q <= y;
    end
  end else begin : g_nooreg
    assign q = y;
  end
endmodule

module gen_case #(
    parameter int CH = 4
) (
    input  logic             clk,
    input  logic             rst,
    input  logic [CH*8-1:0]  din,
    output logic [CH*8-1:0]  dout
);
  genvar i;
  generate
    for (i = 0; i < CH; i = i + 1) begin : g_ch
      filter_stage #(.W(8), .KIND(i), .OREG(i == 3)) u_f (
          .clk(clk), .rst(rst), .d(din[i*8 +: 8]), .q(dout[i*8 +: 8])
      );
    end
  endgenerate

`ifdef FORMAL
  logic [7:0] d2_q;  // channel 2 input, one cycle late
  always_ff @(posedge clk) begin
    if (rst) d2_q <= '0;
    else d2_q <= din[23:16];
  end
  always_ff @(posedge clk) begin
    if (!rst) begin
      // channel 2 holds its peak: never below the last input
      a_peak: assert (dout[23:16] >= d2_q);
      a_inv:  assert (g_ch[3].u_f.y == ~din[31:24]);
    end
  end
`endif
endmodule
