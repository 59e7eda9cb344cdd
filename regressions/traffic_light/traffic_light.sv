// Traffic-light controller for a main road and a side road. The main road
// stays green until a car waits on the side road and the minimum green time
// has passed. Synchronous active-low reset.
module traffic_light #(
    parameter logic [3:0] MIN_GREEN = 4'd6,
    parameter logic [3:0] YELLOW_T  = 4'd2,
    parameter logic [3:0] SIDE_T    = 4'd4
) (
    input  logic       clk,
    input  logic       rst_n,
    input  logic       car_waiting,
    output logic [1:0] main_light,
    output logic [1:0] side_light
);
  // Enum without explicit values, with a base type.
  typedef enum logic [1:0] {RED, GREEN, YELLOW} light_t;
  typedef enum logic [2:0] {MAIN_GO, MAIN_SLOW, SIDE_GO, SIDE_SLOW} phase_t;

  phase_t     phase, phase_n;
  logic [3:0] timer;
  light_t     main_c, side_c;

  always_comb begin
    phase_n = phase;
    unique case (phase)
      MAIN_GO:   if (car_waiting && timer >= MIN_GREEN) phase_n = MAIN_SLOW;
      MAIN_SLOW: if (timer >= YELLOW_T) phase_n = SIDE_GO;
      SIDE_GO:   if (timer >= SIDE_T) phase_n = SIDE_SLOW;
      SIDE_SLOW: if (timer >= YELLOW_T) phase_n = MAIN_GO;
      default:   phase_n = MAIN_GO;
    endcase
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      phase <= MAIN_GO;
      timer <= '0;
    end else begin
      phase <= phase_n;
      if (phase_n != phase) timer <= '0;
      else if (timer != 4'hF) timer <= timer + 1'b1;
    end
  end

  always_comb begin
    main_c = RED;
    side_c = RED;
    case (phase)
      MAIN_GO:   main_c = GREEN;
      MAIN_SLOW: main_c = YELLOW;
      SIDE_GO:   side_c = GREEN;
      SIDE_SLOW: side_c = YELLOW;
      default:   ;
    endcase
  end

  assign main_light = main_c;
  assign side_light = side_c;

`ifdef FORMAL
  always_ff @(posedge clk) begin
    if (rst_n) begin
      a_one_red:    assert (main_c == RED || side_c == RED);
      a_legal:      assert (phase <= SIDE_SLOW);
      c_side_green: cover (side_c == GREEN);
    end
  end
`endif
endmodule
