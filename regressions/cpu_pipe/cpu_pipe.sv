// A small two-stage pipelined CPU: four 8-bit registers, instructions fed
// from a port (valid + 8-bit word). Stage 1 decodes and reads operands,
// forwarding the result still in stage 2; stage 2 executes and writes back.
//   [7:6] op: 0 LI rd, imm4   1 ADD rd, rs   2 SUB rd, rs   3 XOR rd, rs
//   [5:4] rd, [3:2] rs, [3:0] imm4 (LI)
// The formal checks compare the pipeline with an unpipelined reference
// that executes each instruction the cycle it arrives.
module cpu_pipe #(
    parameter bit FORWARD = 1'b1
) (
    input  logic        clk,
    input  logic        rst,
    input  logic        in_valid,
    input  logic [7:0]  instr,
    output logic [31:0] regs,
    output logic        wb_valid,
    output logic [7:0]  wb_data
);
  logic [3:0][7:0] rf;

  // Stage 2 (execute / write back) registers.
  logic       ex_valid;
  logic [1:0] ex_op, ex_rd;
  logic [7:0] ex_a, ex_b;
  logic [7:0] ex_result;

  always_comb begin
    case (ex_op)
      2'd0: ex_result = ex_b;
      2'd1: ex_result = ex_a + ex_b;
      2'd2: ex_result = ex_a - ex_b;
      default: ex_result = ex_a ^ ex_b;
    endcase
  end

  // Stage 1: decode and operand read with forwarding from stage 2.
  wire [1:0] op = instr[7:6];
  wire [1:0] rd = instr[5:4];
  wire [1:0] rs = instr[3:2];
  wire fwd_rd = FORWARD && ex_valid && ex_rd == rd;
  wire fwd_rs = FORWARD && ex_valid && ex_rd == rs;
  wire [7:0] a = fwd_rd ? ex_result : rf[rd];
  wire [7:0] b = (op == 2'd0) ? {4'b0, instr[3:0]} : (fwd_rs ? ex_result : rf[rs]);

  always_ff @(posedge clk) begin
    if (rst) begin
      rf       <= '0;
      ex_valid <= 1'b0;
      ex_op    <= '0;
      ex_rd    <= '0;
      ex_a     <= '0;
      ex_b     <= '0;
    end else begin
      ex_valid <= in_valid;
      if (in_valid) begin
        ex_op <= op;
        ex_rd <= rd;
        ex_a  <= a;
        ex_b  <= b;
      end
      if (ex_valid) rf[ex_rd] <= ex_result;
    end
  end

  assign regs     = rf;
  assign wb_valid = ex_valid;
  assign wb_data  = ex_valid ? ex_result : 8'd0;

`ifdef FORMAL
  // Reference: the architectural registers, updated at issue.
  logic [3:0][7:0] f_ref;
  logic [7:0] f_a, f_b, f_res;
  always_comb begin
    f_a = f_ref[rd];
    f_b = (op == 2'd0) ? {4'b0, instr[3:0]} : f_ref[rs];
    case (op)
      2'd0: f_res = f_b;
      2'd1: f_res = f_a + f_b;
      2'd2: f_res = f_a - f_b;
      default: f_res = f_a ^ f_b;
    endcase
  end
  always_ff @(posedge clk) begin
    if (rst) f_ref <= '0;
    else if (in_valid) f_ref[rd] <= f_res;
  end

  // The pipeline's architectural state: the register file with the result
  // still in stage 2 applied.
  logic [3:0][7:0] f_arch;
  always_comb begin
    f_arch = rf;
    if (ex_valid) f_arch[ex_rd] = ex_result;
  end

  always_ff @(posedge clk) begin
    if (!rst) begin
      a_matches_ref: assert (f_arch == f_ref);
      a_wb_quiet:    assert (wb_valid || wb_data == 8'd0);
      c_r3_big:      cover (rf[3] == 8'hff);
      c_chain:       cover (ex_valid && ex_op == 2'd1 && ex_result == 8'd30);
    end
  end
`endif
endmodule
