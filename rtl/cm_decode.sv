// Molecule decoder (docs/iss.md section 2 step 2): size code, reserved header bits, atom
// decode through codemorph_isa_pkg::decode_atom, slot rules, write conflicts, at most one
// control transfer, disabled co-designed features and alias-register indices. Any error
// makes the molecule ILLEGAL. Also derives the scoreboard sources (regUse of the ISA) and
// the registers each slot writes, as register indices (not 65-bit masks: the scoreboard
// then reads and writes at most a dozen entries per molecule).
module cm_decode
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
(
  input  logic [NumSlots-1:0][31:0] words_i,
  input  cfg_t                      cfg_i,
  output logic [5:0]                bytes_o,
  output logic                      commit_o,
  output atom_t [NumSlots-1:0]      atoms_o,     // nop in slots past the molecule
  output logic                      illegal_o,
  // Scoreboard sources per slot (rs1, rs2, old rd; 0 = none, r0 is never a source) and
  // whether the slot reads xflags; slots whose sources do not count are all zero.
  output logic [NumSlots-1:0][2:0][5:0] src_o,
  output logic [NumSlots-1:0]       src_fl_o,
  // Registers each slot writes: rd and r63 of call (0 = none: writes of r0 are dropped)
  // and xflags.
  output logic [NumSlots-1:0][1:0][5:0] dst_o,
  output logic [NumSlots-1:0]       dst_fl_o
);
  logic [3:0] n;
  logic decode_err, feature_err;
  logic [NumSlots-1:0] active;

  // verilator lint_off UNUSEDSIGNAL
  // Only the feature bits of the configuration matter here.
  function automatic logic feature_ok(opcode_e op, cfg_t cfg);
    unique case (op)
      OP_ADD_CC, OP_ADC_CC, OP_SUB_CC, OP_SBB_CC, OP_AND_CC, OP_OR_CC, OP_XOR_CC, OP_SHL_CC,
      OP_SHR_CC, OP_SAR_CC, OP_ROL_CC, OP_ROR_CC, OP_IMUL_CC, OP_INC_CC, OP_DEC_CC, OP_NEG_CC,
      OP_ADDI_CC, OP_SUBI_CC, OP_ANDI_CC, OP_SETCC, OP_SEL, OP_BCC: return cfg.x86_flags;
      OP_INS8L, OP_INS8H, OP_INS16, OP_EXT8H: return cfg.partial_regs;
      OP_AGEN: return cfg.seg_agen;
      OP_TLBWR, OP_TLBFL: return cfg.host_tlb;
      OP_LDP8U, OP_LDP8S, OP_LDP16U, OP_LDP16S, OP_LDP32,
      OP_STC8, OP_STC16, OP_STC32: return cfg.alias_hw;
      default: return 1'b1;
    endcase
  endfunction
  // verilator lint_on UNUSEDSIGNAL

  always_comb begin
    logic [3:0] branches;
    logic [12:0] ops;
    logic [NumSlots-1:0] counted;  // slots before the first feature/alias error
    n = size_code_atoms(words_i[0][31:HEADER_LO]);
    decode_err = (n == 4'd0) || (n > (cfg_i.max8 ? 4'd8 : 4'd4)) || words_i[1][30];
    feature_err = 1'b0;
    branches = '0;
    counted = '0;
    for (int unsigned s = 0; s < NumSlots; s++) begin
      active[s] = 32'(s) < 32'(n);
      ops = '0;
      // Slots past the molecule hold nops (and cost no decoding: most molecules have 2 or 4).
      atoms_o[s] = '0;
      atoms_o[s].op = OP_NOP;
      dst_o[s] = '0;
      dst_fl_o[s] = 1'b0;
      src_o[s] = '0;
      src_fl_o[s] = 1'b0;
      if (active[s]) begin
        atoms_o[s] = decode_atom(words_i[s][29:0]);
        if (s >= 2 && words_i[s][31:30] != 2'b00) decode_err = 1'b1;
        ops = atom_operands(atoms_o[s].op);
        dst_o[s][0] = (ops & OPF_WD) != '0 ? atoms_o[s].rd : 6'd0;
        dst_o[s][1] = (ops & OPF_LINK) != '0 ? 6'(LINK_REG) : 6'd0;
        dst_fl_o[s] = (ops & OPF_WF) != '0 || (atoms_o[s].op == OP_MTSR && atoms_o[s].aux == 8'(SR_XFLAGS));
        src_o[s][0] = (ops & OPF_R1) != '0 ? atoms_o[s].rs1 : 6'd0;
        src_o[s][1] = (ops & OPF_R2) != '0 ? atoms_o[s].rs2 : 6'd0;
        src_o[s][2] = (ops & OPF_RD) != '0 ? atoms_o[s].rd : 6'd0;
        src_fl_o[s] = (ops & OPF_RF) != '0 || (atoms_o[s].op == OP_MFSR && atoms_o[s].aux == 8'(SR_XFLAGS));
        if (!atoms_o[s].valid) decode_err = 1'b1;
        if (!slot_accepts(n, 3'(s), atom_unit(atoms_o[s].op))) decode_err = 1'b1;
        if ((ops & OPF_BRANCH) != '0) branches = branches + 4'd1;
        // two writers of one register (r0 excepted) or of xflags
        for (int unsigned p = 0; p < s; p++) begin
          for (int unsigned k = 0; k < 2; k++) begin
            if (dst_o[s][k] != 6'd0 && (dst_o[s][k] == dst_o[p][0] || dst_o[s][k] == dst_o[p][1])) decode_err = 1'b1;
          end
          if (dst_fl_o[s] && dst_fl_o[p]) decode_err = 1'b1;
        end
        // The ISS counts the sources of the slots before the first feature/alias error.
        if (!feature_err) begin
          if (!feature_ok(atoms_o[s].op, cfg_i) ||
              (atoms_o[s].op inside {OP_LDP8U, OP_LDP8S, OP_LDP16U, OP_LDP16S, OP_LDP32} &&
               {4'b0, atoms_o[s].aux} >= {8'b0, cfg_i.alias_regs}) ||
              (atoms_o[s].op inside {OP_STC8, OP_STC16, OP_STC32} &&
               (16'({8'b0, atoms_o[s].aux} >> cfg_i.alias_regs) != 16'd0))) begin
            feature_err = 1'b1;
          end else begin
            counted[s] = 1'b1;
          end
        end
      end
    end
    if (branches > 4'd1) decode_err = 1'b1;
    for (int unsigned s = 0; s < NumSlots; s++) begin
      if (decode_err || !counted[s]) begin
        src_o[s] = '0;
        src_fl_o[s] = 1'b0;
      end
    end
    illegal_o = decode_err | feature_err;
    commit_o = words_i[1][COMMIT_BIT];
    bytes_o = (n == 4'd4 || n == 4'd8) ? {n, 2'b00} : 6'd8;
  end
endmodule
