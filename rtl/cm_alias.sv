// Alias registers (knob hostisa.alias_hw; docs/iss.md "Guest accesses" step 3): an ldp*
// protects its physical range(s) in register a; a later stc* checks its physical bytes
// against the registers in its mask. Commit and rollback clear every register.
module cm_alias #(
  parameter int unsigned NumAlias = 8
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,        // reset, commit or rollback
  // per LSU lane (slot order: lane 1's set wins for the same register)
  input  logic [1:0]  set_i,          // ldp at apply time
  input  logic [1:0][2:0]  set_idx_i,
  input  logic [1:0][31:0] set_lo_i,
  input  logic [1:0][2:0]  set_len_i,
  input  logic [1:0][31:0] set_lo2_i,
  input  logic [1:0][2:0]  set_len2_i,
  input  logic [1:0][7:0]  chk_mask_i,     // stc mask (bits past the configured count are illegal)
  input  logic [1:0][31:0] chk_lo_i,
  input  logic [1:0][2:0]  chk_len_i,
  input  logic [1:0][31:0] chk_lo2_i,
  input  logic [1:0][2:0]  chk_len2_i,
  output logic [1:0]  chk_hit_o,
  // host (checkpoint) writes between molecules: register idx[2:0] with len idx[5:3]
  // (and valid idx[6] for the first piece), lo = wdata
  input  logic        dbg_lo_we_i,
  input  logic        dbg_lo2_we_i,
  input  logic [7:0]  dbg_idx_i,
  input  logic [31:0] dbg_wdata_i
);
  logic        valid_q [NumAlias] /*verilator public_flat_rd*/;
  logic [31:0] lo_q    [NumAlias] /*verilator public_flat_rd*/;
  logic [2:0]  len_q   [NumAlias] /*verilator public_flat_rd*/;
  logic [31:0] lo2_q   [NumAlias] /*verilator public_flat_rd*/;
  logic [2:0]  len2_q  [NumAlias] /*verilator public_flat_rd*/;

  function automatic logic overlaps(logic [31:0] a, logic [2:0] alen, logic [31:0] b, logic [2:0] blen);
    return alen != 3'd0 && blen != 3'd0 && {1'b0, a} < {1'b0, b} + 33'(blen) && {1'b0, b} < {1'b0, a} + 33'(alen);
  endfunction

  always_comb begin
    chk_hit_o = '0;
    for (int unsigned k = 0; k < 2; k++) begin
      for (int unsigned i = 0; i < NumAlias; i++) begin
        if (chk_mask_i[k][i] && valid_q[i] &&
            (overlaps(chk_lo_i[k], chk_len_i[k], lo_q[i], len_q[i]) ||
             overlaps(chk_lo_i[k], chk_len_i[k], lo2_q[i], len2_q[i]) ||
             overlaps(chk_lo2_i[k], chk_len2_i[k], lo_q[i], len_q[i]) ||
             overlaps(chk_lo2_i[k], chk_len2_i[k], lo2_q[i], len2_q[i]))) begin
          chk_hit_o[k] = 1'b1;
        end
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
    end else if (dbg_lo_we_i) begin
      valid_q[dbg_idx_i[2:0]] <= dbg_idx_i[6];
      len_q[dbg_idx_i[2:0]] <= dbg_idx_i[5:3];
      lo_q[dbg_idx_i[2:0]] <= dbg_wdata_i;
    end else if (dbg_lo2_we_i) begin
      len2_q[dbg_idx_i[2:0]] <= dbg_idx_i[5:3];
      lo2_q[dbg_idx_i[2:0]] <= dbg_wdata_i;
    end else begin
      // The ldp's range is set first and then cleared by its own molecule's commit or
      // rollback (the ISS's order of effects): the range stays, only valid drops.
      for (int unsigned k = 0; k < 2; k++) begin
        if (set_i[k]) begin
          valid_q[set_idx_i[k]] <= 1'b1;
          lo_q[set_idx_i[k]] <= set_lo_i[k];
          len_q[set_idx_i[k]] <= set_len_i[k];
          lo2_q[set_idx_i[k]] <= set_lo2_i[k];
          len2_q[set_idx_i[k]] <= set_len2_i[k];
        end
      end
      if (clear_i) begin
        for (int unsigned i = 0; i < NumAlias; i++) valid_q[i] <= 1'b0;
      end
    end
  end
endmodule
