// Opcode extensions by ModRM.reg, SDM Vol. 2D Appendix A.4, Table A-6 ("Opcode Extensions
// for One- and Two-byte Opcodes by Group Number"). A member with no operands inherits
// the operands written on the group's opcode row (e.g. 80 "Grp1 Eb,Ib" -> ADD Eb,Ib);
// a member with operands uses its own (Grp5 "near CALL Ev", Grp3 "TEST Ib/Iz").
// Register-only / memory-only cells follow from the operand notation (M.., N..).
//
// Deviations from Table A-6 (see docs/x86-decoder.md):
//  - Grp2 /6 decodes as SAL (alias of SHL), Grp3 /1 as TEST (alias of /0): undocumented
//    but implemented by all Intel IA-32 CPUs (and present in the 80286 SST data).
//  - Grp7 mod == 3 rows (MONITOR, VMCALL, SWAPGS, ...) are #UD except SMSW Rv and LMSW
//    Ew, which take registers: those extensions came after the Pentium II.
//  - Grp9 keeps only /1 CMPXCHG8B Mq; Grp12-14 only the MMX (no-prefix) rows.
#include "tables.h"

namespace codemorph::x86::detail {
using enum Mnemonic;
using enum Opnd;

// clang-format off
const OpcodeEntry kGroups[kGroupCount][8] = {
  // Grp1 (80-83): ADD OR ADC SBB AND SUB XOR CMP
  {I(ADD).lock(), I(OR).lock(), I(ADC).lock(), I(SBB).lock(),
   I(AND).lock(), I(SUB).lock(), I(XOR).lock(), I(CMP)},
  // Grp1A (8F): POP Ev
  {I(POP), UD, UD, UD, UD, UD, UD, UD},
  // Grp2 (C0, C1, D0-D3): shifts and rotates
  {I(ROL), I(ROR), I(RCL), I(RCR), I(SHL), I(SHR), I(SAL).undoc(), I(SAR)},
  // Grp3 (F6): Eb
  {I(TEST, Eb, Ib), I(TEST, Eb, Ib).undoc(), I(NOT).lock(), I(NEG).lock(),
   I(MUL), I(IMUL), I(DIV), I(IDIV)},
  // Grp3 (F7): Ev
  {I(TEST, Ev, Iz), I(TEST, Ev, Iz).undoc(), I(NOT).lock(), I(NEG).lock(),
   I(MUL), I(IMUL), I(DIV), I(IDIV)},
  // Grp4 (FE)
  {I(INC, Eb).lock(), I(DEC, Eb).lock(), UD, UD, UD, UD, UD, UD},
  // Grp5 (FF)
  {I(INC, Ev).lock(), I(DEC, Ev).lock(), I(CALL, Ev).br(), I(CALLF, Mp).br(),
   I(JMP, Ev).br(), I(JMPF, Mp).br(), I(PUSH, Ev), UD},
  // Grp6 (0F 00): local descriptor table and task register
  {I(SLDT, RvMw).pm(), I(STR, RvMw).pm(), I(LLDT, Ew).pm().priv(), I(LTR, Ew).pm().priv(),
   I(VERR, Ew).pm(), I(VERW, Ew).pm(), UD, UD},
  // Grp7 (0F 01): descriptor tables, machine status word, TLB
  {I(SGDT, Ms), I(SIDT, Ms), I(LGDT, Ms).priv(), I(LIDT, Ms).priv(),
   I(SMSW, RvMw), UD, I(LMSW, Ew).priv(), I(INVLPG, M).f(kFeat486).priv()},
  // Grp8 (0F BA): bit test with immediate, Ev,Ib
  {UD, UD, UD, UD, I(BT), I(BTS).lock(), I(BTR).lock(), I(BTC).lock()},
  // Grp9 (0F C7)
  {UD, I(CMPXCHG8B, Mq).f(kFeatPentium).lock(), UD, UD, UD, UD, UD, UD},
  // Grp11 (C6, C7): MOV Eb,Ib / Ev,Iz
  {I(MOV), UD, UD, UD, UD, UD, UD, UD},
  // Grp12 (0F 71): MMX word shifts by immediate, Nq,Ib
  {UD, UD, I(PSRLW).mmx(), UD, I(PSRAW).mmx(), UD, I(PSLLW).mmx(), UD},
  // Grp13 (0F 72): MMX dword shifts by immediate, Nq,Ib
  {UD, UD, I(PSRLD).mmx(), UD, I(PSRAD).mmx(), UD, I(PSLLD).mmx(), UD},
  // Grp14 (0F 73): MMX qword shifts by immediate, Nq,Ib (/3, /7 are SSE2 with 66)
  {UD, UD, I(PSRLQ).mmx(), UD, UD, UD, I(PSLLQ).mmx(), UD},
};
// clang-format on

}  // namespace codemorph::x86::detail
