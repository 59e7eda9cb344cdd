// Fixed-priority arbiter (requester 0 wins), written in Verilog-2001 style
// with non-ANSI ports, reg/wire, always @* and a priority casez.
module prio_arbiter(clk, rst, req, gnt, gnt_id, busy, grants);
  input clk;
  input rst;
  input [7:0] req;
  output reg [7:0] gnt;
  output reg [2:0] gnt_id;
  output busy;
  output [15:0] grants;

  reg [7:0] gnt_c;
  reg [2:0] id_c;
  integer n_grants;  // total grants issued, saturating

  always @* begin
    gnt_c = 8'b0;
    id_c = 3'd0;
    priority casez (req)
      8'b???????1: begin gnt_c = 8'b0000_0001; id_c = 3'd0; end
      8'b??????10: begin gnt_c = 8'b0000_0010; id_c = 3'd1; end
      8'b?????100: begin gnt_c = 8'b0000_0100; id_c = 3'd2; end
      8'b????1000: begin gnt_c = 8'b0000_1000; id_c = 3'd3; end
      8'b???10000: begin gnt_c = 8'b0001_0000; id_c = 3'd4; end
      8'b??100000: begin gnt_c = 8'b0010_0000; id_c = 3'd5; end
      8'b?1000000: begin gnt_c = 8'b0100_0000; id_c = 3'd6; end
      8'b10000000: begin gnt_c = 8'b1000_0000; id_c = 3'd7; end
      default:     begin gnt_c = 8'b0; id_c = 3'd0; end
    endcase
  end

  always @(posedge clk) begin
    if (rst) begin
      gnt <= 8'b0;
      gnt_id <= 3'd0;
      n_grants <= 0;
    end else begin
      gnt <= gnt_c;
      gnt_id <= id_c;
      if (req != 8'b0 && n_grants < 65535) n_grants <= n_grants + 1;
    end
  end

  assign busy = |gnt;
  assign grants = n_grants[15:0];

`ifdef FORMAL
  always @(posedge clk) begin
    if (!rst) begin
      a_onehot:  assert ($onehot0(gnt));
      a_id:      assert (gnt == 8'b0 || gnt == (8'b1 << gnt_id));
      a_nonneg:  assert (n_grants >= 0 && n_grants <= 65535);
    end
  end
`endif
endmodule
