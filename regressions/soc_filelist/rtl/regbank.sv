// Control/status registers. STATUS bit 0 is the pending interrupt, cleared
// by writing 1 to it (write-one-to-clear).
module regbank
  import soc_pkg::*;
(
    input  logic           clk,
    input  logic           rst_n,
    input  logic           wr,
    input  logic [3:0]     addr,
    input  logic [7:0]     wdata,
    input  logic [7:0]     count,
    input  logic           pending,
    output logic [7:0]     rdata,
    output ctrl_t          ctrl,
    output logic [7:0]     period,
    output logic           clr_pending
);
  logic [7:0] scratch;

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      ctrl    <= '0;
      period  <= 8'd10;
      scratch <= 8'h00;
    end else if (wr) begin
      case (addr)
        soc_pkg::ADDR_CTRL:    ctrl    <= wdata;  // packed struct assigned from a vector
        soc_pkg::ADDR_PERIOD:  period  <= wdata;
        soc_pkg::ADDR_SCRATCH: scratch <= wdata;
        default: ;
      endcase
    end
  end

  assign clr_pending = wr && addr == soc_pkg::ADDR_STATUS && wdata[0];

  always_comb begin
    case (addr)
      soc_pkg::ADDR_CTRL:    rdata = ctrl;
      soc_pkg::ADDR_PERIOD:  rdata = period;
      soc_pkg::ADDR_SCRATCH: rdata = scratch;
      soc_pkg::ADDR_STATUS:  rdata = {7'b0, pending};
      soc_pkg::ADDR_COUNT:   rdata = count;
      default:               rdata = 8'hEE;
    endcase
  end
endmodule
