// Register file: r0..r63 (r0 reads 0) and xflags, with shadow copies of r1..r31 and xflags
// (docs/iss.md section 1). One write port per slot plus the xflags port; in the retire
// cycle the writes happen first, then rollback (working = shadow, overriding this
// molecule's writes to shadowed registers), then commit (shadow = working) -- the ISS's
// order of effects, all in a single cycle. A load's value is assembled here at the retire
// edge (cm_core_pkg::ld_req_t): memory is read through the DPI port at the edge, so data
// written by the host between molecules is always seen (docs/rtl.md "Memory ports").
module cm_regfile
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
  import cm_dpi_pkg::*;
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
  input  ld_req_t [1:0] ld_i,         // the LSU lanes' loads (valid only if the molecule completes)
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

  function automatic logic is_shadowed(logic [5:0] r);
    return 32'(r) >= FIRST_SHADOWED && 32'(r) <= LAST_SHADOWED;
  endfunction

  // Value of a completing load: the memory pieces, then the forwarded bytes over them.
  function automatic logic [31:0] load_value(ld_req_t ld);
    logic [31:0] v;
    v = cm_dpi_mem_read(ld.pa0, 32'(ld.len0), 32'd0);
    if (ld.len1 != 3'd0) v = v | (cm_dpi_mem_read(ld.pa1, 32'(ld.len1), 32'd0) << {ld.len0, 3'b000});
    for (int unsigned b = 0; b < 4; b++) begin
      if (3'(b) < ld.size && ld.fwd_hit[b]) v[8*b +: 8] = ld.fwd_data[b];
    end
    if (ld.io) v = ld.io_data;
    return ld.sign ? sext_bytes(v & width_mask(ld.size), ld.size) : (v & width_mask(ld.size));
  endfunction

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
      // Writes of the slots and the load (at most one writer per register), then rollback
      // (later non-blocking assignments win: shadowed registers get their shadows back),
      // then commit: shadow = the working value after this molecule.
      logic [1:0][31:0] ldv;
      logic [31:0] f;
      for (int unsigned k = 0; k < 2; k++) ldv[k] = ld_i[k].valid ? load_value(ld_i[k]) : 32'd0;
      f = fwe_i ? (fdata_i & FlagsMask) : flags_q;
      for (int unsigned s = 0; s < NumSlots; s++) begin
        if (we_i[s] && waddr_i[s] != 6'd0) regs_q[waddr_i[s]] <= wdata_i[s];
      end
      for (int unsigned k = 0; k < 2; k++) begin
        if (ld_i[k].valid && ld_i[k].rd != 6'd0) regs_q[ld_i[k].rd] <= ldv[k];
      end
      flags_q <= f;
      if (rollback_i) begin
        for (int unsigned r = FIRST_SHADOWED; r <= LAST_SHADOWED; r++) regs_q[r] <= shadow_q[r];
        flags_q <= flags_shadow_q;
      end else if (commit_i) begin
        // (with a rollback in the same molecule the shadows keep their values)
        for (int unsigned r = FIRST_SHADOWED; r <= LAST_SHADOWED; r++) shadow_q[r] <= regs_q[r];
        for (int unsigned s = 0; s < NumSlots; s++) begin
          if (we_i[s] && is_shadowed(waddr_i[s])) shadow_q[waddr_i[s]] <= wdata_i[s];
        end
        for (int unsigned k = 0; k < 2; k++) begin
          if (ld_i[k].valid && is_shadowed(ld_i[k].rd)) shadow_q[ld_i[k].rd] <= ldv[k];
        end
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
