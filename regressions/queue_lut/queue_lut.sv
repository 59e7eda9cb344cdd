// Lookup tables computed at elaboration: a queue of squares and the
// characters of an upper-cased string fill two ROMs in an initial block;
// the design reads them with a registered index. The assertions hold only
// if the queue and string operations give IEEE 1800's values.
module queue_lut (
    input  logic       clk,
    input  logic       rst,
    input  logic [2:0] idx,
    input  logic [7:0] din,
    output logic [7:0] sq_out,
    output logic [7:0] ch_out,
    output logic [7:0] acc
);
  logic [7:0] sq_tab  [0:7];
  logic [7:0] name_tab[0:7];
  int         q       [$];
  string      s;

  int         sentinel;

  initial begin
    for (int i = 1; i < 8; i++) q.push_back(i * i);  // 1 4 9 ... 49
    q.push_front(0);                                 // 0 1 4 ... 49
    q.push_front(255);                               // a sentinel
    sentinel = q.pop_front();                        // ... taken off again
    foreach (sq_tab[i]) sq_tab[i] = q[i];
    s = "verify";
    s = {"VERIFY", s.substr(6, 9), "!", "?"};        // substr past the end: ""
    if (s == "VERIFY!?") q.insert(3, 9);             // 0 1 4 9 9 16 ...
    q.delete(3);                                     // 0 1 4 9 16 ...
    for (int i = 0; i < s.len(); i++) name_tab[i] = s[i];
  end

  logic [2:0] idx_q;
  logic       valid;
  always_ff @(posedge clk) begin
    if (rst) begin
      sq_out <= 8'd0;
      ch_out <= 8'd0;
      acc    <= 8'd0;
      idx_q  <= 3'd0;
      valid  <= 1'b0;
    end else begin
      sq_out <= sq_tab[idx];
      ch_out <= name_tab[idx];
      acc    <= acc + din;
      idx_q  <= idx;
      valid  <= 1'b1;
    end
  end

`ifdef FORMAL
  a_square: assert property (@(posedge clk) disable iff (rst) valid |-> sq_out == idx_q * idx_q);
  a_upper: assert property (@(posedge clk) disable iff (rst)
      valid |-> (ch_out >= "!" && ch_out <= "Z"));
  a_first: assert property (@(posedge clk) disable iff (rst)
      valid && idx_q == 3'd0 |-> ch_out == "V");
  a_last: assert property (@(posedge clk) disable iff (rst)
      valid && idx_q == 3'd7 |-> ch_out == "?");
`endif
endmodule
