// Synchronous FIFO, 2**DEPTH_LOG2 entries of W bits, with full/empty flags
// and an occupancy count. Reads of an empty FIFO and writes to a full FIFO
// are ignored. dout is registered and only loaded from written entries.
module fifo_sync #(
    parameter int DEPTH_LOG2 = 4,
    parameter int W = 8
) (
    input  logic                clk,
    input  logic                rst,
    input  logic                wr_en,
    input  logic                rd_en,
    input  logic [W-1:0]        din,
    output logic [W-1:0]        dout,
    output logic                full,
    output logic                empty,
    output logic [DEPTH_LOG2:0] count
);
  localparam int DEPTH = 1 << DEPTH_LOG2;

  logic [W-1:0] mem [DEPTH];
  logic [DEPTH_LOG2-1:0] wr_ptr, rd_ptr;

  wire do_wr = wr_en && !full;
  wire do_rd = rd_en && !empty;

  assign full  = (count == (DEPTH_LOG2+1)'(DEPTH));
  assign empty = (count == '0);

  always_ff @(posedge clk) begin
    if (do_wr) mem[wr_ptr] <= din;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      wr_ptr <= '0;
      rd_ptr <= '0;
      count  <= '0;
      dout   <= '0;
    end else begin
      if (do_wr) wr_ptr <= wr_ptr + 1'b1;
      if (do_rd) begin
        rd_ptr <= rd_ptr + 1'b1;
        dout   <= mem[rd_ptr];
      end
      case ({do_wr, do_rd})
        2'b10:   count <= count + 1'b1;
        2'b01:   count <= count - 1'b1;
        default: count <= count;
      endcase
    end
  end

`ifdef FORMAL
  always_ff @(posedge clk) begin
    if (!rst) begin
      a_count_range: assert (count <= (DEPTH_LOG2+1)'(DEPTH));
      a_ptr_diff:    assert (DEPTH_LOG2'(wr_ptr - rd_ptr) == count[DEPTH_LOG2-1:0]);
      a_not_both:    assert (!(full && empty));
      c_full:        cover (full);
      // Unreachable: the count never exceeds the depth (k-induction shows it).
      c_over:        cover (count > (DEPTH_LOG2+1)'(DEPTH));
    end
  end
`endif
endmodule
