#!/usr/bin/env python3
"""Generate a synthetic but realistic SystemVerilog design of about N lines
(default 5000): a top module instantiating many pipeline stages, each with
an FSM, a small ALU, a FIFO-like register file and immediate assertions.
Used by bench/frontend.sh to time parsing and elaboration."""
import sys

def stage(i):
    return f"""
module stage{i} #(parameter int W = 16, parameter int D = 4) (
  input  logic         clk,
  input  logic         rst_n,
  input  logic         in_valid,
  input  logic [W-1:0] in_data,
  output logic         out_valid,
  output logic [W-1:0] out_data
);
  typedef enum logic [1:0] {{ IDLE, LOAD, RUN, DONE }} state_t;
  state_t state;
  logic [W-1:0] acc;
  logic [W-1:0] regs [0:D-1];
  logic [$clog2(D)-1:0] wp, rp;
  logic [3:0] count;

  function automatic logic [W-1:0] mix(input logic [W-1:0] a, input logic [W-1:0] b);
    logic [W-1:0] t;
    t = a ^ {{b[W/2-1:0], b[W-1:W/2]}};
    return t + {i % 7 + 1};
  endfunction

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      state <= IDLE;
      acc <= '0;
      wp <= '0;
      rp <= '0;
      count <= '0;
    end else begin
      case (state)
        IDLE: if (in_valid) state <= LOAD;
        LOAD: begin
          acc <= mix(acc, in_data);
          state <= RUN;
        end
        RUN: begin
          if (count == 4'd{(i % 13) + 2}) state <= DONE;
          count <= count + 1'b1;
          acc <= acc + (in_data >> 1);
        end
        default: begin
          state <= IDLE;
          count <= '0;
        end
      endcase
      if (in_valid) begin
        regs[wp] <= in_data;
        wp <= wp + 1'b1;
      end
      if (state == DONE) rp <= rp + 1'b1;
    end
  end

  always_comb begin
    out_valid = (state == DONE);
    out_data = acc ^ regs[rp];
    for (int k = 0; k < 4; k++) begin
      if (out_data[k] && count[k]) out_data[k+4] = ~out_data[k+4];
    end
  end

`ifdef FORMAL
  always_ff @(posedge clk) if (rst_n) a_count{i}: assert (count <= 4'd15);
`endif
endmodule
"""

def main():
    target = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    out = []
    n = 0
    # Stages until the stages and the top (about 6 lines a stage) reach the target.
    while sum(s.count("\n") for s in out) + 6 * n < target + 100:
        out.append(stage(n))
        n += 1
    top = ["module big_top (", "  input logic clk,", "  input logic rst_n,", "  input logic in_valid,",
           "  input logic [15:0] in_data,", "  output logic out_valid,", "  output logic [15:0] out_data", ");"]
    for i in range(n + 1):
        top.append(f"  logic v{i}; logic [15:0] d{i};")
    top.append("  assign v0 = in_valid;")
    top.append("  assign d0 = in_data;")
    for i in range(n):
        top.append(f"  stage{i} #(.W(16), .D(4)) u_s{i} (")
        top.append(f"    .clk, .rst_n, .in_valid(v{i}), .in_data(d{i}),")
        top.append(f"    .out_valid(v{i+1}), .out_data(d{i+1})")
        top.append("  );")
    top.append(f"  assign out_valid = v{n};")
    top.append(f"  assign out_data = d{n};")
    top.append("endmodule")
    out.append("\n".join(top) + "\n")
    sys.stdout.write("".join(out))

if __name__ == "__main__":
    main()
