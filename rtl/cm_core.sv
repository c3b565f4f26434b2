// codemorph VLIW core, top level (docs/rtl.md). An in-order core that executes a molecule
// in one clock: in EXECUTE the fetched words are decoded, the scoreboard computes the
// issue cycle, one unit per slot type computes the results and faults, and at the retire
// edge every effect is applied in the ISS's order of effects -- and the next molecule is
// fetched at the same edge (prefetch), unless this molecule wrote memory or made an I/O
// access (its writes could change the code or the page attributes), stops the core or
// calls the service port; then the core waits in FETCH until the host's DBG_FETCH clock.
// A molecule with an I/O-bus read spends one more clock in EXECUTE: the read is done once
// the molecule is known not to fault. Modelled time is not the clock: the scoreboard
// computes each molecule's issue cycle exactly as docs/iss.md section 8 specifies.
//
// Host interface: cfg port (configuration registers, written before reset is released),
// run_i (execute), retired_o (a molecule retired or a trap was taken at the last edge),
// the service call port (svc_req_o / svc_ack_i with the held cycles), stopped_o, the
// fetch-timing answer fetch_extra_i (cm_fetch), the debug write port. Memory, page
// attributes, the I/O bus and MemoryTiming loads/stores are reached through DPI-C.
module cm_core
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
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
  input  logic [4:0]  dbg_sel_i,
  input  logic [7:0]  dbg_idx_i,
  input  logic [63:0] dbg_wdata_i,
  // MemoryTiming::fetch cycles of the fetched molecule (cm_fetch bytes_q), set by the host
  // before the molecule's execute clock; 0 without a timing model
  input  logic [31:0] fetch_extra_i
);
  dbg_sel_e dbg_sel;
  assign dbg_sel = dbg_sel_e'(dbg_sel_i);
  typedef enum logic [1:0] {S_FETCH, S_EXEC, S_SVC} state_e;
  state_e state_q /*verilator public_flat_rd*/;
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
          cfg_q.max8         <= cfg_wdata_i[6];
        end
        CFG_RESET_PC:        cfg_q.reset_pc <= cfg_wdata_i[31:0];
        default: ;
      endcase
    end
  end

  // ---- fetch ----
  // fetch at this edge: the host's DBG_FETCH (at pc) or the prefetch of a retiring
  // molecule (at its next pc); see `prefetch` below
  logic fetch, dbg_fetch, prefetch, stopped;
  logic [31:0] pc_next;
  logic [NumSlots-1:0][31:0] words;
  logic        fetch_fault;
  logic [31:0] seq;
  assign dbg_fetch = dbg_we_i && dbg_sel == DBG_FETCH && state_q != S_SVC;
  assign fetch = dbg_fetch || prefetch;

  cm_fetch u_fetch (
    .clk_i, .rst_ni,
    .fetch_i    (fetch),
    .pc_i       (dbg_fetch ? pc_q : pc_next),
    .mem_bytes_i(cfg_q.mem_bytes),
    .max8_i     (cfg_q.max8),
    .words_o    (words),
    .fault_o    (fetch_fault),
    .seq_o      (seq)
  );

  // ---- decode ----
  logic [5:0]  bytes;
  logic        commit_bit, illegal;
  atom_t [NumSlots-1:0] atoms;
  logic [NumSlots-1:0][2:0][5:0] src;
  logic [NumSlots-1:0][1:0][5:0] dst;
  logic [NumSlots-1:0] src_fl, dst_fl;

  cm_decode u_decode (
    .words_i   (words),
    .cfg_i     (cfg_q),
    .bytes_o   (bytes),
    .commit_o  (commit_bit),
    .atoms_o   (atoms),
    .illegal_o (illegal),
    .src_o     (src),
    .src_fl_o  (src_fl),
    .dst_o     (dst),
    .dst_fl_o  (dst_fl)
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
  // 2 atoms: slot 0 ALU0/muldiv/LSU, slot 1 ALU1/BRU. 4 atoms: ALU0/muldiv, ALU1, LSU, BRU.
  // 8 atoms (hostisa.max_atoms = 8): the 4-atom slots, then ALU2, ALU3, LSU (lane 1) and
  // the FPU slot (no FPU atoms are defined: nop only). LSU lane 0 is the first LSU slot.
  logic wide;
  logic [2:0] lsu0_slot, bru_slot;
  logic [1:0][NumSlots-1:0] lsu_slot_mask;  // per LSU lane: its slot
  unit_e [NumSlots-1:0] unit;
  assign wide = bytes != 6'd8;  // 4 or 8 atoms
  assign lsu0_slot = wide ? 3'd2 : 3'd0;
  assign bru_slot = wide ? 3'd3 : 3'd1;
  always_comb begin
    for (int unsigned s = 0; s < NumSlots; s++) unit[s] = atom_unit(atoms[s].op);
    lsu_slot_mask = '0;
    lsu_slot_mask[0][lsu0_slot] = 1'b1;
    lsu_slot_mask[1][Lsu1Slot] = 1'b1;
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
  slot_res_t alu_res [NumAlu];
  slot_res_t md_res, bru_res;
  for (genvar i = 0; i < NumAlu; i++) begin : g_alu
    localparam int unsigned S = i < 2 ? i : i + 2;  // ALU slots 0, 1, 4, 5
    cm_alu u_alu (
      .atom_i   (atoms[S]),
      .en_i     (ok_decode && unit[S] == UNIT_ALU),
      .rs1_i    (rs1v[S]),
      .rs2_i    (rs2v[S]),
      .rdv_i    (rdv[S]),
      .flags_i  (flags),
      .segbase_i(segbase[atoms[S].aux[2:0]]),
      .seglim_i (seglim[atoms[S].aux[2:0]]),
      .segattr_i(segattr[atoms[S].aux[2:0]]),
      .res_o    (alu_res[i])
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

  // Two LSU lanes, in slot order: lane 1 sees lane 0's pushes as pending stores (capacity,
  // IO_ORDER), like the ISS's earlier pushes of the molecule; both read memory, the store
  // buffer and the alias registers as they were before the molecule.
  logic [1:0][1:0][19:0] tlb_vpn;
  logic [1:0][1:0]  tlb_lookup, tlb_hit;
  logic [1:0][1:0][31:0] tlb_value;
  logic [1:0]       fwd_en, chk_hit;
  logic [1:0][7:0]  chk_mask;
  logic [1:0][31:0] chk_lo, chk_lo2;
  logic [1:0][2:0]  chk_len, chk_len2;
  logic [1:0][3:0][31:0] fwd_addr;
  logic [1:0][3:0]  fwd_hit;
  logic [1:0][3:0][7:0] fwd_data;
  logic [1:0]       io_go, io_rd, io_wr, io_done, protect, timed, timed_store, lsu_en;
  logic [1:0][1:0]  push, wr;
  logic [1:0][1:0][31:0] piece_addr, piece_value;
  logic [1:0][1:0][2:0]  piece_size;
  logic [1:0][2:0]  acc_size;
  logic [1:0][8:0]  lane_sb_count;
  slot_res_t        lsu_res [2];
  ld_req_t [1:0]    ld_req, ld_apply;
  assign lsu_en[0] = ok_decode && unit[lsu0_slot] == UNIT_LSU;
  assign lsu_en[1] = ok_decode && unit[Lsu1Slot] == UNIT_LSU;
  assign lane_sb_count[0] = sb_count;
  assign lane_sb_count[1] = sb_count + 9'(push[0][0]) + 9'(push[0][1]);

  for (genvar k = 0; k < 2; k++) begin : g_lsu
    logic [2:0] slot;
    assign slot = k == 0 ? lsu0_slot : 3'(Lsu1Slot);
    cm_lsu u_lsu (
      .clk_i, .rst_ni,
      .atom_i       (atoms[slot]),
      .en_i         (lsu_en[k]),
      .rs1_i        (rs1v[slot]),
      .rs2_i        (rs2v[slot]),
      .cfg_i        (cfg_q),
      .seq_i        (seq),
      .sb_count_i   (lane_sb_count[k]),
      .tlb_lookup_o (tlb_lookup[k]),
      .tlb_vpn_o    (tlb_vpn[k]),
      .tlb_hit_i    (tlb_hit[k]),
      .tlb_value_i  (tlb_value[k]),
      .chk_mask_o   (chk_mask[k]),
      .chk_lo_o     (chk_lo[k]),
      .chk_len_o    (chk_len[k]),
      .chk_lo2_o    (chk_lo2[k]),
      .chk_len2_o   (chk_len2[k]),
      .chk_hit_i    (chk_hit[k]),
      .fwd_en_o     (fwd_en[k]),
      .fwd_addr_o   (fwd_addr[k]),
      .fwd_hit_i    (fwd_hit[k]),
      .fwd_data_i   (fwd_data[k]),
      .io_go_i      (io_go[k]),
      .io_clear_i   (fetch),
      .io_rd_o      (io_rd[k]),
      .io_wr_o      (io_wr[k]),
      .io_done_o    (io_done[k]),
      .res_o        (lsu_res[k]),
      .push_o       (push[k]),
      .wr_o         (wr[k]),
      .piece_addr_o (piece_addr[k]),
      .piece_size_o (piece_size[k]),
      .piece_value_o(piece_value[k]),
      .protect_o    (protect[k]),
      .timed_o      (timed[k]),
      .timed_store_o(timed_store[k]),
      .size_o       (acc_size[k]),
      .ld_o         (ld_req[k])
    );
  end

  logic        jump;
  logic [31:0] target, sys_a, sys_b, next_pc;
  sys_e        sys;
  logic [1:0]  cycle_rd;
  assign next_pc = mol_pc_q + {26'd0, bytes};

  cm_bru u_bru (
    .atom_i       (atoms[bru_slot]),
    .en_i         (ok_decode && unit[bru_slot] == UNIT_BRU),
    .rs1_i        (rs1v[bru_slot]),
    .rs2_i        (rs2v[bru_slot]),
    .flags_i      (flags),
    .pc_i         (mol_pc_q),
    .next_i       (next_pc),
    .sb_count_i   (sb_count),
    .sreg_i       (sreg_rdata),
    .res_o        (bru_res),
    .jump_o       (jump),
    .target_o     (target),
    .sys_o        (sys),
    .sys_a_o      (sys_a),
    .sys_b_o      (sys_b),
    .cycle_rd_o   (cycle_rd)
  );

  slot_res_t [NumSlots-1:0] slot_res;
  always_comb begin
    slot_res = '0;
    slot_res[0] = alu_res[0] | md_res | (wide ? '0 : lsu_res[0]);
    slot_res[1] = alu_res[1] | (wide ? '0 : bru_res);
    slot_res[2] = wide ? lsu_res[0] : '0;
    slot_res[3] = wide ? bru_res : '0;
    slot_res[4] = alu_res[2];
    slot_res[5] = alu_res[3];
    slot_res[Lsu1Slot] = lsu_res[1];
  end

  // ---- traps ----
  logic mol_fault, trap, deliver;
  logic [7:0]  cause;
  logic [31:0] tval, trap_tpc;
  logic [3:0]  tinfo;
  logic exec, retire, ok;
  // I/O-bus accesses are made once the molecule is known not to fault, one clock per lane
  // with an I/O access, in slot order (lane 0 first); the molecule retires at the next edge.
  assign exec = state_q == S_EXEC && run_i;
  logic io_go0, io_go1;
  assign io_go0 = exec && (io_rd[0] || io_wr[0]) && !mol_fault && !io_done[0];
  assign io_go1 = exec && (io_rd[1] || io_wr[1]) && !mol_fault && !io_done[1] && !io_go0;
  assign io_go = {io_go1, io_go0};
  assign retire = exec && io_go == 2'b00;
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
    .dbg_a_we_i     (dbg_we_i && dbg_sel == DBG_STOP_A),
    .dbg_b_we_i     (dbg_we_i && dbg_sel == DBG_STOP_B),
    .dbg_idx_i      (dbg_idx_i),
    .dbg_wdata_i    (dbg_wdata_i),
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
    ld_apply = ld_req;
    ld_apply[0].valid = ok && ld_req[0].valid;
    ld_apply[1].valid = ok && ld_req[1].valid;
    fwe = 1'b0;
    fdata = '0;
    for (int unsigned s = 0; s < NumSlots; s++) begin
      we[s] = ok && slot_res[s].we;
      waddr[s] = slot_res[s].rd;
      wdata[s] = slot_res[s].wdata;
      if (3'(s) == bru_slot && cycle_rd[0]) wdata[s] = issue[31:0];
      if (3'(s) == bru_slot && cycle_rd[1]) wdata[s] = issue[63:32];
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
    .ld_i      (ld_apply),
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

  // Store-buffer ports in slot order: lane 0's pieces, then lane 1's.
  cm_store_buffer #(.SbDepth(SbDepth)) u_store_buffer (
    .clk_i, .rst_ni,
    .discard_i   (rollback),
    .commit_i    (commit),
    .push_i      (ok ? {push[1], push[0]} : 4'b0000),
    .push_addr_i ({piece_addr[1], piece_addr[0]}),
    .push_size_i ({piece_size[1], piece_size[0]}),
    .push_value_i({piece_value[1], piece_value[0]}),
    .wr_i        (ok ? {wr[1], wr[0]} : 4'b0000),
    .wr_addr_i   ({piece_addr[1], piece_addr[0]}),
    .wr_size_i   ({piece_size[1], piece_size[0]}),
    .wr_value_i  ({piece_value[1], piece_value[0]}),
    .fwd_en_i    (fwd_en),
    .fwd_addr_i  (fwd_addr),
    .fwd_hit_o   (fwd_hit),
    .fwd_data_o  (fwd_data),
    .count_o     (sb_count),
    .win_en_i    (commit_bit),
    .win_lo_i    (pc_next),
    .win_hit_o   (drain_hits_next),
    .dbg_entry_we_i(dbg_we_i && dbg_sel == DBG_SB_ENTRY),
    .dbg_count_we_i(dbg_we_i && dbg_sel == DBG_SB_COUNT),
    .dbg_idx_i   (dbg_idx_i),
    .dbg_wdata_i (dbg_wdata_i)
  );

  logic [1:0][2:0] set_idx;
  logic [1:0][31:0] set_lo2;
  always_comb begin
    for (int unsigned k = 0; k < 2; k++) begin
      set_idx[k] = atoms[k == 0 ? 32'(lsu0_slot) : Lsu1Slot].aux[2:0];
      set_lo2[k] = piece_size[k][1] != 3'd0 ? piece_addr[k][1] : 32'd0;  // as the ISS: 0 if one piece
    end
  end

  cm_alias #(.NumAlias(NumAlias)) u_alias (
    .clk_i, .rst_ni,
    .clear_i   (rollback || commit),
    .set_i     (ok ? protect : 2'b00),
    .set_idx_i (set_idx),
    .set_lo_i  ({piece_addr[1][0], piece_addr[0][0]}),
    .set_len_i ({piece_size[1][0], piece_size[0][0]}),
    .set_lo2_i (set_lo2),
    .set_len2_i({piece_size[1][1], piece_size[0][1]}),
    .chk_mask_i(chk_mask),
    .chk_lo_i  (chk_lo),
    .chk_len_i (chk_len),
    .chk_lo2_i (chk_lo2),
    .chk_len2_i(chk_len2),
    .chk_hit_o (chk_hit),
    .dbg_lo_we_i (dbg_we_i && dbg_sel == DBG_ALIAS_LO),
    .dbg_lo2_we_i(dbg_we_i && dbg_sel == DBG_ALIAS_LO2),
    .dbg_idx_i   (dbg_idx_i),
    .dbg_wdata_i (dbg_wdata_i[31:0])
  );

  cm_tlb #(.TlbDepth(TlbDepth)) u_tlb (
    .clk_i, .rst_ni,
    .clear_i    (1'b0),
    .entries_i  (cfg_q.tlb_entries),
    .lookup_i   (tlb_lookup),
    .vpn_i      (tlb_vpn),
    .hit_o      (tlb_hit),
    .value_o    (tlb_value),
    .wr_i       ((ok && sys == SYS_TLBWR) || (dbg_we_i && dbg_sel == DBG_TLB_INSERT)),
    .wr_linear_i(dbg_we_i ? dbg_wdata_i[63:32] : sys_a),
    .wr_value_i (dbg_we_i ? dbg_wdata_i[31:0] : sys_b),
    .flush_i    ((ok && sys == SYS_TLBFL) || (dbg_we_i && dbg_sel == DBG_TLB_FLUSH)),
    .dbg_entry_we_i(dbg_we_i && dbg_sel == DBG_TLB_ENTRY),
    .dbg_next_we_i (dbg_we_i && dbg_sel == DBG_TLB_NEXT),
    .dbg_idx_i  (dbg_idx_i),
    .dbg_wdata_i(dbg_wdata_i)
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
    .src_i        (fetch_fault ? '0 : src),
    .src_fl_i     (fetch_fault ? '0 : src_fl),
    .fetch_extra_i(fetch_fault ? 32'd0 : fetch_extra_i),
    .issue_o      (issue),
    .now_o        (now),
    .retire_i     (retire),
    .ok_i         (!mol_fault),
    .dst_i        (dst),
    .dst_fl_i     (dst_fl),
    .atoms_i      (atoms),
    .lsu_slot_i   (lsu_slot_mask),
    .timed_i      (timed),
    .timed_store_i(timed_store),
    .timed_addr_i ({piece_addr[1][0], piece_addr[0][0]}),
    .timed_size_i (acc_size),
    .extra_i      (extra),
    .add_i        ((state_q == S_SVC && svc_ack_i && !svc_none_i) || adv_i),
    .add_cycles_i ((state_q == S_SVC && svc_ack_i && !svc_none_i) ? svc_cycles_i : adv_cycles_i),
    .dbg_ready_we_i(dbg_we_i && dbg_sel == DBG_READY),
    .dbg_class_we_i(dbg_we_i && dbg_sel == DBG_CLASS),
    .dbg_now_we_i  (dbg_we_i && dbg_sel == DBG_NOW),
    .dbg_idx_i     (dbg_idx_i),
    .dbg_wdata_i   (dbg_wdata_i)
  );

  // ---- control: pc, prefetch, state ----
  // pc after the retiring molecule (a faulting one stays, or enters the handler).
  logic stop_now, mem_touch, drain_hits_next, write_hits_next;
  always_comb begin
    pc_next = pc_q;
    if (mol_fault) begin
      if (deliver) pc_next = tvec;
    end else begin
      pc_next = jump ? target : next_pc;
      if (sys == SYS_ERET) pc_next = tpc;
      if (trap && deliver) pc_next = tvec;
    end
  end
  always_comb begin
    // The core stops, or waits for the service port: fetch when it goes on.
    stop_now = (trap && !deliver) || (!mol_fault && (sys == SYS_HALT || sys == SYS_SVC));
    // The prefetch reads memory as it was before this molecule's writes (the host applies
    // them after the edge). A molecule that writes (host stores, stio to memory, the commit
    // drain) into the 32 bytes at the next pc, or makes an I/O access (a device may write
    // memory or change attributes), does not prefetch: the next molecule is fetched at the
    // host's DBG_FETCH.
    write_hits_next = 1'b0;
    for (int unsigned k = 0; k < 2; k++) begin
      for (int unsigned p = 0; p < 2; p++) begin
        if ((wr[k][p] || (commit_bit && push[k][p])) &&
            {1'b0, piece_addr[k][p]} < {1'b0, pc_next} + 33'd32 &&
            {1'b0, pc_next} < {1'b0, piece_addr[k][p]} + 33'(piece_size[k][p])) write_hits_next = 1'b1;
      end
    end
    mem_touch = !mol_fault && (io_wr != '0 || io_rd != '0 || write_hits_next || (commit_bit && drain_hits_next));
    prefetch = retire && !stop_now && !mem_touch;
  end

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
          if (dbg_fetch) begin
            mol_pc_q <= pc_q;
            state_q <= S_EXEC;
          end
        end
        S_EXEC: begin
          if (retire) begin
            pc_q <= pc_next;
            // The service port reports the svc molecule (pc, number) until the host answers.
            if (prefetch) mol_pc_q <= pc_next;
            state_q <= (!mol_fault && sys == SYS_SVC) ? S_SVC : (prefetch ? S_EXEC : S_FETCH);
          end else if (dbg_fetch) begin
            mol_pc_q <= pc_q;    // fetch again (the host changed memory or attributes)
          end else if (dbg_we_i) begin
            state_q <= S_FETCH;  // the host changed state: the prefetched molecule may be stale
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
  // Invariant: at most one molecule retires per cycle -- modelled cycle: each retiring
  // molecule issues strictly after the previous one (t > previous t; the scoreboard's
  // now = t + 1 + penalties) -- and each fetched molecule retires at most once, only
  // from EXECUTE.
  logic [63:0] last_issue_q;
  logic [31:0] last_seq_q;
  logic        last_valid_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni || (dbg_we_i && dbg_sel == DBG_NOW)) begin
      last_valid_q <= 1'b0;
    end else if (retire) begin
      assert (state_q == S_EXEC) else $error("retire outside EXECUTE");
      assert (!last_valid_q || seq != last_seq_q) else $error("a fetched molecule retired twice");
      assert (!last_valid_q || issue > last_issue_q) else $error("two molecules retired in one cycle");
      last_issue_q <= issue;
      last_seq_q <= seq;
      last_valid_q <= 1'b1;
    end
  end
`endif
endmodule
