// Free-running timer: counts while enabled, ticks and restarts at period.
module timer (
    input  logic       clk,
    input  logic       rst_n,
    input  logic       en,
    input  logic [7:0] period,
    output logic       tick,
    output logic [7:0] count
);
  assign tick = en && (count >= period);

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) count <= 8'd0;
    else if (tick) count <= 8'd0;
    else if (en) count <= count + 8'd1;
  end
endmodule
