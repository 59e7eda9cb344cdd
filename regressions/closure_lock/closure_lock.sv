// Coverage closure benchmark: a combination lock that opens after an exact
// sequence of four key bytes (a wrong byte relocks); it counts openings.
// Random stimulus finds a whole sequence with probability about 2^-36.
module closure_lock (
    input  logic       clk,
    input  logic       rst,
    input  logic       try_key,
    input  logic [7:0] key,
    output logic       open,
    output logic [1:0] uses
);
  typedef enum logic [2:0] {LOCKED, K1, K2, K3, OPEN} lock_t;
  lock_t st;

  always_ff @(posedge clk) begin
    if (rst) begin
      st   <= LOCKED;
      uses <= 2'd0;
    end else if (try_key) begin
      case (st)
        LOCKED: st <= (key == 8'h3C) ? K1 : LOCKED;
        K1:     st <= (key == 8'hA5) ? K2 : LOCKED;
        K2:     st <= (key == 8'h5A) ? K3 : LOCKED;
        K3: begin
          if (key == 8'hC3) begin
            st   <= OPEN;
            uses <= uses + 2'd1;
          end else begin
            st <= LOCKED;
          end
        end
        OPEN:    if (key == 8'h00) st <= LOCKED;
        default: st <= LOCKED;
      endcase
    end
  end

  assign open = (st == OPEN);

  always @(posedge clk) begin
    if (!rst) begin
      cover (open && uses == 2'd3);
    end
  end
endmodule
