// Branch/system unit (unit BRU, the molecule's last slot): branches, call/jalr, mfsr/mtsr
// and the system atoms (svc, trap, halt, rollback, eret, tlbwr, tlbfl), which it reports as
// the molecule's system effect for the core to apply in the ISS's order of effects.
module cm_bru
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
(
  input  atom_t       atom_i,
  input  logic        en_i,
  input  logic [31:0] rs1_i,
  input  logic [31:0] rs2_i,
  input  logic [31:0] flags_i,
  input  logic [31:0] pc_i,
  input  logic [31:0] next_i,
  input  logic [8:0]  sb_count_i,
  input  logic [31:0] sreg_i,         // special register atom_i.aux (cm_sregs read port)
  output slot_res_t   res_o,
  output logic        jump_o,
  output logic [31:0] target_o,
  output sys_e        sys_o,
  output logic [31:0] sys_a_o,
  output logic [31:0] sys_b_o,
  // mfsr cycle / cycleh: rd gets the low / high word of the issue cycle t, which cm_core
  // puts in (t depends on the fetch timing answered by the host; keeping it out of this
  // unit keeps the unit's logic independent of the core's inputs)
  output logic [1:0]  cycle_rd_o
);
  always_comb begin
    logic [31:0] tgt;
    logic        take;
    tgt = pc_i + {atom_i.imm[28:0], 3'b000};  // offset in 8-byte molecule units
    take = 1'b0;
    res_o = '0;
    res_o.cause = TRAP_NONE;
    sys_o = SYS_NONE;
    sys_a_o = '0;
    sys_b_o = '0;
    target_o = tgt;
    cycle_rd_o = 2'b00;
    unique case (atom_i.op)
      OP_BEQ:  take = rs1_i == rs2_i;
      OP_BNE:  take = rs1_i != rs2_i;
      OP_BLT:  take = $signed(rs1_i) < $signed(rs2_i);
      OP_BGE:  take = $signed(rs1_i) >= $signed(rs2_i);
      OP_BLTU: take = rs1_i < rs2_i;
      OP_BGEU: take = rs1_i >= rs2_i;
      OP_BZ:   take = rs1_i == 32'd0;
      OP_BNZ:  take = rs1_i != 32'd0;
      OP_BCC:  take = cond_holds(atom_i.cond, flags_i);
      OP_J:    take = 1'b1;
      OP_CALL: begin
        take = 1'b1;
        res_o.we = 1'b1;
        res_o.rd = 6'(LINK_REG);
        res_o.wdata = next_i;
      end
      OP_JALR: begin
        take = 1'b1;
        target_o = rs1_i;
        res_o.we = 1'b1;
        res_o.rd = atom_i.rd;
        res_o.wdata = next_i;
      end
      OP_MFSR: begin
        res_o.we = 1'b1;
        res_o.rd = atom_i.rd;
        unique case (atom_i.aux)
          8'(SR_XFLAGS):  res_o.wdata = flags_i;
          8'(SR_CYCLE):   cycle_rd_o = 2'b01;
          8'(SR_CYCLEH):  cycle_rd_o = 2'b10;
          8'(SR_SBCOUNT): res_o.wdata = {23'd0, sb_count_i};
          default:        res_o.wdata = sreg_i;
        endcase
      end
      OP_MTSR: begin
        sys_o = SYS_MTSR;
        sys_a_o = {24'd0, atom_i.aux};
        sys_b_o = rs1_i;
        if (atom_i.aux == 8'(SR_XFLAGS)) begin
          res_o.fwe = 1'b1;
          res_o.fdata = rs1_i;
        end
      end
      OP_SVC:      begin sys_o = SYS_SVC;  sys_a_o = {16'd0, atom_i.imm[15:0]}; end
      OP_TRAP:     begin sys_o = SYS_TRAP; sys_a_o = {16'd0, atom_i.imm[15:0]}; end
      OP_HALT:     sys_o = SYS_HALT;
      OP_ROLLBACK: sys_o = SYS_ROLLBACK;
      OP_ERET:     sys_o = SYS_ERET;
      OP_TLBWR:    begin sys_o = SYS_TLBWR; sys_a_o = rs1_i; sys_b_o = rs2_i; end
      OP_TLBFL:    sys_o = SYS_TLBFL;
      default:     take = 1'b0;
    endcase
    jump_o = take && en_i;
    if (!en_i) begin
      res_o = '0;
      res_o.cause = TRAP_NONE;
      sys_o = SYS_NONE;
      cycle_rd_o = 2'b00;
    end
  end
endmodule
