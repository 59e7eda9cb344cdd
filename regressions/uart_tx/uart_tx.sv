// UART transmitter: 8N1, CLKS_PER_BIT clocks per bit, LSB first. A byte is
// accepted when start is high and the transmitter is idle.
module uart_tx
  import uart_pkg::*;
(
    input  logic       clk,
    input  logic       rst,
    input  logic       start,
    input  logic [7:0] data,
    output logic       txd,
    output logic       busy,
    output logic       done
);
  tx_state_t              state;
  logic [CNT_W-1:0]       baud_cnt;
  logic [2:0]             bit_idx;
  logic [7:0]             shreg;

  wire bit_end = (baud_cnt == CNT_W'(uart_pkg::CLKS_PER_BIT - 1));

  always_ff @(posedge clk) begin
    if (rst) begin
      state    <= TX_IDLE;
      baud_cnt <= '0;
      bit_idx  <= '0;
      shreg    <= '0;
      done     <= 1'b0;
    end else begin
      done <= 1'b0;
      if (state != TX_IDLE) baud_cnt <= bit_end ? '0 : baud_cnt + 1'b1;
      unique case (state)
        TX_IDLE: begin
          baud_cnt <= '0;
          if (start) begin
            shreg <= data;
            state <= TX_START;
          end
        end
        TX_START: begin
          if (bit_end) begin
            state   <= TX_DATA;
            bit_idx <= '0;
          end
        end
        TX_DATA: begin
          if (bit_end) begin
            shreg <= shreg >> 1;
            if (bit_idx == 3'd7) state <= TX_STOP;
            else bit_idx <= bit_idx + 1'b1;
          end
        end
        TX_STOP: begin
          if (bit_end) begin
            state <= TX_IDLE;
            done  <= 1'b1;
          end
        end
      endcase
    end
  end

  always_comb begin
    case (state)
      TX_START: txd = 1'b0;
      TX_DATA:  txd = shreg[0];
      default:  txd = 1'b1;  // idle and stop bits are high
    endcase
  end

  assign busy = (state != TX_IDLE);

`ifdef FORMAL
  always_ff @(posedge clk) begin
    if (!rst) begin
      a_idle_high: assert (state != TX_IDLE || txd);
      a_baud_rng:  assert (baud_cnt < CNT_W'(CLKS_PER_BIT));
      a_done_idle: assert (!done || state == TX_IDLE);
      c_done:      cover (done);
    end
  end
`endif
endmodule
