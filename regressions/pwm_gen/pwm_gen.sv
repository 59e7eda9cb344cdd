// PWM generator with a debounced enable button. The button must be stable
// for DEBOUNCE clocks before its level is taken; each debounced press
// toggles the output enable. The duty cycle (0..PERIOD) is loaded from
// `duty_in` at the start of each period, so a period is never glitched.
module pwm_gen #(
    parameter int PERIOD   = 10,
    parameter int DEBOUNCE = 3
) (
    input  logic       clk,
    input  logic       rst_n,
    input  logic       button,
    input  logic [3:0] duty_in,
    output logic       pwm,
    output logic       enabled
);
  localparam int CW = $clog2(PERIOD);
  localparam int DW = $clog2(DEBOUNCE + 1);

  logic [CW-1:0] phase;
  logic [3:0]    duty;
  logic [DW-1:0] stable_cnt;
  logic          btn_q, btn_db;

  // debounce
  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      btn_q      <= 1'b0;
      btn_db     <= 1'b0;
      stable_cnt <= '0;
      enabled    <= 1'b0;
    end else begin
      btn_q <= button;
      if (button != btn_q) begin
        stable_cnt <= '0;
      end else if (stable_cnt != DW'(DEBOUNCE)) begin
        stable_cnt <= stable_cnt + 1'b1;
      end else if (btn_db != btn_q) begin
        btn_db <= btn_q;
        if (btn_q) enabled <= !enabled;   // rising edge of the debounced level
      end
    end
  end

  // PWM counter
  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      phase <= '0;
      duty  <= '0;
    end else begin
      if (phase == CW'(PERIOD - 1)) begin
        phase <= '0;
        duty  <= (duty_in > 4'(PERIOD)) ? 4'(PERIOD) : duty_in;
      end else begin
        phase <= phase + 1'b1;
      end
    end
  end

  assign pwm = enabled && (4'(phase) < duty);

`ifdef FORMAL
  always_ff @(posedge clk) begin
    if (rst_n) begin
      a_phase:   assert (phase < CW'(PERIOD));
      a_duty:    assert (duty <= 4'(PERIOD));
      a_off:     assert (enabled || !pwm);
      c_enabled: cover (pwm);
    end
  end
`endif
endmodule
