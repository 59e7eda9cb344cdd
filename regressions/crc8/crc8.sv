// Byte-wise CRC-8 (polynomial x^8 + x^2 + x + 1, init 0x00), computed by two
// independent functions (a for loop and a while loop) that a check compares.
// A `byte` (signed 8-bit) counts the bytes consumed, saturating at 127.
module crc8 (
    input  logic       clk,
    input  logic       rst,
    input  logic       clear,
    input  logic       valid,
    input  logic [7:0] data,
    output logic [7:0] crc,
    output logic [7:0] nbytes,
    output logic       zero_residue
);
  localparam logic [7:0] POLY = 8'h07;

  function automatic logic [7:0] crc_for(input logic [7:0] c, input logic [7:0] d);
    logic [7:0] r;
    r = c ^ d;
    for (int i = 0; i < 8; i++) begin
      r = r[7] ? ((r << 1) ^ POLY) : (r << 1);
    end
    return r;
  endfunction

  function automatic logic [7:0] crc_while(input logic [7:0] c, input logic [7:0] d);
    logic [7:0] r;
    int n;
    r = c;
    n = 7;
    while (n >= 0) begin
      // feed data bits MSB first
      if (r[7] ^ d[n]) r = (r << 1) ^ POLY;
      else r = r << 1;
      n = n - 1;
    end
    return r;
  endfunction

  byte count;

  always_ff @(posedge clk) begin
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
  always_ff @(posedge clk) begin
    if (!rst) begin
      a_same_crc:   assert (crc_for(crc, data) == crc_while(crc, data));
      a_residue:    assert (zero_residue);
      a_count_pos:  assert (count >= 0);
    end
  end
`endif
endmodule
