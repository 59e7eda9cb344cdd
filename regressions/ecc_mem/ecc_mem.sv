// ECC-protected memory: 8 words of 4 data bits stored as SECDED codewords
// (Hamming(7,4) plus an overall parity bit). Single-bit errors are
// corrected and flagged (`sec`), double-bit errors detected (`ded`).
// Two fault-injection ports flip stored bits at write time, standing in
// for upsets in the array.
module ecc_mem (
    input  logic       clk,
    input  logic       rst,
    input  logic       we,
    input  logic [2:0] waddr,
    input  logic [3:0] wdata,
    input  logic       inj_a,
    input  logic [2:0] inj_a_bit,
    input  logic       inj_b,
    input  logic [2:0] inj_b_bit,
    input  logic       re,
    input  logic [2:0] raddr,
    output logic       rvalid,
    output logic [3:0] rdata,
    output logic       sec,
    output logic       ded
);
  // Codeword c[0] = overall parity, c[1..7] = Hamming positions 1..7:
  // p1 p2 d0 p4 d1 d2 d3.
  function automatic logic [7:0] encode(input logic [3:0] d);
    logic [7:0] c;
    c[3] = d[0];
    c[5] = d[1];
    c[6] = d[2];
    c[7] = d[3];
    c[1] = c[3] ^ c[5] ^ c[7];
    c[2] = c[3] ^ c[6] ^ c[7];
    c[4] = c[5] ^ c[6] ^ c[7];
    c[0] = ^c[7:1];
    return c;
  endfunction

  logic [7:0] mem [8];
  logic [7:0] q;
  logic       q_valid;

  initial begin
    for (int i = 0; i < 8; i++) mem[i] = 8'h00;
  end

  wire [7:0] flips = (inj_a ? (8'd1 << inj_a_bit) : 8'd0) ^ (inj_b ? (8'd1 << inj_b_bit) : 8'd0);

  always_ff @(posedge clk) begin
    if (we && !rst) mem[waddr] <= encode(wdata) ^ flips;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      q       <= '0;
      q_valid <= 1'b0;
    end else begin
      q_valid <= re;
      if (re) q <= mem[raddr];
    end
  end

  // Decode the word read last cycle.
  wire [2:0] syndrome = {q[4] ^ q[5] ^ q[6] ^ q[7],
                         q[2] ^ q[3] ^ q[6] ^ q[7],
                         q[1] ^ q[3] ^ q[5] ^ q[7]};
  wire       parity = ^q;
  // Only the data positions of the corrected word are used.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [7:0] fixed;
  /* verilator lint_on UNUSEDSIGNAL */
  always_comb begin
    fixed = q;
    if (parity) fixed[syndrome] = !q[syndrome];
  end

  assign rvalid = q_valid;
  assign rdata  = q_valid ? {fixed[7], fixed[6], fixed[5], fixed[3]} : 4'd0;
  assign sec    = q_valid && parity;
  assign ded    = q_valid && !parity && syndrome != 3'd0;

`ifdef FORMAL
  // The data written to each word and how many of its bits were flipped;
  // like the array, not reset (reset does not clear the memory).
  logic [7:0][3:0] f_data = '0;
  logic [7:0][1:0] f_flips = '0;
  logic [3:0] f_rdata;
  logic [1:0] f_rflips;
  wire  [1:0] n_flips = (flips == 8'd0) ? 2'd0 : ($countones(flips) == 1) ? 2'd1 : 2'd2;
  always_ff @(posedge clk) begin
    if (rst) begin
      f_rdata  <= '0;
      f_rflips <= '0;
    end else if (re) begin
      // The old contents on a read of the word being written (as mem).
      f_rdata  <= f_data[raddr];
      f_rflips <= f_flips[raddr];
    end
  end
  always_ff @(posedge clk) begin
    if (we && !rst) begin
      f_data[waddr]  <= wdata;
      f_flips[waddr] <= n_flips;
    end
  end

  always_ff @(posedge clk) begin
    if (!rst && rvalid) begin
      a_clean:  assert (f_rflips != 2'd0 || (rdata == f_rdata && !sec && !ded));
      a_single: assert (f_rflips != 2'd1 || (rdata == f_rdata && sec && !ded));
      a_double: assert (f_rflips != 2'd2 || (ded && !sec));
      c_sec:    cover (sec);
      c_ded:    cover (ded);
    end
  end
`endif
endmodule
