// Verilog port of regressions/rr_arbiter_bug (Yosys 0.23 cannot read the
// original's `for (int k ...)` and `PW'(...)` casts): same module, ports,
// asynchronous reset, planted bug and assertions. bench/bmc.sh runs both
// yosys-smtbmc and verify on this file.
module rr_arbiter_bug #(
    parameter N = 4
) (
    input              clk,
    input              rst,
    input      [N-1:0] req,
    output reg [N-1:0] grant,
    output             valid
);
  localparam PW = $clog2(N);

  reg [PW-1:0] ptr;  // first requester to consider

  // One-hot grant of the first request at or after ptr (cyclically).
  function automatic [N-1:0] rr_pick(input [N-1:0] r, input [PW-1:0] p);
    reg [N-1:0] g;
    reg [PW-1:0] idx;
    integer k;
    begin
      g = 0;
      // Walk from the farthest candidate to the nearest: the last hit wins.
      for (k = N - 1; k >= 0; k = k - 1) begin
        idx = (p + k) % N;
        if (r[idx]) begin
          g[idx] = 1'b1;  // PLANTED BUG: missing g = 0 before this
        end
      end
      rr_pick = g;
    end
  endfunction

  // Index of the set bit of a one-hot vector (0 if none).
  function automatic [PW-1:0] onehot_index(input [N-1:0] oh);
    reg [PW-1:0] i;
    integer k;
    begin
      i = 0;
      for (k = 0; k < N; k = k + 1) begin
        if (oh[k]) i = k;
      end
      onehot_index = i;
    end
  endfunction

  wire [N-1:0] next_grant = rr_pick(req, ptr);

  always @(posedge clk or posedge rst) begin
    if (rst) begin
      grant <= 0;
      ptr   <= 0;
    end else begin
      grant <= next_grant;
      if (next_grant != 0) ptr <= onehot_index(next_grant) + 1'b1;
    end
  end

  assign valid = |grant;

  always @(posedge clk) begin
    if (!rst) begin
      assert ($onehot0(grant));
      assert (valid == (grant != 0));
      cover (grant[N-1]);
    end
  end
endmodule
