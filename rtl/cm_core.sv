// codemorph VLIW core, top level (docs/rtl.md). An in-order core that takes a molecule
// through two clocks: FETCH (cm_fetch reads the molecule and asks the MemoryTiming model
// for the fetch cost) and EXECUTE (decode, scoreboard issue-cycle computation, one unit
// per slot type, all effects applied at the retire edge in the ISS's order of effects).
// A molecule with an I/O-bus read spends one more clock in EXECUTE: the read is done once
// the molecule is known not to fault. Modelled time is not the clock: the scoreboard
// computes each molecule's issue cycle exactly as docs/iss.md section 8 specifies.
//
// Host interface: cfg port (configuration registers, written before reset is released),
// run_i, retired_o (a molecule retired or a trap was taken at the last edge), the service
// call port (svc_req_o / svc_ack_i with the held cycles), stopped_o. Memory, page
// attributes, the I/O bus and MemoryTiming are reached through DPI-C (cm_dpi_pkg).
module cm_core
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
  import cm_dpi_pkg::*;
#(
  parameter int unsigned SbDepth = 32,
  parameter int unsigned NumAlias = 8,
  parameter int unsigned TlbDepth = 64
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // configuration port
  input  logic        cfg_we_i,
  input  logic [4:0]  cfg_addr_i,
  input  logic [63:0] cfg_wdata_i,
  // execution control
  input  logic        run_i,
  output logic        retired_o,
  output logic        stopped_o,
  output logic [31:0] pc_o,
  output logic [63:0] cycle_o,
  // service-call port (ARCHITECTURE.md section 3): the hosted CMS answers it
  output logic        svc_req_o,
  output logic [15:0] svc_num_o,
  input  logic        svc_ack_i,
  input  logic        svc_none_i,     // with ack: no handler -> UnhandledService
  input  logic [63:0] svc_cycles_i,   // with ack: cycles the core is held
  // CoreApi::advanceCycles
  input  logic        adv_i,
  input  logic [63:0] adv_cycles_i,
  // host debug write port (cm_core_pkg::dbg_sel_e), used between molecules
  input  logic        dbg_we_i,
  input  logic [3:0]  dbg_sel_i,
  input  logic [7:0]  dbg_idx_i,
  input  logic [63:0] dbg_wdata_i
);
  dbg_sel_e dbg_sel;
  assign dbg_sel = dbg_sel_e'(dbg_sel_i);
  typedef enum logic [1:0] {S_FETCH, S_EXEC, S_SVC} state_e;
  state_e state_q;
  cfg_t   cfg_q;
  logic [31:0] pc_q /*verilator public_flat_rd*/;
  logic [31:0] mol_pc_q;
  logic        retired_q;

  // ---- configuration registers ----
  always_ff @(posedge clk_i) begin
    if (cfg_we_i) begin
      unique case (cfg_addr_i)
        5'd0, 5'd1, 5'd2, 5'd3, 5'd4, 5'd5, 5'd6: cfg_q.latency[cfg_addr_i[2:0]] <= cfg_wdata_i[31:0];
        CFG_BRANCH_PEN:      cfg_q.branch_pen <= cfg_wdata_i[31:0];
        CFG_TRAP_PEN:        cfg_q.trap_pen <= cfg_wdata_i[31:0];
        CFG_COMMIT_CYCLES:   cfg_q.commit_cycles <= cfg_wdata_i[31:0];
        CFG_ROLLBACK_CYCLES: cfg_q.rollback_cycles <= cfg_wdata_i[31:0];
        CFG_SB_ENTRIES:      cfg_q.sb_entries <= cfg_wdata_i[8:0];
        CFG_ALIAS_REGS:      cfg_q.alias_regs <= cfg_wdata_i[3:0];
        CFG_TLB_ENTRIES:     cfg_q.tlb_entries <= cfg_wdata_i[10:0];
        CFG_TBIT_SHIFT:      cfg_q.tbit_shift <= cfg_wdata_i[3:0];
        CFG_MEM_BYTES:       cfg_q.mem_bytes <= cfg_wdata_i[32:0];
        CFG_FEATURES: begin
          cfg_q.timing_en    <= cfg_wdata_i[0];
          cfg_q.x86_flags    <= cfg_wdata_i[1];
          cfg_q.partial_regs <= cfg_wdata_i[2];
          cfg_q.seg_agen     <= cfg_wdata_i[3];
          cfg_q.host_tlb     <= cfg_wdata_i[4];
          cfg_q.alias_hw     <= cfg_wdata_i[5];
        end
        CFG_RESET_PC:        cfg_q.reset_pc <= cfg_wdata_i[31:0];
        default: ;
      endcase
    end
  end

  // ---- fetch ----
  logic fetch, stopped;
  logic [NumSlots-1:0][31:0] words;
  logic        fetch_fault;
  logic [31:0] fetch_extra, seq;
  assign fetch = state_q == S_FETCH && run_i && !stopped;

  cm_fetch u_fetch (
    .clk_i, .rst_ni,
    .fetch_i    (fetch),
    .pc_i       (pc_q),
    .mem_bytes_i(cfg_q.mem_bytes),
    .timing_en_i(cfg_q.timing_en),
    .words_o    (words),
    .fault_o    (fetch_fault),
    .extra_o    (fetch_extra),
    .seq_o      (seq)
  );

  // ---- decode ----
  logic [4:0]  bytes;
  logic        commit_bit, illegal;
  atom_t [NumSlots-1:0] atoms;
  logic [NumSb-1:0] src_mask;
  logic [NumSlots-1:0][NumSb-1:0] dst_mask;

  cm_decode u_decode (
    .words_i   (words),
    .cfg_i     (cfg_q),
    .bytes_o   (bytes),
    .commit_o  (commit_bit),
    .atoms_o   (atoms),
    .illegal_o (illegal),
    .src_mask_o(src_mask),
    .dst_mask_o(dst_mask)
  );

  // ---- operands ----
  logic [31:0] regs [NUM_REGS];
  logic [31:0] flags;
  logic [NumSlots-1:0][31:0] rs1v, rs2v, rdv;
  always_comb begin
    for (int unsigned s = 0; s < NumSlots; s++) begin
      rs1v[s] = regs[atoms[s].rs1];
      rs2v[s] = regs[atoms[s].rs2];
      rdv[s]  = regs[atoms[s].rd];
    end
  end

  // ---- slot -> unit routing (slot rules of docs/isa.md) ----
  logic four;
  logic [1:0] lsu_slot, bru_slot;
  logic [NumSlots-1:0] lsu_slot_mask;
  unit_e [NumSlots-1:0] unit;
  assign four = bytes == 5'd16;
  assign lsu_slot = four ? 2'd2 : 2'd0;
  assign bru_slot = four ? 2'd3 : 2'd1;
  always_comb begin
    for (int unsigned s = 0; s < NumSlots; s++) unit[s] = atom_unit(atoms[s].op);
    lsu_slot_mask = '0;
    lsu_slot_mask[lsu_slot] = 1'b1;
  end
  logic ok_decode;
  assign ok_decode = !fetch_fault && !illegal;

  // ---- issue cycle ----
  logic [63:0] issue, now;
  logic [8:0]  sb_count;
  logic [31:0] sreg_rdata, tvec, tpc;
  logic        tstatus0;
  logic [7:0][31:0] segbase, seglim, segattr;

  // ---- units ----
  slot_res_t alu_res [2];
  slot_res_t md_res, lsu_res, bru_res;
  for (genvar s = 0; s < 2; s++) begin : g_alu
    cm_alu u_alu (
      .atom_i   (atoms[s]),
      .en_i     (ok_decode && unit[s] == UNIT_ALU),
      .rs1_i    (rs1v[s]),
      .rs2_i    (rs2v[s]),
      .rdv_i    (rdv[s]),
      .flags_i  (flags),
      .segbase_i(segbase[atoms[s].aux[2:0]]),
      .seglim_i (seglim[atoms[s].aux[2:0]]),
      .segattr_i(segattr[atoms[s].aux[2:0]]),
      .res_o    (alu_res[s])
    );
  end

  cm_muldiv u_muldiv (
    .atom_i (atoms[0]),
    .en_i   (ok_decode && unit[0] == UNIT_ALU0),
    .rs1_i  (rs1v[0]),
    .rs2_i  (rs2v[0]),
    .flags_i(flags),
    .res_o  (md_res)
  );

  logic [1:0][19:0] tlb_vpn;
  logic [1:0]  tlb_hit;
  logic [1:0][31:0] tlb_value;
  logic [7:0]  chk_mask;
  logic [31:0] chk_lo, chk_lo2;
  logic [2:0]  chk_len, chk_len2;
  logic        chk_hit;
  logic [3:0][31:0] fwd_addr;
  logic [3:0]  fwd_hit;
  logic [3:0][7:0] fwd_data;
  logic        io_go, io_rd, io_done, io_wr, protect, timed, timed_store;
  logic [1:0]  push, wr;
  logic [1:0][31:0] piece_addr, piece_value;
  logic [1:0][2:0]  piece_size;
  logic [2:0]  acc_size;
  logic        lsu_en;
  assign lsu_en = ok_decode && unit[lsu_slot] == UNIT_LSU;

  cm_lsu u_lsu (
    .clk_i, .rst_ni,
    .atom_i       (atoms[lsu_slot]),
    .en_i         (lsu_en),
    .rs1_i        (rs1v[lsu_slot]),
    .rs2_i        (rs2v[lsu_slot]),
    .cfg_i        (cfg_q),
    .seq_i        (seq),
    .sb_count_i   (sb_count),
    .tlb_vpn_o    (tlb_vpn),
    .tlb_hit_i    (tlb_hit),
    .tlb_value_i  (tlb_value),
    .chk_mask_o   (chk_mask),
    .chk_lo_o     (chk_lo),
    .chk_len_o    (chk_len),
    .chk_lo2_o    (chk_lo2),
    .chk_len2_o   (chk_len2),
    .chk_hit_i    (chk_hit),
    .fwd_addr_o   (fwd_addr),
    .fwd_hit_i    (fwd_hit),
    .fwd_data_i   (fwd_data),
    .io_go_i      (io_go),
    .io_clear_i   (fetch),
    .io_rd_o      (io_rd),
    .io_done_o    (io_done),
    .res_o        (lsu_res),
    .push_o       (push),
    .wr_o         (wr),
    .piece_addr_o (piece_addr),
    .piece_size_o (piece_size),
    .piece_value_o(piece_value),
    .io_wr_o      (io_wr),
    .protect_o    (protect),
    .timed_o      (timed),
    .timed_store_o(timed_store),
    .size_o       (acc_size)
  );

  logic        jump;
  logic [31:0] target, sys_a, sys_b, next_pc;
  sys_e        sys;
  assign next_pc = mol_pc_q + {27'd0, bytes};

  cm_bru u_bru (
    .atom_i       (atoms[bru_slot]),
    .en_i         (ok_decode && unit[bru_slot] == UNIT_BRU),
    .rs1_i        (rs1v[bru_slot]),
    .rs2_i        (rs2v[bru_slot]),
    .flags_i      (flags),
    .pc_i         (mol_pc_q),
    .next_i       (next_pc),
    .issue_cycle_i(issue),
    .sb_count_i   (sb_count),
    .sreg_i       (sreg_rdata),
    .res_o        (bru_res),
    .jump_o       (jump),
    .target_o     (target),
    .sys_o        (sys),
    .sys_a_o      (sys_a),
    .sys_b_o      (sys_b)
  );

  slot_res_t [NumSlots-1:0] slot_res;
  always_comb begin
    slot_res[0] = alu_res[0] | md_res | (four ? '0 : lsu_res);
    slot_res[1] = alu_res[1] | (four ? '0 : bru_res);
    slot_res[2] = four ? lsu_res : '0;
    slot_res[3] = four ? bru_res : '0;
  end

  // ---- traps ----
  logic mol_fault, trap, deliver;
  logic [7:0]  cause;
  logic [31:0] tval, trap_tpc;
  logic [3:0]  tinfo;
  logic exec, retire, ok;
  assign exec = state_q == S_EXEC;
  assign io_go = exec && io_rd && !mol_fault && !io_done;
  assign retire = exec && !io_go;
  assign ok = retire && !mol_fault;

  cm_trap u_trap (
    .clk_i, .rst_ni,
    .fetch_fault_i  (fetch_fault),
    .illegal_i      (illegal),
    .word0_i        (words[0]),
    .slot_i         (slot_res),
    .sw_trap_i      (sys == SYS_TRAP),
    .sw_tval_i      (sys_a),
    .pc_i           (mol_pc_q),
    .next_i         (next_pc),
    .tstatus0_i     (tstatus0),
    .tvec_i         (tvec),
    .fault_o        (mol_fault),
    .trap_o         (trap),
    .deliver_o      (deliver),
    .cause_o        (cause),
    .tval_o         (tval),
    .tinfo_o        (tinfo),
    .tpc_o          (trap_tpc),
    .retire_i       (retire),
    .halt_i         (sys == SYS_HALT),
    .svc_unhandled_i(state_q == S_SVC && svc_ack_i && svc_none_i),
    .svc_num_i      (sys_a[15:0]),
    .resume_i       (dbg_we_i && dbg_sel == DBG_RESUME),
    .stopped_o      (stopped)
  );

  // ---- architectural state ----
  logic rollback, commit;
  assign rollback = ok && sys == SYS_ROLLBACK;
  assign commit = ok && commit_bit;

  logic [NumSlots-1:0] we;
  logic [NumSlots-1:0][5:0] waddr;
  logic [NumSlots-1:0][31:0] wdata;
  logic fwe;
  logic [31:0] fdata;
  always_comb begin
    fwe = 1'b0;
    fdata = '0;
    for (int unsigned s = 0; s < NumSlots; s++) begin
      we[s] = ok && slot_res[s].we;
      waddr[s] = slot_res[s].rd;
      wdata[s] = slot_res[s].wdata;
      if (ok && slot_res[s].fwe) begin
        fwe = 1'b1;
        fdata = slot_res[s].fdata;
      end
    end
  end

  cm_regfile u_regfile (
    .clk_i, .rst_ni,
    .en_i      (retire),
    .dbg_we_i  (dbg_we_i),
    .dbg_sel_i (dbg_sel),
    .dbg_idx_i (dbg_idx_i),
    .dbg_wdata_i(dbg_wdata_i[31:0]),
    .we_i      (we),
    .waddr_i   (waddr),
    .wdata_i   (wdata),
    .fwe_i     (fwe),
    .fdata_i   (fdata),
    .rollback_i(rollback),
    .commit_i  (commit),
    .regs_o    (regs),
    .flags_o   (flags)
  );

  cm_sregs u_sregs (
    .clk_i, .rst_ni,
    .mtsr_i      (ok && sys == SYS_MTSR),
    .mtsr_num_i  (sys_a[7:0]),
    .mtsr_data_i (sys_b),
    .rollback_i  (rollback),
    .commit_i    (commit),
    .trap_i      (retire && deliver),
    .trap_tpc_i  (trap_tpc),
    .trap_cause_i(cause),
    .trap_tval_i (tval),
    .trap_tinfo_i(tinfo),
    .eret_i      (ok && sys == SYS_ERET),
    .dbg_we_i    (dbg_we_i),
    .dbg_sel_i   (dbg_sel),
    .dbg_idx_i   (dbg_idx_i),
    .dbg_wdata_i (dbg_wdata_i[31:0]),
    .rd_num_i    (atoms[bru_slot].aux),
    .rd_data_o   (sreg_rdata),
    .tvec_o      (tvec),
    .tpc_o       (tpc),
    .tstatus0_o  (tstatus0),
    .segbase_o   (segbase),
    .seglim_o    (seglim),
    .segattr_o   (segattr)
  );

  cm_store_buffer #(.SbDepth(SbDepth)) u_store_buffer (
    .clk_i, .rst_ni,
    .discard_i   (rollback),
    .commit_i    (commit),
    .push_i      (ok ? push : 2'b00),
    .push_addr_i (piece_addr),
    .push_size_i (piece_size),
    .push_value_i(piece_value),
    .wr_i        (ok ? wr : 2'b00),
    .wr_addr_i   (piece_addr),
    .wr_size_i   (piece_size),
    .wr_value_i  (piece_value),
    .fwd_addr_i  (fwd_addr),
    .fwd_hit_o   (fwd_hit),
    .fwd_data_o  (fwd_data),
    .count_o     (sb_count)
  );

  cm_alias #(.NumAlias(NumAlias)) u_alias (
    .clk_i, .rst_ni,
    .clear_i   (rollback || commit),
    .set_i     (ok && protect),
    .set_idx_i (atoms[lsu_slot].aux[2:0]),
    .set_lo_i  (piece_addr[0]),
    .set_len_i (piece_size[0]),
    .set_lo2_i (piece_addr[1]),
    .set_len2_i(piece_size[1]),
    .chk_mask_i(chk_mask),
    .chk_lo_i  (chk_lo),
    .chk_len_i (chk_len),
    .chk_lo2_i (chk_lo2),
    .chk_len2_i(chk_len2),
    .chk_hit_o (chk_hit)
  );

  cm_tlb #(.TlbDepth(TlbDepth)) u_tlb (
    .clk_i, .rst_ni,
    .clear_i    (1'b0),
    .entries_i  (cfg_q.tlb_entries),
    .vpn_i      (tlb_vpn),
    .hit_o      (tlb_hit),
    .value_o    (tlb_value),
    .wr_i       ((ok && sys == SYS_TLBWR) || (dbg_we_i && dbg_sel == DBG_TLB_INSERT)),
    .wr_linear_i(dbg_we_i ? dbg_wdata_i[63:32] : sys_a),
    .wr_value_i (dbg_we_i ? dbg_wdata_i[31:0] : sys_b),
    .flush_i    ((ok && sys == SYS_TLBFL) || (dbg_we_i && dbg_sel == DBG_TLB_FLUSH))
  );

  // ---- timing ----
  logic [31:0] extra;
  always_comb begin
    extra = '0;
    if (mol_fault) begin
      if (deliver) extra = cfg_q.trap_pen;
    end else begin
      if (rollback) extra += cfg_q.rollback_cycles;
      if (commit_bit) extra += cfg_q.commit_cycles;
      if (jump) extra += cfg_q.branch_pen;
      if (sys == SYS_ERET) extra += cfg_q.trap_pen;
      if (trap && deliver) extra += cfg_q.trap_pen;
    end
  end

  cm_scoreboard u_scoreboard (
    .clk_i, .rst_ni,
    .cfg_i        (cfg_q),
    .src_mask_i   (fetch_fault ? '0 : src_mask),
    .fetch_extra_i(fetch_fault ? 32'd0 : fetch_extra),
    .issue_o      (issue),
    .now_o        (now),
    .retire_i     (retire),
    .ok_i         (!mol_fault),
    .dst_mask_i   (dst_mask),
    .atoms_i      (atoms),
    .lsu_slot_i   (lsu_slot_mask),
    .timed_i      (timed),
    .timed_store_i(timed_store),
    .timed_addr_i (piece_addr[0]),
    .timed_size_i (acc_size),
    .extra_i      (extra),
    .add_i        ((state_q == S_SVC && svc_ack_i && !svc_none_i) || adv_i),
    .add_cycles_i ((state_q == S_SVC && svc_ack_i && !svc_none_i) ? svc_cycles_i : adv_cycles_i)
  );

  // ---- control: pc, state, I/O writes ----
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= S_FETCH;
      pc_q <= cfg_q.reset_pc;
      mol_pc_q <= '0;
      retired_q <= 1'b0;
    end else begin
      retired_q <= retire;
      if (dbg_we_i && dbg_sel == DBG_PC) pc_q <= dbg_wdata_i[31:0];
      unique case (state_q)
        S_FETCH: begin
          if (fetch) begin
            mol_pc_q <= pc_q;
            state_q <= S_EXEC;
          end
        end
        S_EXEC: begin
          if (retire) begin
            if (mol_fault) begin
              if (deliver) pc_q <= tvec;
            end else begin
              pc_q <= jump ? target : next_pc;
              if (sys == SYS_ERET) pc_q <= tpc;
              if (trap && deliver) pc_q <= tvec;
              if (io_wr) cm_dpi_io_write(piece_addr[0], 32'(acc_size), piece_value[0] & width_mask(acc_size));
            end
            state_q <= (!mol_fault && sys == SYS_SVC) ? S_SVC : S_FETCH;
          end
        end
        S_SVC: begin
          if (svc_ack_i) state_q <= S_FETCH;
        end
        default: state_q <= S_FETCH;
      endcase
    end
  end

  assign retired_o = retired_q;
  assign stopped_o = stopped;
  assign pc_o = pc_q;
  assign cycle_o = now;
  assign svc_req_o = state_q == S_SVC;
  assign svc_num_o = sys_a[15:0];

`ifndef SYNTHESIS
  // Invariant: at most one molecule retires per cycle, and only from EXECUTE after a fetch.
  always_ff @(posedge clk_i) begin
    if (rst_ni && retired_q) begin
      assert (!retire) else $error("two molecules retired in consecutive cycles");
    end
    if (rst_ni && retire) begin
      assert (state_q == S_EXEC) else $error("retire outside EXECUTE");
    end
  end
`endif
endmodule
