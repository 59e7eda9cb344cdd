// Top of the subsystem, given to the tools as a file list (files.f): two
// identical peripherals selected by address bit 3.
module soc_top (
    input  logic       clk,
    input  logic       rst_n,
    input  logic       wr,
    input  logic [3:0] addr,
    input  logic [7:0] wdata,
    output logic [7:0] rdata,
    output logic [1:0] irq
);
  logic [7:0] rdata0, rdata1;

  periph u_p0 (.clk, .rst_n, .wr(wr && !addr[3]), .addr({1'b0, addr[2:0]}), .wdata, .rdata(rdata0), .irq(irq[0]));
  periph u_p1 (.clk, .rst_n, .wr(wr && addr[3]),  .addr({1'b0, addr[2:0]}), .wdata, .rdata(rdata1), .irq(irq[1]));

  assign rdata = addr[3] ? rdata1 : rdata0;
endmodule
