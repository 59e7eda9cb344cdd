// Parameterised pipelined adder tree: sums N W-bit inputs (N a power of two)
// in $clog2(N) levels built with generate for/if. Each level is a packed
// two-dimensional array; PIPE selects registered or combinational levels.
module adder_tree #(
    parameter int N    = 8,
    parameter int W    = 8,
    parameter bit PIPE = 1'b1
) (
    input  logic                    clk,
    input  logic                    rst,
    input  logic                    in_valid,
    input  logic [N-1:0][W-1:0]     x,
    output logic [W+$clog2(N)-1:0]  sum,
    output logic                    out_valid
);
  localparam int L  = $clog2(N);
  localparam int SW = W + L;

  for (genvar l = 0; l <= L; l++) begin : g_lvl
    localparam int CNT = N >> l;
    logic [CNT-1:0][SW-1:0] v;
    if (l == 0) begin : g_in
      for (genvar i = 0; i < N; i++) begin : g_ext
        assign v[i] = SW'(x[i]);
      end
    end else begin : g_add
      logic [CNT-1:0][SW-1:0] s;
      for (genvar i = 0; i < CNT; i++) begin : g_node
        assign s[i] = g_lvl[l-1].v[2*i] + g_lvl[l-1].v[2*i+1];
      end
      if (PIPE) begin : g_reg
        always_ff @(posedge clk) begin
          if (rst) v <= '0;
          else v <= s;
        end
      end else begin : g_comb
        assign v = s;
      end
    end
  end

  assign sum = g_lvl[L].v[0];

  // valid travels alongside the data
  logic [L-1:0] vpipe;
  always_ff @(posedge clk) begin
    if (rst) vpipe <= '0;
    else vpipe <= {vpipe[L-2:0], in_valid};
  end
  assign out_valid = PIPE ? vpipe[L-1] : in_valid;

`ifdef FORMAL
  // Reference: a plain loop sum, delayed by the pipeline depth.
  logic [SW-1:0] ref_now;
  always_comb begin
    ref_now = '0;
    for (int i = 0; i < N; i++) ref_now = ref_now + SW'(x[i]);
  end
  logic [L-1:0][SW-1:0] ref_q;
  always_ff @(posedge clk) begin
    if (rst) ref_q <= '0;
    else ref_q <= {ref_q[L-2:0], ref_now};
  end
  always_ff @(posedge clk) begin
    if (!rst) begin
      a_sum: assert (sum == (PIPE ? ref_q[L-1] : ref_now));
      c_max: cover (sum == SW'(N * (2 ** W - 1)));
    end
  end
`endif
endmodule
