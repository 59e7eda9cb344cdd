// Coverage closure benchmark: an in-order receiver. A packet (valid) is
// accepted only when its sequence number equals the low bits of the count
// of packets accepted so far; an out-of-order packet restarts the stream.
// The right input is a function of the state, not a constant: there is no
// dictionary entry to offer, and no held input makes progress (a held
// number matches once in 16 packets). Uniform random stimulus accepts k
// packets in a row with probability 16^-k, so the count's upper bits and
// the cover need a generator that reads the state: the learned model.
module closure_seq (
    input  logic       clk,
    input  logic       rst,
    input  logic       valid,
    input  logic [3:0] seq,
    output logic [7:0] count,
    output logic       done
);
  always_ff @(posedge clk) begin
    if (rst) begin
      count <= 8'd0;
    end else if (valid) begin
      if (seq == count[3:0]) count <= count + 8'd1;
      else count <= 8'd0;
    end
  end

  // A pulse the cycle after the 255th packet in order.
  always_ff @(posedge clk) begin
    if (rst) done <= 1'b0;
    else done <= (count == 8'hff);
  end

  always @(posedge clk) begin
    if (!rst) begin
      cover (count == 8'hff);
    end
  end
endmodule
