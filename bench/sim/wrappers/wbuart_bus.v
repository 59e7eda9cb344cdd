// Random Wishbone bus master around ZipCPU wbuart32's `wbuart` (two
// 16-entry FIFOs, rxuart, txuart), for bench/sim.sh. Ours; wbuart32 itself
// is fetched at a pinned commit (GPL-3.0) and never copied here.
//
// The harness drives `op`, `data` and `cts_n` with fresh random values every
// cycle (the same stream for verify, Verilator and Icarus); this wrapper
// turns them into Wishbone requests: about one cycle in four carries a
// strobe to one of the four registers, reads and writes alike. Writes to the
// setup register are rarer (1 in 8 of them) and keep the baud divisor
// between 4 and 15 clocks per bit, so characters keep flowing; break and
// FIFO-reset bits of transmit writes are set 1 time in 8. The transmit line
// loops back to the receiver, now and then with a flipped bit.
`default_nettype none
module wbuart_bus (
  input  wire        clk,
  input  wire        rst,
  input  wire [7:0]  op,
  input  wire [31:0] data,
  input  wire        cts_n,
  output wire [31:0] rdata,
  output wire        ack,
  output wire        tx,
  output wire        rts_n,
  output wire [3:0]  irq
);
  wire       stb  = op[1:0] == 2'b11;
  wire [1:0] addr = op[3:2];
  wire       we   = op[4] && (addr != 2'b00 || op[7:5] == 3'b000);
  wire [31:0] setup = {1'b0, data[30:24], 20'h0, data[3:0] | 4'h4};
  wire [31:0] txw = {19'h0, &data[15:13], 2'b0, &data[11:9], 1'b0, data[7:0]};
  wire [31:0] wdata = addr == 2'b00 ? setup : addr == 2'b11 ? txw : data;
  wire noise = op[7:5] == 3'b111 && data[31] && data[30];
  wire rx = tx ^ noise;
  wbuart uart (
    .i_clk(clk), .i_reset(rst),
    .i_wb_cyc(stb), .i_wb_stb(stb), .i_wb_we(we), .i_wb_addr(addr),
    .i_wb_data(wdata), .i_wb_sel(4'hf),
    .o_wb_stall(), .o_wb_ack(ack), .o_wb_data(rdata),
    .i_uart_rx(rx), .o_uart_tx(tx), .i_cts_n(cts_n), .o_rts_n(rts_n),
    .o_uart_rx_int(irq[0]), .o_uart_tx_int(irq[1]),
    .o_uart_rxfifo_int(irq[2]), .o_uart_txfifo_int(irq[3])
  );
endmodule
`default_nettype wire
