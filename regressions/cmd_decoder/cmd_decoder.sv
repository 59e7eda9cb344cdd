// Command decoder with an accumulator, written with SystemVerilog features
// Icarus 11 cannot parse: `case inside` with ranges and wildcards, the
// `inside` operator, signed'()/unsigned'() casts, and labelled immediate
// assertions outside any `ifdef.
package cmd_pkg;
  typedef enum logic [3:0] {
    OP_NOP  = 4'h0,
    OP_ADD  = 4'h1,
    OP_SUB  = 4'h2,
    OP_SHL  = 4'h3,
    OP_SAR  = 4'h4,
    OP_LOAD = 4'h8,
    OP_LDHI = 4'h9,
    OP_CLR  = 4'hF
  } op_t;

  typedef enum logic [1:0] {CLS_ALU, CLS_LOAD, CLS_CTRL, CLS_ILLEGAL} cls_t;
endpackage

module cmd_decoder
  import cmd_pkg::*;
(
    input  logic               clk,
    input  logic               rst,
    input  logic               valid,
    input  logic [3:0]         raw_op,
    input  logic [7:0]         arg,
    output logic signed [7:0]  acc,
    output logic [1:0]         cls,
    output logic               legal,
    output logic [15:0]        sext,
    output logic [15:0]        zext
);
  op_t  op;
  cls_t cls_c;

  assign op = op_t'(raw_op);

  always_comb begin
    case (raw_op) inside
      [4'h0:4'h4]: cls_c = CLS_ALU;
      4'b100?:     cls_c = CLS_LOAD;
      4'hF:        cls_c = CLS_CTRL;
      default:     cls_c = CLS_ILLEGAL;
    endcase
  end

  assign legal = raw_op inside {OP_NOP, OP_ADD, OP_SUB, OP_SHL, OP_SAR, [OP_LOAD:OP_LDHI], OP_CLR};
  assign cls   = cls_c;

  always_ff @(posedge clk) begin
    if (rst) begin
      acc  <= '0;
      sext <= '0;
      zext <= '0;
    end else if (valid && legal) begin
      unique case (op)
        OP_NOP:  acc <= acc;
        OP_ADD:  acc <= acc + signed'(arg);
        OP_SUB:  acc <= acc - signed'(arg);
        OP_SHL:  acc <= acc <<< arg[2:0];
        OP_SAR:  acc <= acc >>> arg[2:0];
        OP_LOAD: acc <= signed'(arg);
        OP_LDHI: acc <= signed'({arg[3:0], acc[3:0]});
        OP_CLR:  acc <= '0;
      endcase
      sext <= 16'(signed'(arg));     // sign-extended
      zext <= 16'(unsigned'(acc));   // zero-extended
    end
  end

  always_ff @(posedge clk) begin
    if (!rst) begin
      a_legal_cls: assert (!legal || cls_c != CLS_ILLEGAL);
      a_sext:      assert (sext[15:8] == {8{sext[7]}});
      a_zext:      assert (zext[15:8] == 8'h00);
      c_neg_acc:   cover (acc < 0 && cls_c inside {CLS_ALU, CLS_LOAD});
    end
  end
endmodule
