// x/z literals are values nobody chose: a `default: y = 'x` is a don't-care,
// and a design that lets a don't-care reach a checked output has a bug.
// Here the decoder's opcode 3 falls to the default (a planted bug: it was
// meant to be decoded), so `a_result_known` fails only if 'x is free; a
// tool that reads 'x as 0 reports a wrong pass (0 is in range).
module xz_dont_care (
    input  logic       clk,
    input  logic       rst,
    input  logic [1:0] op,
    input  logic [2:0] a,
    input  logic [2:0] b,
    output logic [3:0] y
);
    logic [3:0] r;
    always_comb begin
        case (op)
            2'd0: r = {1'b0, a & b};
            2'd1: r = {1'b0, a | b};
            2'd2: r = {1'b0, a ^ b};
            default: r = 'x;      // planted: opcode 3 is not decoded
        endcase
    end
    always_ff @(posedge clk) begin
        if (rst) y <= 4'd0;
        else     y <= r;
    end

    // Every decoded result is at most 7.
    always_comb if (!rst) a_result_known: assert (r <= 4'd7);
    // Only the x digit is free: bit 1 of 4'b01x0 can be either value.
    wire [3:0] partial = 4'b01x0;
    always_comb a_partial_fixed: assert (partial[3:2] == 2'b01 && partial[0] == 1'b0);
    always_comb c_partial_high: cover (partial == 4'b0110);
    // `===` against x digits never holds for a two-state value.
    always_comb a_case_eq: assert (!(a === 3'bxxx));
endmodule
