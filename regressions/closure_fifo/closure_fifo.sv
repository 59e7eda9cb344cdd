// Coverage closure benchmark: a 16-entry FIFO with a clear input. Its
// corner: full after the write pointer wrapped. Uniform random stimulus
// clears half the time and never fills it.
module closure_fifo (
    input  logic       clk,
    input  logic       rst,
    input  logic       clr,
    input  logic       push,
    input  logic       pop,
    input  logic [7:0] din,
    output logic [7:0] dout,
    output logic       full,
    output logic       empty
);
  logic [7:0] mem [0:15];
  logic [3:0] wptr, rptr;
  logic [4:0] count;
  logic       wrapped;

  assign full  = (count == 5'd16);
  assign empty = (count == 5'd0);

  wire do_push = push && !full;
  wire do_pop  = pop && !empty;

  always_ff @(posedge clk) begin
    if (do_push) mem[wptr] <= din;
  end

  always_ff @(posedge clk) begin
    if (rst || clr) begin
      wptr    <= 4'd0;
      rptr    <= 4'd0;
      count   <= 5'd0;
      wrapped <= 1'b0;
      dout    <= 8'd0;
    end else begin
      if (do_push) begin
        wptr <= wptr + 4'd1;
        if (wptr == 4'd15) wrapped <= 1'b1;
      end
      if (do_pop) begin
        rptr <= rptr + 4'd1;
        dout <= mem[rptr];
      end
      count <= count + {4'd0, do_push} - {4'd0, do_pop};
    end
  end

  always @(posedge clk) begin
    if (!rst) begin
      assert (count <= 5'd16);
      cover (full && wrapped);
    end
  end
endmodule
