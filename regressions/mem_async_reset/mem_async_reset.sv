// A small register-file memory cleared by a loop under an asynchronous
// active-low reset, written at a computed address: each word becomes a
// register with the reset value applied at once.
module mem_async_reset #(parameter int D = 4) (
    input  logic                 clk,
    input  logic                 rst_n,
    input  logic                 we,
    input  logic [$clog2(D)-1:0] wa,
    input  logic [7:0]           wd,
    input  logic [$clog2(D)-1:0] ra,
    output logic [7:0]           rd,
    output logic                 any
);
  logic [7:0] mem [D];
  integer i;

  always_ff @(posedge clk or negedge rst_n)
    if (!rst_n) begin
      for (i = 0; i < D; i = i + 1) mem[i] <= 8'(i);
    end else if (we) begin
      mem[wa] <= wd;
    end

  assign rd = mem[ra];
  always_comb begin
    any = 1'b0;
    for (int k = 0; k < D; k++) any = any | (mem[k] != 8'(k));
  end

`ifdef FORMAL
  // A model of one word, address 3.
  logic [7:0] w3;
  always_ff @(posedge clk or negedge rst_n)
    if (!rst_n) w3 <= 8'd3;
    else if (we && wa == 3) w3 <= wd;
  always_comb begin
    a_word3: assert (mem[3] == w3);
    if (!rst_n) a_reset: assert (rd == 8'(ra) && !any);
    a_bad: assert (!mem[1][7]);
  end
  c_changed: cover property (@(posedge clk) any && mem[D-1][7]);
`endif
endmodule
