// A 16x8 RAM with a planted bug: writes to address 9 are dropped. The
// SymbiYosys idiom checks one arbitrary address, chosen by an anyconst:
// the solver picks it, so it picks 9. Read as 0 (what verify did before),
// the check would only watch address 0 and the bug would be missed.
module mem_anyconst (
    input  logic       clk,
    input  logic       we,
    input  logic [3:0] waddr,
    input  logic [7:0] wdata,
    input  logic [3:0] raddr,
    output logic [7:0] rdata
);
    logic [7:0] mem [0:15];

    always_ff @(posedge clk)
        if (we && waddr != 4'd9)   // planted bug: address 9 never written
            mem[waddr] <= wdata;

    assign rdata = mem[raddr];

`ifdef FORMAL
    (* anyconst *) logic [3:0] f_addr;
    logic [7:0] f_data;
    logic       f_valid = 1'b0;

    always_ff @(posedge clk)
        if (we && waddr == f_addr) begin
            f_data  <= wdata;
            f_valid <= 1'b1;
        end

    always_comb
        if (f_valid && raddr == f_addr)
            a_read_back: assert (rdata == f_data);

    // The address never changes (anyconst): a past value equals the present.
    logic [3:0] f_addr_q;
    logic       f_past = 1'b0;
    always_ff @(posedge clk) begin
        f_addr_q <= f_addr;
        f_past   <= 1'b1;
    end
    always_comb
        if (f_past)
            a_addr_const: assert (f_addr_q == f_addr);
`endif
endmodule
