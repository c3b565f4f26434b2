// Special registers other than xflags (which lives in cm_regfile, being scoreboarded like a
// register): trap state (tvec tpc tcause tval tstatus tinfo tscratch0/1) and the segment
// registers segbase/seglim/segattr 0..7 with shadows (commit/rollback). cycle, cycleh and
// sbcount are derived by the reader (cm_bru). Numbers and the defined/shadowed sets come
// from codemorph_isa_pkg.
module cm_sregs
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        mtsr_i,           // architectural write (read-only numbers ignored)
  input  logic [7:0]  mtsr_num_i,
  input  logic [31:0] mtsr_data_i,
  input  logic        rollback_i,
  input  logic        commit_i,
  input  logic        trap_i,           // trap entry
  input  logic [31:0] trap_tpc_i,
  input  logic [7:0]  trap_cause_i,
  input  logic [31:0] trap_tval_i,
  input  logic [3:0]  trap_tinfo_i,
  input  logic        eret_i,           // leave trap mode
  input  logic        dbg_we_i,         // host write port
  input  dbg_sel_e    dbg_sel_i,
  input  logic [7:0]  dbg_idx_i,
  input  logic [31:0] dbg_wdata_i,
  input  logic [7:0]  rd_num_i,         // read port (mfsr)
  output logic [31:0] rd_data_o,
  output logic [31:0] tvec_o,
  output logic [31:0] tpc_o,
  output logic        tstatus0_o,
  output logic [7:0][31:0] segbase_o,
  output logic [7:0][31:0] seglim_o,
  output logic [7:0][31:0] segattr_o
);
  // Indexed by number; only defined numbers other than xflags/cycle/cycleh/sbcount hold state.
  logic [31:0] sr_q [64] /*verilator public_flat_rd*/;
  logic [31:0] sr_shadow_q [64] /*verilator public_flat_rd*/;

  function automatic logic arch_writable(logic [7:0] n);
    return SREG_DEFINED[n] && !(n inside {8'(SR_XFLAGS), 8'(SR_CYCLE), 8'(SR_CYCLEH), 8'(SR_SBCOUNT), 8'(SR_TINFO)});
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned i = 0; i < 64; i++) begin
        sr_q[i] <= '0;
        sr_shadow_q[i] <= '0;
      end
    end else if (mtsr_i || rollback_i || commit_i || trap_i || eret_i || dbg_we_i) begin : apply
      logic [31:0] nxt [64];
      for (int unsigned i = 0; i < 64; i++) nxt[i] = sr_q[i];
      if (mtsr_i && mtsr_num_i < 8'd64 && arch_writable(mtsr_num_i)) nxt[mtsr_num_i[5:0]] = mtsr_data_i;
      if (rollback_i) begin
        for (int unsigned i = 1; i < 64; i++) begin
          if (SREG_SHADOWED[i]) nxt[i] = sr_shadow_q[i];
        end
      end
      if (commit_i) begin
        for (int unsigned i = 1; i < 64; i++) begin
          if (SREG_SHADOWED[i]) sr_shadow_q[i] <= nxt[i];
        end
      end
      if (eret_i) nxt[6'(SR_TSTATUS)] = nxt[6'(SR_TSTATUS)] & ~32'd1;
      if (trap_i) begin
        nxt[6'(SR_TPC)] = trap_tpc_i;
        nxt[6'(SR_TCAUSE)] = {24'd0, trap_cause_i};
        nxt[6'(SR_TVAL)] = trap_tval_i;
        nxt[6'(SR_TINFO)] = {28'd0, trap_tinfo_i};
        nxt[6'(SR_TSTATUS)] = nxt[6'(SR_TSTATUS)] | 32'd1;
      end
      if (dbg_we_i && dbg_idx_i < 8'd64) begin
        if (dbg_sel_i == DBG_SREG) nxt[dbg_idx_i[5:0]] = dbg_wdata_i;
        if (dbg_sel_i == DBG_SREG_SHADOW) sr_shadow_q[dbg_idx_i[5:0]] <= dbg_wdata_i;
      end
      for (int unsigned i = 0; i < 64; i++) sr_q[i] <= nxt[i];
    end
  end

  assign rd_data_o = (rd_num_i < 8'd64) ? sr_q[rd_num_i[5:0]] : 32'd0;
  assign tvec_o = sr_q[6'(SR_TVEC)];
  assign tpc_o = sr_q[6'(SR_TPC)];
  assign tstatus0_o = sr_q[6'(SR_TSTATUS)][0];
  always_comb begin
    for (int unsigned i = 0; i < 8; i++) begin
      segbase_o[i] = sr_q[32'(SR_SEGBASE0) + i];
      seglim_o[i] = sr_q[32'(SR_SEGLIM0) + i];
      segattr_o[i] = sr_q[32'(SR_SEGATTR0) + i];
    end
  end
endmodule
