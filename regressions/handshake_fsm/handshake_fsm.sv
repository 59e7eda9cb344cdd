// Four-phase req/ack handshake initiator with a timeout. The state enum has
// no base type (so it is an int) and no explicit values.
module handshake_fsm (
    input  logic       clk,
    input  logic       rst,
    input  logic       go,
    input  logic       ack,
    input  logic [7:0] din,
    output logic       req,
    output logic       done,
    output logic [7:0] data,
    output logic [3:0] timeouts
);
  typedef enum {S_IDLE, S_REQ, S_RELEASE, S_DONE} hs_state_t;

  hs_state_t  state;
  logic [3:0] timer;

  always_ff @(posedge clk) begin
    if (rst) begin
      state    <= S_IDLE;
      data     <= 8'h00;
      timer    <= 4'd0;
      timeouts <= 4'd0;
    end else begin
      case (state)
        S_IDLE: begin
          timer <= 4'd0;
          if (go) begin
            data  <= din;
            state <= S_REQ;
          end
        end
        S_REQ: begin
          timer <= timer + 4'd1;
          if (ack) begin
            state <= S_RELEASE;
          end else if (timer == 4'd15) begin
            state <= S_IDLE;
            if (timeouts != 4'hF) timeouts <= timeouts + 4'd1;
          end
        end
        S_RELEASE: if (!ack) state <= S_DONE;
        S_DONE:    state <= S_IDLE;
        default:   state <= S_IDLE;
      endcase
    end
  end

  assign req  = (state == S_REQ);
  assign done = (state == S_DONE);

`ifdef FORMAL
  always_ff @(posedge clk) begin
    if (!rst) begin
      a_legal:    assert (state == S_IDLE || state == S_REQ || state == S_RELEASE || state == S_DONE);
      a_req_done: assert (!(req && done));
      // The responder is expected to raise ack only while req is high.
      m_ack:      assume (!ack || req || state == S_RELEASE);
      c_done:     cover (done);
    end
  end
`endif
endmodule
