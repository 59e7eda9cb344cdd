// Asynchronous (dual-clock) FIFO after Cummings, "Simulation and Synthesis
// Techniques for Asynchronous FIFO Design" (SNUG 2002): binary and Gray
// pointers, each Gray pointer crossing into the other clock domain through
// a two-flop synchronizer; full and empty are registered in their own
// domain from the synchronized pointer of the other side.
module async_fifo #(
    parameter int DSIZE = 8,
    parameter int ASIZE = 2
) (
    input  logic             wclk,
    input  logic             rclk,
    input  logic             rst,
    input  logic             winc,
    input  logic [DSIZE-1:0] wdata,
    input  logic             rinc,
    output logic [DSIZE-1:0] rdata,
    output logic             wfull,
    output logic             rempty
);
  localparam int DEPTH = 1 << ASIZE;

  logic [DSIZE-1:0] mem[DEPTH];
  logic [ASIZE:0] wbin, wptr, rbin, rptr;
  logic [ASIZE:0] wq1_rptr, wq2_rptr, rq1_wptr, rq2_wptr;

  initial for (int i = 0; i < DEPTH; i++) mem[i] = '0;

  wire             wpush = winc && !wfull;
  wire [ASIZE:0]   wbin_next = wbin + {{ASIZE{1'b0}}, wpush};
  wire [ASIZE:0]   wgray_next = (wbin_next >> 1) ^ wbin_next;
  wire             rpop = rinc && !rempty;
  wire [ASIZE:0]   rbin_next = rbin + {{ASIZE{1'b0}}, rpop};
  wire [ASIZE:0]   rgray_next = (rbin_next >> 1) ^ rbin_next;

  // Write clock domain.
  always_ff @(posedge wclk or posedge rst)
    if (rst) begin
      wbin  <= '0;
      wptr  <= '0;
      wfull <= 1'b0;
    end else begin
      wbin  <= wbin_next;
      wptr  <= wgray_next;
      // Full: the next write pointer is the read pointer one lap ahead
      // (Gray code: the two top bits inverted).
      wfull <= wgray_next == {~wq2_rptr[ASIZE:ASIZE-1], wq2_rptr[ASIZE-2:0]};
    end

  always_ff @(posedge wclk) if (wpush) mem[wbin[ASIZE-1:0]] <= wdata;

  always_ff @(posedge wclk or posedge rst)
    if (rst) {wq2_rptr, wq1_rptr} <= '0;
    else {wq2_rptr, wq1_rptr} <= {wq1_rptr, rptr};

  // Read clock domain.
  always_ff @(posedge rclk or posedge rst)
    if (rst) begin
      rbin   <= '0;
      rptr   <= '0;
      rempty <= 1'b1;
    end else begin
      rbin   <= rbin_next;
      rptr   <= rgray_next;
      rempty <= rgray_next == rq2_wptr;
    end

  always_ff @(posedge rclk or posedge rst)
    if (rst) {rq2_wptr, rq1_wptr} <= '0;
    else {rq2_wptr, rq1_wptr} <= {rq1_wptr, wptr};

  assign rdata = mem[rbin[ASIZE-1:0]];

`ifdef FORMAL
  // A shadow of every write, made when the write pointer moves: a read
  // must return what the shadow holds for its slot.
  logic [DSIZE-1:0] shadow[DEPTH];
  initial for (int i = 0; i < DEPTH; i++) shadow[i] = '0;
  always_ff @(posedge wclk) if (wpush) shadow[wbin[ASIZE-1:0]] <= wdata;
  logic [DSIZE-1:0] expected;
  assign expected = shadow[rbin[ASIZE-1:0]];
  always_ff @(posedge rclk) if (!rst && rinc && !rempty) a_read_data: assert (rdata == expected);

  // Never more than DEPTH entries, seen on every tick of the global clock.
  wire [ASIZE:0] used = wbin - rbin;
  always_comb if (!rst) a_no_overflow: assert (used <= DEPTH);

  // Reads counted in the read domain, for the cover below.
  logic [3:0] rcount;
  always_ff @(posedge rclk or posedge rst)
    if (rst) rcount <= '0;
    else if (rpop && rcount != 4'hf) rcount <= rcount + 1'b1;

  c_full: cover property (@(posedge wclk) disable iff (rst) wfull);
  c_drained: cover property (@(posedge rclk) disable iff (rst) rcount == 4'd3 && rempty);
`endif
endmodule
