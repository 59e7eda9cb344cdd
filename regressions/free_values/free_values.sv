// Free values as the Yosys formal flow has them: `$anyseq`, `$anyconst`,
// `(* anyseq *)`, and undriven signals (an unconnected input port, a wire
// nobody drives), which the flow makes free with `setundef -anyseq`.
// Every assertion below that fails does so only through such a value:
// reading it as 0 would report a wrong pass.
module free_sub (
    input  logic       clk,
    input  logic [3:0] cfg,     // left unconnected by the parent
    output logic [3:0] q
);
    always_ff @(posedge clk) q <= cfg;
endmodule

module free_values (
    input  logic       clk,
    input  logic       rst,
    output logic [3:0] q
);
    free_sub u_sub (.clk(clk), .cfg(), .q(q));

    wire [7:0] floating;          // never driven
    wire [7:0] seq_w = $anyseq;   // a new value every cycle
    wire [7:0] const_w = $anyconst;
    (* anyseq *) logic [1:0] pick;

    logic [7:0] first_seq;
    logic       started = 1'b0;
    always_ff @(posedge clk) begin
        started   <= 1'b1;
        if (!started) first_seq <= seq_w;
    end

    // Constrained free value: the solver must respect the assumption.
    always_comb assume (pick != 2'd3);
    always_comb a_pick_range: assert (pick <= 2'd2);

    // Each of these fails only if the value is free.
    always_comb a_floating_zero: assert (floating == 8'd0);
    always_comb a_cfg_zero: assert (!started || q == 4'd0);
    always_comb a_seq_steady: assert (!started || seq_w == first_seq);
    // An anyconst never changes.
    logic [7:0] const_q;
    always_ff @(posedge clk) const_q <= const_w;
    always_comb a_const_steady: assert (!started || const_q == const_w);
    always_comb c_const_big: cover (const_w == 8'hA5);
endmodule
