// Gray-code counter built from a three-level hierarchy:
//   gray_counter -> gray_core -> {bin_counter, bin2gray, gray2bin}
// exercising connections by position, by name, `.name` and `.*`, and
// parameter overrides by name and by position.

module bin_counter #(parameter int W = 4) (
    input  logic         clk,
    input  logic         rst,
    input  logic         en,
    output logic [W-1:0] q
);
  always_ff @(posedge clk) begin
    if (rst) q <= '0;
    else if (en) q <= q + 1'b1;
  end
endmodule

module bin2gray #(parameter int W = 4) (
    input  logic [W-1:0] b,
    output logic [W-1:0] g
);
  assign g = b ^ (b >> 1);
endmodule

module gray2bin #(parameter int W = 4) (
    input  logic [W-1:0] g,
    output logic [W-1:0] b
);
  // b[i] is the XOR of g[W-1:i]
  function automatic logic [W-1:0] to_bin(input logic [W-1:0] gv);
    logic [W-1:0] r;
    r[W-1] = gv[W-1];
    for (int i = W - 2; i >= 0; i--) r[i] = r[i+1] ^ gv[i];
    return r;
  endfunction
  assign b = to_bin(g);
endmodule

module gray_core #(parameter int W = 4) (
    input  logic         clk,
    input  logic         rst,
    input  logic         en,
    output logic [W-1:0] gray,
    output logic [W-1:0] bin_back
);
  logic [W-1:0] bin, g_next, g, b;

  bin_counter #(W) u_cnt (clk, rst, en, bin);           // positional
  bin2gray #(.W(W)) u_b2g (.b(bin), .g(g_next));         // by name
  gray2bin #(.W(W)) u_g2b (.g, .b);                      // .name

  always_ff @(posedge clk) begin
    if (rst) g <= '0;
    else g <= g_next;
  end

  assign gray     = g;
  assign bin_back = b;

`ifdef FORMAL
  logic [W-1:0] g_prev;  // only the checks need the previous code
  always_ff @(posedge clk) begin
    if (rst) g_prev <= '0;
    else g_prev <= g;
  end

  always_ff @(posedge clk) begin
    if (!rst) begin
      a_one_step: assert ($countones(g ^ g_prev) <= 1);
      a_lag:      assert (bin2gray_f(bin) == g || (bin - b) == W'(1));
      c_top:      cover (g == {1'b1, {(W-1){1'b0}}});
    end
  end
  function automatic logic [W-1:0] bin2gray_f(input logic [W-1:0] x);
    return x ^ (x >> 1);
  endfunction
`endif
endmodule

module gray_counter #(parameter int W = 5) (
    input  logic         clk,
    input  logic         rst,
    input  logic         en,
    output logic [W-1:0] gray,
    output logic [W-1:0] bin_back
);
  gray_core #(.W(W)) u_core (.*);
endmodule
