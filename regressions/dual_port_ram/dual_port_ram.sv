// True dual-port RAM, 32 x 8, both ports read and write with registered
// (read-before-write) outputs. When both ports write one address in the
// same cycle, port B wins. The contents are initialised by a loop in an
// initial block, so no read ever returns an unwritten word.
module dual_port_ram #(
    parameter int AW = 5,
    parameter int DW = 8
) (
    input  logic          clk,
    input  logic          rst,
    input  logic          we_a,
    input  logic [AW-1:0] addr_a,
    input  logic [DW-1:0] wdata_a,
    input  logic          we_b,
    input  logic [AW-1:0] addr_b,
    input  logic [DW-1:0] wdata_b,
    output logic [DW-1:0] q_a,
    output logic [DW-1:0] q_b
);
  localparam int DEPTH = 2 ** AW;

  logic [DW-1:0] mem [0:DEPTH-1];

  initial begin
    for (int i = 0; i < DEPTH; i++) mem[i] = DW'(i * 3);
  end

  // Port A first, port B second: the later write wins on a collision.
  always_ff @(posedge clk) begin
    if (we_a) mem[addr_a] <= wdata_a;
    if (we_b) mem[addr_b] <= wdata_b;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      q_a <= '0;
      q_b <= '0;
    end else begin
      q_a <= mem[addr_a];
      q_b <= mem[addr_b];
    end
  end

`ifdef FORMAL
  logic same_q;
  always_ff @(posedge clk) begin
    if (rst) same_q <= 1'b1;
    else same_q <= (addr_a == addr_b);
  end
  always_ff @(posedge clk) begin
    if (!rst) begin
      a_same_read: assert (!same_q || q_a == q_b);
      c_collide:   cover (we_a && we_b && addr_a == addr_b && wdata_a != wdata_b);
    end
  end
`endif
endmodule
