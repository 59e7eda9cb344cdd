// SPI master, mode 0 (clock idles low, data sampled on the rising edge,
// changed on the falling edge), one byte per transfer, MSB first, SCLK at
// half the system clock. `start` in idle loads `tx_data`; `done` pulses
// for one cycle with the byte received on MISO in `rx_data`.
module spi_master (
    input  logic       clk,
    input  logic       rst_n,
    input  logic       start,
    input  logic [7:0] tx_data,
    input  logic       miso,
    output logic       sclk,
    output logic       mosi,
    output logic       cs_n,
    output logic       busy,
    output logic       done,
    output logic [7:0] rx_data
);
  logic       active;
  logic       sclk_q;
  logic [2:0] bit_cnt;
  logic [7:0] tx_sh, rx_sh;

  assign sclk = sclk_q;
  assign mosi = active ? tx_sh[7] : 1'b0;
  assign cs_n = !active;
  assign busy = active;

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      active  <= 1'b0;
      sclk_q  <= 1'b0;
      bit_cnt <= '0;
      tx_sh   <= '0;
      rx_sh   <= '0;
      done    <= 1'b0;
      rx_data <= '0;
    end else begin
      done <= 1'b0;
      if (!active) begin
        if (start) begin
          active  <= 1'b1;
          tx_sh   <= tx_data;
          bit_cnt <= '0;
        end
      end else if (!sclk_q) begin
        // Rising edge of SCLK: sample MISO.
        sclk_q <= 1'b1;
        rx_sh  <= {rx_sh[6:0], miso};
      end else begin
        // Falling edge: next bit out, or the end of the byte.
        sclk_q <= 1'b0;
        if (bit_cnt == 3'd7) begin
          active  <= 1'b0;
          done    <= 1'b1;
          rx_data <= rx_sh;
        end else begin
          bit_cnt <= bit_cnt + 1'b1;
          tx_sh   <= {tx_sh[6:0], 1'b0};
        end
      end
    end
  end

`ifdef FORMAL
  // What the slave saw: MOSI at every rising SCLK edge, and the byte the
  // transfer started with.
  logic [7:0] f_tx, f_sent;
  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      f_tx   <= '0;
      f_sent <= '0;
    end else begin
      if (!active && start) f_tx <= tx_data;
      if (active && !sclk_q) f_sent <= {f_sent[6:0], mosi};
    end
  end

  always_ff @(posedge clk) begin
    if (rst_n) begin
      a_sclk_idle: assert (active || !sclk_q);
      a_cs_busy:   assert (cs_n == !busy);
      a_done_idle: assert (!done || !active);
      a_sent:      assert (!done || f_sent == f_tx);
      c_done:      cover (done);
      c_done_msb:  cover (done && rx_data[7]);
    end
  end
`endif
endmodule
