// Overlapping "1011" sequence detector: a Moore FSM with localparam state
// codes and a casez next-state table, cross-checked against a shift
// register of the last four input bits. Verilog-2001 flavoured: reg,
// always @(posedge clk), synchronous active-low reset.
module seq_detector (
    input  wire       clk,
    input  wire       rst_n,
    input  wire       en,
    input  wire       din,
    output reg        det,
    output reg  [7:0] hits
);
  localparam [2:0] S0 = 3'd0, S1 = 3'd1, S10 = 3'd2, S101 = 3'd3, S1011 = 3'd4;

  reg [2:0] state, state_n;
  reg [3:0] hist;

  always @* begin
    casez ({state, din})
      4'b000_0: state_n = S0;
      4'b000_1: state_n = S1;
      4'b001_0: state_n = S10;
      4'b001_1: state_n = S1;
      4'b010_0: state_n = S0;
      4'b010_1: state_n = S101;
      4'b011_0: state_n = S10;
      4'b011_1: state_n = S1011;
      4'b1??_0: state_n = S10;   // S1011 (and unused codes): "10" is the overlap
      4'b1??_1: state_n = S1;
      default:  state_n = S0;
    endcase
  end

  always @(posedge clk) begin
    if (!rst_n) begin
      state <= S0;
      hist  <= 4'b0000;
      hits  <= 8'd0;
    end else if (en) begin
      state <= state_n;
      hist  <= {hist[2:0], din};
      if (state_n == S1011) hits <= hits + 8'd1;
    end
  end

  always @* det = (state == S1011);

  always @(posedge clk) begin
    if (rst_n) begin
      assume (state <= S1011);
      assert (det == (hist == 4'b1011));
      cover (det && hits == 8'd3);
    end
  end
endmodule
