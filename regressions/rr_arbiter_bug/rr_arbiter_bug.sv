// Copy of rr_arbiter with a PLANTED BUG (see rr_pick): the pick does not
// clear earlier candidates, so two requests give two grants. Unlike the
// original it has an asynchronous active-high reset.
module rr_arbiter_bug #(
    parameter int N = 4
) (
    input  logic         clk,
    input  logic         rst,
    input  logic [N-1:0] req,
    output logic [N-1:0] grant,
    output logic         valid
);
  localparam int PW = $clog2(N);

  logic [PW-1:0] ptr;  // first requester to consider

  // One-hot grant of the first request at or after ptr (cyclically).
  function automatic logic [N-1:0] rr_pick(input logic [N-1:0] r, input logic [PW-1:0] p);
    logic [N-1:0] g;
    logic [PW-1:0] idx;
    g = '0;
    // Walk from the farthest candidate to the nearest: the last hit wins.
    for (int k = N - 1; k >= 0; k--) begin
      idx = PW'((int'(p) + k) % N);
      if (r[idx]) begin
        g[idx] = 1'b1;  // PLANTED BUG: missing g = '0 before this
      end
    end
    return g;
  endfunction

  // Index of the set bit of a one-hot vector (0 if none).
  function automatic logic [PW-1:0] onehot_index(input logic [N-1:0] oh);
    logic [PW-1:0] i;
    i = '0;
    for (int k = 0; k < N; k++) begin
      if (oh[k]) i = PW'(k);
    end
    return i;
  endfunction

  logic [N-1:0] next_grant;
  assign next_grant = rr_pick(req, ptr);

  always_ff @(posedge clk or posedge rst) begin
    if (rst) begin
      grant <= '0;
      ptr   <= '0;
    end else begin
      grant <= next_grant;
      if (next_grant != '0) ptr <= onehot_index(next_grant) + 1'b1;
    end
  end

  assign valid = |grant;

  always @(posedge clk) begin
    if (!rst) begin
      assert ($onehot0(grant));
      assert (valid == (grant != '0));
      cover (grant[N-1]);
    end
  end
endmodule
