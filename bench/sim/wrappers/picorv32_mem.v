// A tiny memory model around YosysHQ picorv32 (RV32I, default options but
// misaligned accesses not trapped), for bench/sim.sh. Ours; picorv32 itself
// is fetched at a pinned commit (ISC licence) and never copied here.
//
// Instruction fetches return a random legal RV32I instruction made from the
// harness's random input `rnd` (ALU immediate and register forms, LUI,
// AUIPC, branches, loads, stores, JAL, JALR; branch and jump offsets even
// word-aligned); data accesses go to a 64-word RAM
// (address bits 7:2) with byte strobes. `ready` bits stall the bus one
// cycle in four. A trap (an illegal instruction cannot be produced, but a
// jump can leave the address space's alignment) resets the core.
`default_nettype none
module picorv32_mem (
  input  wire        clk,
  input  wire        rst_n,
  input  wire [31:0] rnd,
  input  wire [1:0]  ready,
  output wire        valid,
  output wire        instr,
  output wire [31:0] addr,
  output wire [31:0] wdata,
  output wire [3:0]  wstrb,
  output wire        trap
);
  reg  [31:0] ram [0:63];
  wire [5:0]  a = addr[7:2];
  wire        rdy = ready != 2'b00;
  wire [2:0]  f3 = rnd[14:12];
  wire [11:0] rest = rnd[31:20];
  reg  [31:0] insn;
  always @* begin
    case (rnd[2:0])
      3'd0: insn = {f3 == 3'b001 ? 7'b0 : f3 == 3'b101 ? {1'b0, rnd[30], 5'b0} : rnd[31:25],
                    rnd[24:15], f3, rnd[11:7], 7'b0010011};
      3'd1: insn = {(f3 == 3'b000 || f3 == 3'b101) ? {1'b0, rnd[30], 5'b0} : 7'b0,
                    rnd[24:15], f3, rnd[11:7], 7'b0110011};
      3'd2: insn = {rnd[31:7], rnd[3] ? 7'b0110111 : 7'b0010111};
      3'd3: insn = {rnd[31:15], f3[2:1] == 2'b01 ? 3'b000 : f3, rnd[11:9], 2'b00, 7'b1100011};
      3'd4: insn = {rnd[31:15], f3 == 3'b011 || f3[2:1] == 2'b11 ? 3'b010 : f3, rnd[11:7], 7'b0000011};
      3'd5: insn = {rnd[31:15], 1'b0, f3[1] ? 2'b10 : f3[1:0], rnd[11:7], 7'b0100011};
      3'd6: insn = {rnd[31], rnd[30:22], 2'b00, rnd[19:7], 7'b1101111};
      default: insn = {rnd[31:15], 3'b000, rnd[11:7], 7'b1100111};
    endcase
  end
  wire [31:0] rdata = instr ? insn : ram[a];
  wire [31:0] old = ram[a];
  always @(posedge clk)
    if (valid && rdy && wstrb != 4'b0000)
      ram[a] <= {wstrb[3] ? wdata[31:24] : old[31:24], wstrb[2] ? wdata[23:16] : old[23:16],
                 wstrb[1] ? wdata[15:8] : old[15:8], wstrb[0] ? wdata[7:0] : old[7:0]};
  picorv32 #(.CATCH_MISALIGN(0)) cpu (
    .clk(clk), .resetn(rst_n && !trap),
    .mem_valid(valid), .mem_instr(instr), .mem_ready(rdy), .mem_addr(addr),
    .mem_wdata(wdata), .mem_wstrb(wstrb), .mem_rdata(rdata), .trap(trap),
    .pcpi_wr(1'b0), .pcpi_rd(32'b0), .pcpi_wait(1'b0), .pcpi_ready(1'b0), .irq(32'b0)
  );
endmodule
`default_nettype wire
