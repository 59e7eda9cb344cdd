// Wishbone classic (B4) slave: a block of three 8-bit read/write control
// registers and one read-only status register counting accepted writes.
// Every cycle with CYC and STB gets ACK on the next clock (a pipelined
// master sees one ACK per request); reads return the register addressed.
module wb_regs (
    input  logic       clk,
    input  logic       rst,
    input  logic       cyc_i,
    input  logic       stb_i,
    input  logic       we_i,
    input  logic [1:0] adr_i,
    input  logic [7:0] dat_i,
    output logic [7:0] dat_o,
    output logic       ack_o,
    output logic [7:0] ctrl,
    output logic [7:0] mask
);
  logic [7:0] regs0, regs1, regs2;
  logic [7:0] writes;

  wire req = cyc_i && stb_i && !ack_o;

  assign ctrl = regs0;
  assign mask = regs1 & regs2;

  always_ff @(posedge clk) begin
    if (rst) begin
      regs0  <= '0;
      regs1  <= '0;
      regs2  <= 8'hff;
      writes <= '0;
      dat_o  <= '0;
      ack_o  <= 1'b0;
    end else begin
      ack_o <= req;
      if (req && we_i) begin
        case (adr_i)
          2'd0: regs0 <= dat_i;
          2'd1: regs1 <= dat_i;
          2'd2: regs2 <= dat_i;
          default: ;  // status is read-only
        endcase
        writes <= writes + 1'b1;
      end
      if (req && !we_i) begin
        case (adr_i)
          2'd0: dat_o <= regs0;
          2'd1: dat_o <= regs1;
          2'd2: dat_o <= regs2;
          default: dat_o <= writes;
        endcase
      end
    end
  end

`ifdef FORMAL
  // A model of the register file, and what the last read must return.
  logic [7:0] f_m0, f_m1, f_m2;
  logic [7:0] f_expect;
  logic       f_read;
  logic       f_rstatus;
  // History registers (what $past gives, written out so Icarus runs it).
  logic       f_past_valid = 1'b0;
  logic       f_prev_rst = 1'b1;
  logic       f_prev_req = 1'b0;
  logic       f_prev_ack = 1'b0;
  always_ff @(posedge clk) begin
    f_past_valid <= 1'b1;
    f_prev_rst   <= rst;
    f_prev_req   <= cyc_i && stb_i;
    f_prev_ack   <= ack_o;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      f_m0 <= '0;
      f_m1 <= '0;
      f_m2 <= 8'hff;
      f_expect <= '0;
      f_read <= 1'b0;
      f_rstatus <= 1'b0;
    end else begin
      f_read <= req && !we_i;
      f_rstatus <= req && !we_i && adr_i == 2'd3;
      if (req && we_i && adr_i == 2'd0) f_m0 <= dat_i;
      if (req && we_i && adr_i == 2'd1) f_m1 <= dat_i;
      if (req && we_i && adr_i == 2'd2) f_m2 <= dat_i;
      if (req && !we_i) begin
        f_expect <= (adr_i == 2'd0) ? f_m0 :
                    (adr_i == 2'd1) ? f_m1 :
                    (adr_i == 2'd2) ? f_m2 : writes;
      end
    end
  end

  always_ff @(posedge clk) begin
    if (!rst) begin
      a_model:    assert (regs0 == f_m0 && regs1 == f_m1 && regs2 == f_m2);
      a_readback: assert (!(ack_o && f_read) || dat_o == f_expect);
      if (f_past_valid && !f_prev_rst) begin
        a_ack_req:  assert (!ack_o || f_prev_req);
        a_ack_once: assert (!(ack_o && f_prev_ack));
      end
      c_read_status: cover (ack_o && f_rstatus && dat_o >= 8'd2);
      c_mask_set:    cover (mask == 8'h81);
    end
  end
`endif
endmodule
