// UART 8N1 receiver: waits for a start bit, checks it again half a bit
// later, samples 8 data bits LSB first in the middle of each bit, then the
// stop bit: a high stop bit delivers the byte (valid for one cycle), a low
// one reports a framing error instead.
module uart_rx #(
    parameter int CLKS_PER_BIT = 4
) (
    input  logic       clk,
    input  logic       rst,
    input  logic       rx,
    output logic [7:0] data,
    output logic       valid,
    output logic       frame_err,
    output logic       busy
);
  localparam int CW = $clog2(CLKS_PER_BIT) + 1;
  localparam int HALF = (CLKS_PER_BIT / 2 > 0) ? CLKS_PER_BIT / 2 : 1;

  typedef enum logic [1:0] {
    IDLE  = 2'd0,
    START = 2'd1,
    DATA  = 2'd2,
    STOP  = 2'd3
  } state_t;

  state_t         state;
  logic [CW-1:0]  cnt;
  logic [2:0]     bit_idx;
  logic [7:0]     shift;

  assign busy = (state != IDLE);

  always_ff @(posedge clk) begin
    if (rst) begin
      state     <= IDLE;
      cnt       <= '0;
      bit_idx   <= '0;
      shift     <= '0;
      data      <= '0;
      valid     <= 1'b0;
      frame_err <= 1'b0;
    end else begin
      valid     <= 1'b0;
      frame_err <= 1'b0;
      case (state)
        IDLE: begin
          cnt <= '0;
          if (!rx) state <= START;
        end
        START: begin
          if ({1'b0, cnt} + 1'b1 >= (CW+1)'(HALF)) begin
            cnt     <= '0;
            bit_idx <= '0;
            // A start bit gone high again was a glitch.
            state   <= rx ? IDLE : DATA;
          end else begin
            cnt <= cnt + 1'b1;
          end
        end
        DATA: begin
          if (cnt >= CW'(CLKS_PER_BIT - 1)) begin
            cnt   <= '0;
            shift <= {rx, shift[7:1]};
            if (bit_idx == 3'd7) state <= STOP;
            else bit_idx <= bit_idx + 1'b1;
          end else begin
            cnt <= cnt + 1'b1;
          end
        end
        STOP: begin
          if (cnt >= CW'(CLKS_PER_BIT - 1)) begin
            cnt   <= '0;
            state <= IDLE;
            if (rx) begin
              data  <= shift;
              valid <= 1'b1;
            end else begin
              frame_err <= 1'b1;
            end
          end else begin
            cnt <= cnt + 1'b1;
          end
        end
      endcase
    end
  end

`ifdef FORMAL
  // History registers (what $past gives, written out so Icarus runs it).
  logic f_past_valid = 1'b0;
  logic f_prev_rst = 1'b1;
  logic f_prev_valid = 1'b0;
  always_ff @(posedge clk) begin
    f_past_valid <= 1'b1;
    f_prev_rst   <= rst;
    f_prev_valid <= valid;
  end

  always_ff @(posedge clk) begin
    if (!rst) begin
      a_cnt_range:  assert (cnt < CW'(CLKS_PER_BIT));
      a_valid_excl: assert (!(valid && frame_err));
      a_valid_idle: assert (!valid || state == IDLE);
      if (f_past_valid && !f_prev_rst) begin
        a_valid_once: assert (!(valid && f_prev_valid));
      end
      c_byte:       cover (valid);
      c_frame_err:  cover (frame_err);
    end
  end
`endif
endmodule
