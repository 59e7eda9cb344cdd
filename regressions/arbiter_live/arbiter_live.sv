// Two-client round-robin arbiter whose grant is locked while its owner
// keeps requesting. Liveness: every request is eventually granted. That
// holds only if owners eventually let go: with the fairness assumptions
// (`define FAIR`) it is proven; without them a client that never releases
// starves the other, and the counterexample is a lasso.
module arbiter_live (
    input  logic clk,
    input  logic rst,
    input  logic req0,
    input  logic req1,
    output logic gnt0,
    output logic gnt1
);
    logic last;  // the client granted last (round robin)

    always_ff @(posedge clk) begin
        if (rst) begin
            gnt0 <= 1'b0;
            gnt1 <= 1'b0;
            last <= 1'b1;
        end else if (gnt0 && req0) begin
            gnt0 <= 1'b1;
        end else if (gnt1 && req1) begin
            gnt1 <= 1'b1;
        end else begin
            // The owner let go (or nobody owns): grant a waiting client,
            // the one not served last when both wait.
            gnt0 <= req0 && (!req1 || last);
            gnt1 <= req1 && (!req0 || !last);
            if (req0 && (!req1 || last)) last <= 1'b0;
            else if (req1) last <= 1'b1;
        end
    end

`ifdef FORMAL
    // Start in reset (for flows with no reset convention, as SymbiYosys).
    initial assume (rst);
    // Clients hold a request until it is granted.
    assume property (@(posedge clk) disable iff (rst) req0 && !gnt0 |=> req0);
    assume property (@(posedge clk) disable iff (rst) req1 && !gnt1 |=> req1);
`ifdef FAIR
    // Fairness: an owner eventually lets go.
    f_release0: assume property (@(posedge clk) disable iff (rst) gnt0 |-> s_eventually !req0);
    f_release1: assume property (@(posedge clk) disable iff (rst) gnt1 |-> s_eventually !req1);
`endif
`endif

    // Safety: never both granted.
    a_mutex: assert property (@(posedge clk) disable iff (rst) !(gnt0 && gnt1));
    // Liveness: a request is eventually granted.
    a_served0: assert property (@(posedge clk) disable iff (rst) req0 |-> s_eventually gnt0);
    a_served1: assert property (@(posedge clk) disable iff (rst) req1 |=> strong(##[0:$] gnt1));
    c_both: cover property (@(posedge clk) gnt0 ##1 !gnt0 ##1 gnt1);
endmodule
