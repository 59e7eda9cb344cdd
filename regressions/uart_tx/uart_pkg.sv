// Shared definitions for the UART transmitter.
package uart_pkg;
  // States with explicit encodings on a 2-bit base type.
  typedef enum logic [1:0] {
    TX_IDLE  = 2'b00,
    TX_START = 2'b01,
    TX_DATA  = 2'b11,
    TX_STOP  = 2'b10
  } tx_state_t;

  localparam int CLKS_PER_BIT = 5;
  localparam int CNT_W = $clog2(CLKS_PER_BIT);
endpackage
