// Verilog port of regressions/crc8 (Yosys 0.23 cannot read the original's
// `for (int i ...)`, its while loop in a non-constant function or `byte`):
// same module, ports, reset and assertions; the while loop is the same
// loop written with for, `byte` is `reg signed [7:0]`. bench/bmc.sh runs
// both yosys-smtbmc and verify on this file.
module crc8 (
    input            clk,
    input            rst,
    input            clear,
    input            valid,
    input      [7:0] data,
    output reg [7:0] crc,
    output     [7:0] nbytes,
    output           zero_residue
);
  localparam [7:0] POLY = 8'h07;

  function automatic [7:0] crc_for(input [7:0] c, input [7:0] d);
    reg [7:0] r;
    integer i;
    begin
      r = c ^ d;
      for (i = 0; i < 8; i = i + 1) begin
        r = r[7] ? ((r << 1) ^ POLY) : (r << 1);
      end
      crc_for = r;
    end
  endfunction

  function automatic [7:0] crc_while(input [7:0] c, input [7:0] d);
    reg [7:0] r;
    integer n;
    begin
      r = c;
      // feed data bits MSB first
      for (n = 7; n >= 0; n = n - 1) begin
        if (r[7] ^ d[n]) r = (r << 1) ^ POLY;
        else r = r << 1;
      end
      crc_while = r;
    end
  endfunction

  reg signed [7:0] count;

  always @(posedge clk) begin
    if (rst || clear) begin
      crc   <= 8'h00;
      count <= 8'sd0;
    end else if (valid) begin
      crc <= crc_for(crc, data);
      if (count != 8'sd127) count <= count + 8'sd1;
    end
  end

  assign nbytes = count;
  // Appending the CRC to the message leaves a zero remainder.
  assign zero_residue = (crc_for(crc, crc) == 8'h00);

`ifdef FORMAL
  always @(posedge clk) begin
    if (!rst) begin
      a_same_crc:   assert (crc_for(crc, data) == crc_while(crc, data));
      a_residue:    assert (zero_residue);
      a_count_pos:  assert (count >= 0);
    end
  end
`endif
endmodule
