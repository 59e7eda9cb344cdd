// Register map and types of the small peripheral subsystem.
package soc_pkg;
  localparam logic [3:0] ADDR_CTRL    = 4'h0;
  localparam logic [3:0] ADDR_PERIOD  = 4'h1;
  localparam logic [3:0] ADDR_SCRATCH = 4'h2;
  localparam logic [3:0] ADDR_STATUS  = 4'h3;
  localparam logic [3:0] ADDR_COUNT   = 4'h4;

  typedef struct packed {
    logic [5:0] unused;
    logic       irq_en;
    logic       tmr_en;
  } ctrl_t;
endpackage
