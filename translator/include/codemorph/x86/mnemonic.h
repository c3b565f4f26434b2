// x86 mnemonics known to the decoder, as one X-macro list (the interpreter and the
// translator dispatch on Mnemonic; toString prints the lower-case name).
// Conditional families (Jcc, SETcc, CMOVcc) are one mnemonic each; the condition
// (SDM Vol. 1 App. B, "tttn" encoding) is DecodedInsn::cond. Operand-size variants
// (MOVSB/MOVSW/MOVSD, CBW/CWDE, PUSHA/PUSHAD, IRET/IRETD...) are one mnemonic each;
// DecodedInsn::opSize selects the variant.
#pragma once
#include <cstdint>
#include <string_view>

#define CODEMORPH_X86_MNEMONICS(X)                                                          \
  X(INVALID)                                                                                \
  /* integer, 8086/186 */                                                                   \
  X(AAA) X(AAD) X(AAM) X(AAS) X(ADC) X(ADD) X(AND) X(BOUND) X(CALL) X(CALLF) X(CBW)          \
  X(CWD) X(CLC) X(CLD) X(CLI) X(CMC) X(CMP) X(CMPS) X(DAA) X(DAS) X(DEC) X(DIV) X(ENTER)     \
  X(HLT) X(IDIV) X(IMUL) X(IN) X(INC) X(INS) X(INT) X(INT3) X(INTO) X(IRET) X(JCC) X(JCXZ)  \
  X(JMP) X(JMPF) X(LAHF) X(LDS) X(LEA) X(LEAVE) X(LES) X(LODS) X(LOOP) X(LOOPE) X(LOOPNE)   \
  X(MOV) X(MOVS) X(MUL) X(NEG) X(NOP) X(NOT) X(OR) X(OUT) X(OUTS) X(POP) X(POPA) X(POPF)    \
  X(PUSH) X(PUSHA) X(PUSHF) X(RCL) X(RCR) X(RET) X(RETF) X(ROL) X(ROR) X(SAHF) X(SAL)       \
  X(SALC) X(SAR) X(SBB) X(SCAS) X(SHL) X(SHR) X(STC) X(STD) X(STI) X(STOS) X(SUB) X(TEST)   \
  X(WAIT) X(XCHG) X(XLAT) X(XOR)                                                            \
  /* 286 system */                                                                          \
  X(ARPL) X(CLTS) X(LAR) X(LGDT) X(LIDT) X(LLDT) X(LMSW) X(LOADALL) X(LSL) X(LTR) X(SGDT)   \
  X(SIDT) X(SLDT) X(SMSW) X(STR) X(VERR) X(VERW)                                            \
  /* 386 */                                                                                 \
  X(BSF) X(BSR) X(BT) X(BTC) X(BTR) X(BTS) X(INT1) X(LFS) X(LGS) X(LSS) X(MOVSX) X(MOVZX)   \
  X(SETCC) X(SHLD) X(SHRD)                                                                  \
  /* 486 */                                                                                 \
  X(BSWAP) X(CMPXCHG) X(INVD) X(INVLPG) X(WBINVD) X(XADD)                                   \
  /* Pentium, P6, Pentium II */                                                             \
  X(CMPXCHG8B) X(CPUID) X(RDMSR) X(RDTSC) X(RSM) X(WRMSR) X(CMOVCC) X(RDPMC) X(UD1) X(UD2)  \
  X(SYSENTER) X(SYSEXIT)                                                                    \
  /* x87 (SDM Vol. 2 A.4 tables A-7..A-22) */                                               \
  X(ESC) X(F2XM1) X(FABS) X(FADD) X(FADDP) X(FBLD) X(FBSTP) X(FCHS) X(FNCLEX) X(FCMOVB)     \
  X(FCMOVE) X(FCMOVBE) X(FCMOVU) X(FCMOVNB) X(FCMOVNE) X(FCMOVNBE) X(FCMOVNU) X(FCOM)       \
  X(FCOMP) X(FCOMPP) X(FCOMI) X(FCOMIP) X(FCOS) X(FDECSTP) X(FDISI) X(FDIV) X(FDIVP)        \
  X(FDIVR) X(FDIVRP) X(FENI) X(FFREE) X(FFREEP) X(FIADD) X(FICOM) X(FICOMP) X(FIDIV)        \
  X(FIDIVR) X(FILD) X(FIMUL) X(FINCSTP) X(FNINIT) X(FIST) X(FISTP) X(FISUB) X(FISUBR)       \
  X(FLD) X(FLD1) X(FLDCW) X(FLDENV) X(FLDL2E) X(FLDL2T) X(FLDLG2) X(FLDLN2) X(FLDPI)        \
  X(FLDZ) X(FMUL) X(FMULP) X(FNOP) X(FPATAN) X(FPREM) X(FPREM1) X(FPTAN) X(FRNDINT)         \
  X(FRSTOR) X(FNSAVE) X(FSCALE) X(FSETPM) X(FSIN) X(FSINCOS) X(FSQRT) X(FST) X(FNSTCW)      \
  X(FNSTENV) X(FSTP) X(FNSTSW) X(FSUB) X(FSUBP) X(FSUBR) X(FSUBRP) X(FTST) X(FUCOM)         \
  X(FUCOMP) X(FUCOMPP) X(FUCOMI) X(FUCOMIP) X(FXAM) X(FXCH) X(FXTRACT) X(FYL2X) X(FYL2XP1)  \
  /* MMX (decoded for length; not executed yet) */                                          \
  X(EMMS) X(MOVD) X(MOVQ) X(PACKSSDW) X(PACKSSWB) X(PACKUSWB) X(PADDB) X(PADDD) X(PADDSB)   \
  X(PADDSW) X(PADDUSB) X(PADDUSW) X(PADDW) X(PAND) X(PANDN) X(PCMPEQB) X(PCMPEQD)           \
  X(PCMPEQW) X(PCMPGTB) X(PCMPGTD) X(PCMPGTW) X(PMADDWD) X(PMULHW) X(PMULLW) X(POR)         \
  X(PSLLD) X(PSLLQ) X(PSLLW) X(PSRAD) X(PSRAW) X(PSRLD) X(PSRLQ) X(PSRLW) X(PSUBB)          \
  X(PSUBD) X(PSUBSB) X(PSUBSW) X(PSUBUSB) X(PSUBUSW) X(PSUBW) X(PUNPCKHBW) X(PUNPCKHDQ)     \
  X(PUNPCKHWD) X(PUNPCKLBW) X(PUNPCKLDQ) X(PUNPCKLWD) X(PXOR)

namespace codemorph::x86 {

enum class Mnemonic : uint16_t {
#define CODEMORPH_X86_ENUM(name) name,
  CODEMORPH_X86_MNEMONICS(CODEMORPH_X86_ENUM)
#undef CODEMORPH_X86_ENUM
  Count
};

// Upper-case name as written in the X-macro ("ADD", "JCC", "FCMOVNBE").
std::string_view mnemonicName(Mnemonic m);

}  // namespace codemorph::x86
