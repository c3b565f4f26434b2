// x86 condition-code unit (knob hostisa.x86_flags): result and flags of the *.cc atoms
// exactly as the IA-32 instruction of the same width (Intel SDM Vol. 1 Appendix A), with
// the choices for undefined flags of docs/iss.md section 4 (and hostisa/iss semantics/cc.h).
// rd gets the w-bit result zero-extended; flags_o is the complete new xflags value.
module cm_x86flags
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
(
  input  opcode_e     op_i,
  input  logic [2:0]  width_i,   // bytes 1, 2, 4
  input  logic [31:0] a_i,       // rs1
  input  logic [31:0] b_i,       // rs2 or the sign-extended simm9
  input  logic [31:0] flags_i,   // xflags before the molecule
  output logic [31:0] result_o,
  output logic [31:0] flags_o
);
  logic [31:0] m;
  logic [5:0]  bits;
  logic [4:0]  msb;

  // ZF SF PF of a w-bit result.
  function automatic logic [31:0] szp(logic [31:0] r, logic [31:0] mask, logic [4:0] top);
    logic [31:0] f;
    f = '0;
    if ((r & mask) == '0) f |= FlagZF;
    if (r[top]) f |= FlagSF;
    if (~^r[7:0]) f |= FlagPF;
    return f;
  endfunction

  always_comb begin
    logic [32:0] full;
    logic [63:0] wide;
    logic [31:0] a, b, r, f, which;
    logic [4:0]  c;
    logic [5:0]  n;
    logic        cin, cf, sh_zero;
    logic signed [63:0] sv;
    m    = width_mask(width_i);
    bits = (width_i == 3'd1) ? 6'd8 : (width_i == 3'd2) ? 6'd16 : 6'd32;
    msb  = 5'(bits - 6'd1);
    a = a_i & m;
    b = b_i & m;
    c = b_i[4:0];
    r = '0;
    f = '0;
    which = FlagsArith;
    cin = |(flags_i & FlagCF);
    sh_zero = 1'b0;
    full = '0;
    wide = '0;
    sv = '0;
    n = '0;
    cf = 1'b0;
    unique case (op_i)
      OP_ADD_CC, OP_ADC_CC, OP_ADDI_CC, OP_INC_CC: begin
        if (op_i == OP_INC_CC) b = 32'd1;
        full = {1'b0, a} + {1'b0, b} + {32'd0, (op_i == OP_ADC_CC) & cin};
        r = full[31:0] & m;
        f = szp(r, m, msb);
        if (full[bits]) f |= FlagCF;
        if (((a ^ r) & (b ^ r) & (32'd1 << msb)) != '0) f |= FlagOF;
        if (((a ^ b ^ r) & 32'h10) != '0) f |= FlagAF;
        if (op_i == OP_INC_CC) which = FlagsArith & ~FlagCF;
      end
      OP_SUB_CC, OP_SBB_CC, OP_SUBI_CC, OP_DEC_CC, OP_NEG_CC: begin
        if (op_i == OP_DEC_CC) b = 32'd1;
        if (op_i == OP_NEG_CC) begin
          b = a;
          a = '0;
        end
        cf = (op_i == OP_SBB_CC) & cin;
        r = (a - b - {31'd0, cf}) & m;
        f = szp(r, m, msb);
        if (({1'b0, b} + {32'd0, cf}) > {1'b0, a}) f |= FlagCF;
        if (((a ^ b) & (a ^ r) & (32'd1 << msb)) != '0) f |= FlagOF;
        if (((a ^ b ^ r) & 32'h10) != '0) f |= FlagAF;
        if (op_i == OP_DEC_CC) which = FlagsArith & ~FlagCF;
      end
      OP_AND_CC, OP_ANDI_CC: begin
        r = a & b;
        f = szp(r, m, msb);
      end
      OP_OR_CC: begin
        r = a | b;
        f = szp(r, m, msb);
      end
      OP_XOR_CC: begin
        r = a ^ b;
        f = szp(r, m, msb);
      end
      OP_SHL_CC: begin
        sh_zero = (c == 5'd0);
        wide = {32'd0, a} << c;
        r = wide[31:0] & m;
        cf = wide[bits];
        f = szp(r, m, msb);
        if (cf) f |= FlagCF;
        if (r[msb] ^ cf) f |= FlagOF;
      end
      OP_SHR_CC: begin
        sh_zero = (c == 5'd0);
        r = a >> c;
        f = szp(r, m, msb);
        if (a[c - 5'd1]) f |= FlagCF;
        if (a[msb]) f |= FlagOF;
      end
      OP_SAR_CC: begin
        sh_zero = (c == 5'd0);
        sv = 64'($signed(sext_bytes(a, width_i)));
        r = 32'(sv >>> c) & m;
        f = szp(r, m, msb);
        if (sv[{1'b0, c - 5'd1}]) f |= FlagCF;
      end
      OP_ROL_CC, OP_ROR_CC: begin
        sh_zero = (c == 5'd0);
        n = 6'({1'b0, c} % bits);
        if (op_i == OP_ROR_CC && n != 6'd0) n = bits - n;
        r = (n == 6'd0) ? a : (((a << n) | (a >> (bits - n))) & m);
        which = FlagCF | FlagOF;
        if (op_i == OP_ROL_CC) begin
          if (r[0]) f |= FlagCF;
          if (r[msb] ^ r[0]) f |= FlagOF;
        end else begin
          if (r[msb]) f |= FlagCF;
          if (r[msb] ^ r[msb - 5'd1]) f |= FlagOF;
        end
      end
      default: begin
        r = '0;
        which = '0;
      end
    endcase
    if (sh_zero) begin
      r = a;
      which = '0;
    end
    result_o = r;
    flags_o = (flags_i & ~which) | (f & which);
  end
endmodule
