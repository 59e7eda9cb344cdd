// Coverage closure benchmark: points that can never be hit. A saturating
// counter never exceeds 9, so the branch on `sat > 9`, the rise of `bad`
// and a cover of `sat == 12` are unreachable; the FSM's ERR state is
// never entered (registers start from initial values). Closure needs proofs for these, not more stimulus.
module closure_unreach (
    input  logic       clk,
    input  logic       rst,
    input  logic       inc,
    input  logic       start,
    output logic [3:0] sat,
    output logic       bad,
    output logic       busy
);
  typedef enum logic [1:0] {IDLE, RUN, DONE, ERR} st_t;
  st_t st;

  // Initial values: registers start known, so the dead state is dead from
  // cycle 0 (a random initial value could be any code).
  initial begin
    st  = IDLE;
    sat = 4'd0;
    bad = 1'b0;
  end

  always_ff @(posedge clk) begin
    if (rst) sat <= 4'd0;
    else if (inc && sat != 4'd9) sat <= sat + 4'd1;
  end

  always_ff @(posedge clk) begin
    if (rst) bad <= 1'b0;
    else if (sat > 4'd9) bad <= 1'b1;
  end

  always_ff @(posedge clk) begin
    if (rst) st <= IDLE;
    else begin
      case (st)
        IDLE:    if (start) st <= RUN;
        RUN:     if (sat == 4'd9) st <= DONE;
        DONE:    st <= IDLE;
        default: st <= IDLE;
      endcase
    end
  end

  assign busy = (st == RUN);

  always @(posedge clk) begin
    if (!rst) begin
      cover (sat == 4'd12);
      cover (st == DONE);
    end
  end
endmodule
