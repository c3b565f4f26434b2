// Integer ALU of one slot (unit ALU): arithmetic, logic, shifts, compares, li/lih, the x86
// condition-code atoms (through cm_x86flags), setcc/sel, partial-register insert/extract
// and segment address generation with limit check (agen, Intel SDM Vol. 3A 5.3).
// Combinational: results are computed at issue (docs/rtl.md).
module cm_alu
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
(
  input  atom_t       atom_i,
  input  logic        en_i,         // the slot's atom belongs to this unit
  input  logic [31:0] rs1_i,
  input  logic [31:0] rs2_i,
  input  logic [31:0] rdv_i,        // old rd (ins*, lih)
  input  logic [31:0] flags_i,
  input  logic [31:0] segbase_i,    // segment registers selected by atom_i.aux
  input  logic [31:0] seglim_i,
  input  logic [31:0] segattr_i,
  output slot_res_t   res_o
);
  logic [31:0] cc_res, cc_flags, cc_b;
  logic [12:0] ops;

  assign ops  = atom_operands(atom_i.op);
  assign cc_b = (atom_i.op inside {OP_ADDI_CC, OP_SUBI_CC, OP_ANDI_CC}) ? atom_i.imm : rs2_i;

  cm_x86flags u_x86flags (
    .op_i    (en_i ? atom_i.op : OP_NOP),
    .width_i (atom_i.width),
    .a_i     (rs1_i),
    .b_i     (cc_b),
    .flags_i (flags_i),
    .result_o(cc_res),
    .flags_o (cc_flags)
  );

  always_comb begin
    logic [31:0] v, imm;
    logic [32:0] last;
    logic        bad;
    imm = atom_i.imm;
    v = '0;
    bad = 1'b0;
    last = '0;
    res_o = '0;
    res_o.cause = TRAP_NONE;
    // A unit whose slot holds no ALU atom computes nothing (saves simulation time; the
    // result is masked below anyway).
    if (en_i) unique case (atom_i.op)
      OP_ADD:   v = rs1_i + rs2_i;
      OP_SUB:   v = rs1_i - rs2_i;
      OP_AND:   v = rs1_i & rs2_i;
      OP_OR:    v = rs1_i | rs2_i;
      OP_XOR:   v = rs1_i ^ rs2_i;
      OP_ANDN:  v = rs1_i & ~rs2_i;
      OP_SHL:   v = rs1_i << rs2_i[4:0];
      OP_SHR:   v = rs1_i >> rs2_i[4:0];
      OP_SAR:   v = 32'($signed(rs1_i) >>> rs2_i[4:0]);
      OP_ROL:   v = (rs1_i << rs2_i[4:0]) | (rs1_i >> (6'd32 - {1'b0, rs2_i[4:0]}));
      OP_ROR:   v = (rs1_i >> rs2_i[4:0]) | (rs1_i << (6'd32 - {1'b0, rs2_i[4:0]}));
      OP_SLT:   v = {31'd0, $signed(rs1_i) < $signed(rs2_i)};
      OP_SLTU:  v = {31'd0, rs1_i < rs2_i};
      OP_SEQ:   v = {31'd0, rs1_i == rs2_i};
      OP_ADDI:  v = rs1_i + imm;
      OP_ANDI:  v = rs1_i & imm;
      OP_ORI:   v = rs1_i | imm;
      OP_XORI:  v = rs1_i ^ imm;
      OP_SHLI:  v = rs1_i << imm[4:0];
      OP_SHRI:  v = rs1_i >> imm[4:0];
      OP_SARI:  v = 32'($signed(rs1_i) >>> imm[4:0]);
      OP_ROLI:  v = (rs1_i << imm[4:0]) | (rs1_i >> (6'd32 - {1'b0, imm[4:0]}));
      OP_SLTI:  v = {31'd0, $signed(rs1_i) < $signed(imm)};
      OP_SLTIU: v = {31'd0, rs1_i < imm};
      OP_SEQI:  v = {31'd0, rs1_i == imm};
      OP_LI:    v = {{16{imm[15]}}, imm[15:0]};
      OP_LIH:   v = {imm[15:0], rdv_i[15:0]};
      OP_SETCC: v = {31'd0, cond_holds(atom_i.cond, flags_i)};
      OP_SEL:   v = cond_holds(atom_i.cond, flags_i) ? rs1_i : rs2_i;
      OP_INS8L: v = {rdv_i[31:8], rs1_i[7:0]};
      OP_INS8H: v = {rdv_i[31:16], rs1_i[7:0], rdv_i[7:0]};
      OP_INS16: v = {rdv_i[31:16], rs1_i[15:0]};
      OP_EXT8H: v = {24'd0, rs1_i[15:8]};
      OP_ZEXT8: v = {24'd0, rs1_i[7:0]};
      OP_ZEXT16: v = {16'd0, rs1_i[15:0]};
      OP_SEXT8: v = sext_bytes(rs1_i, 3'd1);
      OP_SEXT16: v = sext_bytes(rs1_i, 3'd2);
      OP_AGEN: begin
        last = {1'b0, rs1_i} + {30'd0, atom_i.width} - 33'd1;
        if (segattr_i[0]) begin
          bad = ({1'b0, rs1_i} <= {1'b0, seglim_i}) ||
                (last > (segattr_i[1] ? 33'h0_FFFF_FFFF : 33'h0_0000_FFFF));
        end else begin
          bad = last > {1'b0, seglim_i};
        end
        v = segbase_i + rs1_i;
      end
      default: v = cc_res;  // the *.cc atoms
    endcase
    if (en_i) begin
      res_o.we = (ops & OPF_WD) != '0;
      res_o.rd = atom_i.rd;
      res_o.wdata = v;
      res_o.fwe = (ops & OPF_WF) != '0;
      res_o.fdata = cc_flags;
      if (bad) begin
        res_o.fault = 1'b1;
        res_o.cause = TRAP_SEGMENT;
        res_o.tval = rs1_i;
      end
    end
  end
endmodule
