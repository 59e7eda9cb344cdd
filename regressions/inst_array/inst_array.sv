// Arrays of instances (23.3.2): four byte lanes of a registered adder.
// Port connections follow 23.3.3.5: a bus four times a port's width is
// split (lane[3] takes the top byte), a signal as wide as the port goes
// to every lane, an unpacked array gives one element per lane.
module lane (
    input  logic       clk,
    input  logic       rst,
    input  logic       en,
    input  logic [7:0] a,
    input  logic [7:0] b,
    output logic [7:0] s,
    output logic       c
);
  always_ff @(posedge clk)
    if (rst) {c, s} <= '0;
    else if (en) {c, s} <= a + b;
endmodule

module inst_array (
    input  logic        clk,
    input  logic        rst,
    input  logic        en,
    input  logic [31:0] a,
    input  logic [7:0]  k,
    output logic [31:0] sum,
    output logic [3:0]  carry
);
  wire [7:0] kk [3:0];
  assign kk[3] = k;
  assign kk[2] = k + 8'd1;
  assign kk[1] = k + 8'd2;
  assign kk[0] = k + 8'd3;

  lane u_lane [3:0] (.clk, .rst, .en, .a(a), .b(kk), .s(sum), .c(carry));

`ifdef FORMAL
  logic [31:0] a_q;
  logic [7:0]  k_q;
  logic        en_q;
  logic        valid = 1'b0;
  always_ff @(posedge clk) begin
    a_q <= a; k_q <= k; en_q <= en;
    valid <= !rst;
  end
  always_comb begin
    if (valid && en_q) begin
      a_lane0: assert ({carry[0], sum[7:0]} == a_q[7:0] + 8'(k_q + 8'd3));
      a_lane3: assert ({carry[3], sum[31:24]} == a_q[31:24] + k_q);
      a_hier: assert (u_lane[2].s == sum[23:16]);
    end
    a_bad: assert (!(carry[1] && carry[2]));
  end
  c_all: cover property (@(posedge clk) carry == 4'b1111);
`endif
endmodule
