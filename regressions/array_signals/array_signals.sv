// Unpacked arrays that are not memories: a net array built by a generate
// loop, a delay line written at literal and loop indices, a 2-D table
// computed combinationally, a whole-array copy. Each element is a signal of
// its own (array_signals.taps[2], array_signals.grid[1][0]).
module array_signals (
    input  logic       clk,
    input  logic       rst,
    input  logic [7:0] x,
    input  logic [1:0] sel,
    output logic [7:0] tap_out,
    output logic [7:0] line_out,
    output logic [3:0] grid_out,
    output logic [7:0] copy_out
);
  wire  [7:0] taps [0:3];
  logic [7:0] dline [4];
  logic [7:0] shadow [4];
  logic [3:0] grid [2][3];

  assign taps[0] = x;
  for (genvar i = 1; i < 4; i++) begin : g_tap
    assign taps[i] = taps[i-1] ^ {taps[i-1][6:0], 1'b1};
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      for (int k = 0; k < 4; k++) dline[k] <= '0;
    end else begin
      dline[0] <= taps[3];
      for (int k = 1; k < 4; k++) dline[k] <= dline[k-1];
    end
  end

  always_comb begin
    for (int r = 0; r < 2; r++)
      for (int c = 0; c < 3; c++)
        grid[r][c] = 4'(r * 3 + c) + x[3:0];
  end

  assign shadow = dline;

  assign tap_out  = taps[sel];
  assign line_out = dline[sel];
  assign grid_out = grid[sel[0]][{sel[1], 1'b0}];
  assign copy_out = shadow[3];

`ifdef FORMAL
  // The delay line holds taps[3] of four cycles ago (after reset).
  logic [2:0] seen;
  logic [7:0] h1, h2, h3, h4;
  always_ff @(posedge clk) begin
    if (rst) seen <= 0;
    else if (seen != 3'd4) seen <= seen + 1;
    h1 <= taps[3]; h2 <= h1; h3 <= h2; h4 <= h3;
  end
  always_comb begin
    if (!rst && seen == 3'd4) a_line: assert (dline[3] == h4);
    a_grid: assert (grid[1][2] == x[3:0] + 4'd5);
    a_copy: assert (copy_out == dline[3]);
    a_bad_tap: assert (taps[1] != 8'hff);
  end
  c_line: cover property (@(posedge clk) !rst && dline[3][7:6] == 2'b11);
`endif
endmodule
