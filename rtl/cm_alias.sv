// Alias registers (knob hostisa.alias_hw; docs/iss.md "Guest accesses" step 3): an ldp*
// protects its physical range(s) in register a; a later stc* checks its physical bytes
// against the registers in its mask. Commit and rollback clear every register.
module cm_alias #(
  parameter int unsigned NumAlias = 8
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,        // reset, commit or rollback
  input  logic        set_i,          // ldp at apply time
  input  logic [2:0]  set_idx_i,
  input  logic [31:0] set_lo_i,
  input  logic [2:0]  set_len_i,
  input  logic [31:0] set_lo2_i,
  input  logic [2:0]  set_len2_i,
  input  logic [7:0]  chk_mask_i,     // stc mask (bits past the configured count are illegal)
  input  logic [31:0] chk_lo_i,
  input  logic [2:0]  chk_len_i,
  input  logic [31:0] chk_lo2_i,
  input  logic [2:0]  chk_len2_i,
  output logic        chk_hit_o
);
  logic        valid_q [NumAlias] /*verilator public_flat_rd*/;
  logic [31:0] lo_q    [NumAlias];
  logic [2:0]  len_q   [NumAlias];
  logic [31:0] lo2_q   [NumAlias];
  logic [2:0]  len2_q  [NumAlias];

  function automatic logic overlaps(logic [31:0] a, logic [2:0] alen, logic [31:0] b, logic [2:0] blen);
    return alen != 3'd0 && blen != 3'd0 && {1'b0, a} < {1'b0, b} + 33'(blen) && {1'b0, b} < {1'b0, a} + 33'(alen);
  endfunction

  always_comb begin
    chk_hit_o = 1'b0;
    for (int unsigned i = 0; i < NumAlias; i++) begin
      if (chk_mask_i[i] && valid_q[i] &&
          (overlaps(chk_lo_i, chk_len_i, lo_q[i], len_q[i]) || overlaps(chk_lo_i, chk_len_i, lo2_q[i], len2_q[i]) ||
           overlaps(chk_lo2_i, chk_len2_i, lo_q[i], len_q[i]) || overlaps(chk_lo2_i, chk_len2_i, lo2_q[i], len2_q[i]))) begin
        chk_hit_o = 1'b1;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned i = 0; i < NumAlias; i++) begin
        valid_q[i] <= 1'b0;
        lo_q[i] <= '0;
        len_q[i] <= '0;
        lo2_q[i] <= '0;
        len2_q[i] <= '0;
      end
    end else if (clear_i) begin
      for (int unsigned i = 0; i < NumAlias; i++) valid_q[i] <= 1'b0;
    end else if (set_i) begin
      valid_q[set_idx_i] <= 1'b1;
      lo_q[set_idx_i] <= set_lo_i;
      len_q[set_idx_i] <= set_len_i;
      lo2_q[set_idx_i] <= set_lo2_i;
      len2_q[set_idx_i] <= set_len2_i;
    end
  end
endmodule
