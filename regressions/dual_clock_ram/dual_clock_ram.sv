// Simple dual-port RAM with separate clocks: writes on wclk, registered
// reads on rclk (the usual FPGA block-RAM shape for a clock crossing).
module dual_clock_ram #(
    parameter int AW = 3,
    parameter int DW = 8
) (
    input  logic          wclk,
    input  logic          we,
    input  logic [AW-1:0] waddr,
    input  logic [DW-1:0] wdata,
    input  logic          rclk,
    input  logic [AW-1:0] raddr,
    output logic [DW-1:0] rdata
);
  logic [DW-1:0] mem[1 << AW];
  initial for (int i = 0; i < (1 << AW); i++) mem[i] = DW'(i * 3);
  initial rdata = '0;

  always_ff @(posedge wclk) if (we) mem[waddr] <= wdata;
  always_ff @(posedge rclk) rdata <= mem[raddr];

`ifdef FORMAL
  // At an address the solver picks, the last value written is what a read
  // of that address returns, whatever the two clocks do.
  (* anyconst *) logic [AW-1:0] addr;
  logic          written = 1'b0;
  logic [DW-1:0] last = '0;
  always_ff @(posedge wclk)
    if (we && waddr == addr) begin
      written <= 1'b1;
      last    <= wdata;
    end
  logic          check = 1'b0;
  logic [DW-1:0] expect_q = '0;
  always_ff @(posedge rclk) begin
    check    <= written && raddr == addr;
    expect_q <= last;
  end
  always_comb begin
    if (check) a_read_last: assert (rdata == expect_q);
    // The memory's word is the last write: makes the above inductive.
    if (written) a_mem_last: assert (mem[addr] == last);
  end
  c_read_written: cover property (@(posedge rclk) check && rdata != 8'h00);
`endif
endmodule
