// Register file: r0..r63 (r0 reads 0) and xflags, with shadow copies of r1..r31 and xflags
// (docs/iss.md section 1). One write port per slot plus the xflags port; in the retire
// cycle the writes happen first, then rollback (working = shadow, overriding this
// molecule's writes to shadowed registers), then commit (shadow = working) -- the ISS's
// order of effects, all in a single cycle.
module cm_regfile
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        en_i,           // retire cycle
  input  logic        dbg_we_i,       // host write port (cm_core_pkg::dbg_sel_e)
  input  dbg_sel_e    dbg_sel_i,
  input  logic [7:0]  dbg_idx_i,
  input  logic [31:0] dbg_wdata_i,
  input  logic [NumSlots-1:0]       we_i,
  input  logic [NumSlots-1:0][5:0]  waddr_i,
  input  logic [NumSlots-1:0][31:0] wdata_i,
  input  logic        fwe_i,
  input  logic [31:0] fdata_i,
  input  logic        rollback_i,
  input  logic        commit_i,
  output logic [31:0] regs_o [NUM_REGS],
  output logic [31:0] flags_o
);
  logic [31:0] regs_q [NUM_REGS] /*verilator public_flat_rd*/;
  logic [31:0] shadow_q [NUM_REGS] /*verilator public_flat_rd*/;  // [1..31] used
  logic [31:0] flags_q /*verilator public_flat_rd*/;
  logic [31:0] flags_shadow_q /*verilator public_flat_rd*/;
  logic        rolled_back_q;

  // Next state is computed inside the clocked block from the current registers, so that a
  // host (backdoor) write between molecules is never overwritten by stale logic.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned r = 0; r < NUM_REGS; r++) begin
        regs_q[r] <= '0;
        shadow_q[r] <= '0;
      end
      flags_q <= '0;
      flags_shadow_q <= '0;
      rolled_back_q <= 1'b0;
    end else if (en_i) begin : apply
      logic [31:0] nxt [NUM_REGS];
      logic [31:0] f;
      for (int unsigned r = 0; r < NUM_REGS; r++) nxt[r] = regs_q[r];
      f = flags_q;
      for (int unsigned s = 0; s < NumSlots; s++) begin
        if (we_i[s]) nxt[waddr_i[s]] = wdata_i[s];
      end
      nxt[0] = '0;
      if (fwe_i) f = fdata_i & FlagsMask;
      if (rollback_i) begin
        for (int unsigned r = FIRST_SHADOWED; r <= LAST_SHADOWED; r++) nxt[r] = shadow_q[r];
        f = flags_shadow_q;
      end
      for (int unsigned r = 0; r < NUM_REGS; r++) regs_q[r] <= nxt[r];
      flags_q <= f;
      if (commit_i) begin
        for (int unsigned r = FIRST_SHADOWED; r <= LAST_SHADOWED; r++) shadow_q[r] <= nxt[r];
        flags_shadow_q <= f;
      end
      rolled_back_q <= rollback_i;
    end else begin
      rolled_back_q <= 1'b0;
      if (dbg_we_i) begin
        unique case (dbg_sel_i)
          DBG_REG: if (dbg_idx_i[5:0] != 6'd0) regs_q[dbg_idx_i[5:0]] <= dbg_wdata_i;
          DBG_SHADOW: shadow_q[dbg_idx_i[5:0]] <= dbg_wdata_i;
          DBG_FLAGS: flags_q <= dbg_wdata_i & FlagsMask;
          DBG_FLAGS_SHADOW: flags_shadow_q <= dbg_wdata_i & FlagsMask;
          default: ;
        endcase
      end
    end
  end

  always_comb begin
    for (int unsigned r = 0; r < NUM_REGS; r++) regs_o[r] = regs_q[r];
  end
  assign flags_o = flags_q;

`ifndef SYNTHESIS
  // Invariant: a rollback restores every shadowed register (checked the cycle after).
  always_ff @(posedge clk_i) begin
    if (rst_ni && rolled_back_q) begin
      for (int unsigned r = FIRST_SHADOWED; r <= LAST_SHADOWED; r++) begin
        assert (regs_q[r] == shadow_q[r]) else $error("rollback left r%0d != shadow", r);
      end
      assert (flags_q == flags_shadow_q) else $error("rollback left xflags != shadow");
    end
  end
`endif
endmodule
