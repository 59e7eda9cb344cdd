`include "rom_defs.svh"

// Waveform lookup: a 32 x 8 ROM loaded with $readmemb from rom_lookup.mem,
// a saturating offset add and a peak detector whose behaviour is chosen by
// a define (ROM_PEAK_DECAY is set by the manifest).
module rom_lookup (
    input  logic                clk,
    input  logic                rst,
    input  logic [`ROM_AW-1:0]  addr,
    input  logic [`ROM_DW-1:0]  offset,
    output logic [`ROM_DW-1:0]  sample,
    output logic [`ROM_DW-1:0]  peak
);
  logic [`ROM_DW-1:0] rom [0:(1<<`ROM_AW)-1];

  initial $readmemb("rom_lookup.mem", rom);

  wire [`ROM_DW-1:0] word = rom[addr];
  wire [`ROM_DW-1:0] sum  = `SAT_ADD(word, offset, `ROM_DW);

  always_ff @(posedge clk) begin
    if (rst) begin
      sample <= '0;
      peak   <= '0;
    end else begin
      sample <= sum;
`ifndef ROM_NO_PEAK
      if (`PEAK_MODE == 2'd1 && peak != '0 && sum <= peak) peak <= peak - 1'b1;
      else peak <= `MAX(peak, sum);
`endif
    end
  end

`ifdef FORMAL
  always_ff @(posedge clk) begin
    if (!rst) begin
      a_sat:  assert (sum >= word);
      // With decay, the peak only stays at full scale while samples do.
      a_peak: assert (`PEAK_MODE != 2'd1 || peak != 8'hFF || sample == 8'hFF);
    end
  end
`endif
endmodule
