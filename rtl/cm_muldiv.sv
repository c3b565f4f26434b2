// Multiplier/divider (unit ALU0, slot 0 only): mul, mulh, mulhu, imul.cc and the divides.
// Division truncates toward zero; a zero divisor or INT_MIN / -1 raises DIVIDE (tval 0).
// The result is computed at issue; the mul/div latency is a scoreboard matter (docs/rtl.md).
module cm_muldiv
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
(
  input  atom_t       atom_i,
  input  logic        en_i,
  input  logic [31:0] rs1_i,
  input  logic [31:0] rs2_i,
  input  logic [31:0] flags_i,
  output slot_res_t   res_o
);
  always_comb begin
    logic signed [63:0] sp, ip;
    logic [63:0] up;
    logic [31:0] v, r;
    logic        dz, ovf, fits;
    sp = $signed({{32{rs1_i[31]}}, rs1_i}) * $signed({{32{rs2_i[31]}}, rs2_i});
    up = {32'd0, rs1_i} * {32'd0, rs2_i};
    ip = 64'($signed(sext_bytes(rs1_i, atom_i.width))) *
         64'($signed(sext_bytes(rs2_i, atom_i.width)));
    r = ip[31:0] & width_mask(atom_i.width);
    fits = 64'($signed(sext_bytes(r, atom_i.width))) == ip;
    dz = rs2_i == 32'd0;
    ovf = rs1_i == 32'h8000_0000 && rs2_i == 32'hFFFF_FFFF;
    v = '0;
    res_o = '0;
    res_o.cause = TRAP_NONE;
    unique case (atom_i.op)
      OP_MUL:   v = up[31:0];
      OP_MULH:  v = sp[63:32];
      OP_MULHU: v = up[63:32];
      OP_DIV:   v = (dz || ovf) ? '0 : 32'($signed(rs1_i) / $signed(rs2_i));
      OP_DIVU:  v = dz ? '0 : rs1_i / rs2_i;
      OP_REM:   v = (dz || ovf) ? '0 : 32'($signed(rs1_i) % $signed(rs2_i));
      OP_REMU:  v = dz ? '0 : rs1_i % rs2_i;
      default:  v = r;  // imul.cc
    endcase
    if (en_i) begin
      res_o.we = 1'b1;
      res_o.rd = atom_i.rd;
      res_o.wdata = v;
      if (atom_i.op == OP_IMUL_CC) begin
        res_o.fwe = 1'b1;
        res_o.fdata = (flags_i & ~(FlagCF | FlagOF)) | (fits ? 32'd0 : (FlagCF | FlagOF));
      end
      if ((atom_i.op inside {OP_DIV, OP_REM} && (dz || ovf)) || (atom_i.op inside {OP_DIVU, OP_REMU} && dz)) begin
        res_o.fault = 1'b1;
        res_o.cause = TRAP_DIVIDE;
      end
    end
  end
endmodule
