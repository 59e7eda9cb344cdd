// 16 x 16 register file with two combinational read ports and one write
// port. Register 0 reads as zero. Initial contents come from regfile.hex
// ($readmemh, path relative to this folder); a write-through bypass makes a
// read of the register being written return the new value.
module regfile (
    input  logic        clk,
    input  logic        we,
    input  logic [3:0]  waddr,
    input  logic [15:0] wdata,
    input  logic [3:0]  raddr_a,
    input  logic [3:0]  raddr_b,
    output logic [15:0] rdata_a,
    output logic [15:0] rdata_b,
    output logic [7:0]  writes
);
  logic [15:0] regs [0:15];
  logic [7:0]  nwrites;

  initial begin
    $readmemh("regfile.hex", regs);
    nwrites = 8'd0;
  end

  always_ff @(posedge clk) begin
    if (we && waddr != 4'd0) begin
      regs[waddr] <= wdata;
      nwrites     <= nwrites + 8'd1;
    end
  end

  // The write port is passed in, not read from the module: a continuous
  // assignment is not re-evaluated when a global read inside a function
  // changes, so event-driven simulators would show stale values.
  function automatic logic [15:0] read_port(input logic [3:0] ra, input logic [15:0] stored,
                                            input logic w_en, input logic [3:0] w_addr,
                                            input logic [15:0] w_data);
    if (ra == 4'd0) return 16'h0000;
    if (w_en && ra == w_addr) return w_data;
    return stored;
  endfunction

  assign rdata_a = read_port(raddr_a, regs[raddr_a], we, waddr, wdata);
  assign rdata_b = read_port(raddr_b, regs[raddr_b], we, waddr, wdata);
  assign writes  = nwrites;

`ifdef FORMAL
  always_ff @(posedge clk) begin
    a_zero_a: assert (raddr_a != 4'd0 || rdata_a == 16'h0000);
    a_zero_b: assert (raddr_b != 4'd0 || rdata_b == 16'h0000);
    a_same:   assert (raddr_a != raddr_b || rdata_a == rdata_b);
  end
`endif
endmodule
