// Peripheral: register bank + timer + interrupt pending flag.
module periph
  import soc_pkg::*;
(
    input  logic       clk,
    input  logic       rst_n,
    input  logic       wr,
    input  logic [3:0] addr,
    input  logic [7:0] wdata,
    output logic [7:0] rdata,
    output logic       irq
);
  /* verilator lint_off UNUSEDSIGNAL */
  ctrl_t          ctrl;  // bits [7:2] are reserved
  /* verilator lint_on UNUSEDSIGNAL */
  logic [7:0]     period, count;
  logic           tick, pending, clr_pending;

  regbank u_regs (.*);                                         // .*
  timer   u_tmr (.clk, .rst_n, .en(ctrl.tmr_en), .period, .tick, .count);  // .name

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) pending <= 1'b0;
    else if (tick) pending <= 1'b1;   // a new tick wins over a clear
    else if (clr_pending) pending <= 1'b0;
  end

  assign irq = pending && ctrl.irq_en;

`ifdef FORMAL
  always_ff @(posedge clk) begin
    if (rst_n) begin
      a_irq_en:  assert (!irq || ctrl.irq_en);
      a_tick_en: assert (!tick || ctrl.tmr_en);
      c_irq:     cover (irq);
    end
  end
`endif
endmodule
