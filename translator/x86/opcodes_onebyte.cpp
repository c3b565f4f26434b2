// The one-byte opcode map, SDM Vol. 2D Appendix A, Table A-2, in the manual's notation.
// One row per opcode; groups (Table A-6) are in groups.cpp, ESC D8-DF in x87.cpp.
//
// Deviations from Table A-2 (see docs/x86-decoder.md):
//  - 82 is decoded as an alias of 80 (Grp1 Eb,Ib); Table A-2 marks it i64 only, which in
//    protected/real mode means valid.
//  - D6 is SALC (set AL from CF), undocumented but implemented by every IA-32 CPU.
//  - 8C is written "RvMw,Sw" (MOV Rv/Mw,Sw): a memory destination is always 16 bits.
//  - 90 is NOP (the map's "XCHG eAX,eAX"); F3 90 (PAUSE) is NOP on this CPU.
//  - Ibs marks immediates sign-extended to the operand size (83, 6A, 6B).
#include "tables.h"

namespace codemorph::x86::detail {
namespace {
using enum Mnemonic;
using enum Opnd;

}  // namespace

// clang-format off
const OpcodeEntry kOneByteMap[] = {
  // 00-07
  I(ADD, Eb, Gb).lock(), I(ADD, Ev, Gv).lock(), I(ADD, Gb, Eb), I(ADD, Gv, Ev),
  I(ADD, AL, Ib), I(ADD, eAX, Iz), I(PUSH, ES), I(POP, ES),
  // 08-0F
  I(OR, Eb, Gb).lock(), I(OR, Ev, Gv).lock(), I(OR, Gb, Eb), I(OR, Gv, Ev),
  I(OR, AL, Ib), I(OR, eAX, Iz), I(PUSH, CS), ESC0F,
  // 10-17
  I(ADC, Eb, Gb).lock(), I(ADC, Ev, Gv).lock(), I(ADC, Gb, Eb), I(ADC, Gv, Ev),
  I(ADC, AL, Ib), I(ADC, eAX, Iz), I(PUSH, SS), I(POP, SS),
  // 18-1F
  I(SBB, Eb, Gb).lock(), I(SBB, Ev, Gv).lock(), I(SBB, Gb, Eb), I(SBB, Gv, Ev),
  I(SBB, AL, Ib), I(SBB, eAX, Iz), I(PUSH, DS), I(POP, DS),
  // 20-27
  I(AND, Eb, Gb).lock(), I(AND, Ev, Gv).lock(), I(AND, Gb, Eb), I(AND, Gv, Ev),
  I(AND, AL, Ib), I(AND, eAX, Iz), PFX /* SEG=ES */, I(DAA),
  // 28-2F
  I(SUB, Eb, Gb).lock(), I(SUB, Ev, Gv).lock(), I(SUB, Gb, Eb), I(SUB, Gv, Ev),
  I(SUB, AL, Ib), I(SUB, eAX, Iz), PFX /* SEG=CS */, I(DAS),
  // 30-37
  I(XOR, Eb, Gb).lock(), I(XOR, Ev, Gv).lock(), I(XOR, Gb, Eb), I(XOR, Gv, Ev),
  I(XOR, AL, Ib), I(XOR, eAX, Iz), PFX /* SEG=SS */, I(AAA),
  // 38-3F
  I(CMP, Eb, Gb), I(CMP, Ev, Gv), I(CMP, Gb, Eb), I(CMP, Gv, Ev),
  I(CMP, AL, Ib), I(CMP, eAX, Iz), PFX /* SEG=DS */, I(AAS),
  // 40-47: INC general register
  I(INC, eAX), I(INC, eCX), I(INC, eDX), I(INC, eBX),
  I(INC, eSP), I(INC, eBP), I(INC, eSI), I(INC, eDI),
  // 48-4F: DEC general register
  I(DEC, eAX), I(DEC, eCX), I(DEC, eDX), I(DEC, eBX),
  I(DEC, eSP), I(DEC, eBP), I(DEC, eSI), I(DEC, eDI),
  // 50-57: PUSH general register
  I(PUSH, eAX), I(PUSH, eCX), I(PUSH, eDX), I(PUSH, eBX),
  I(PUSH, eSP), I(PUSH, eBP), I(PUSH, eSI), I(PUSH, eDI),
  // 58-5F: POP into general register
  I(POP, eAX), I(POP, eCX), I(POP, eDX), I(POP, eBX),
  I(POP, eSP), I(POP, eBP), I(POP, eSI), I(POP, eDI),
  // 60-67
  I(PUSHA).f(kFeat186), I(POPA).f(kFeat186), I(BOUND, Gv, Ma).f(kFeat186),
  I(ARPL, Ew, Gw).f(kFeat286).pm(),
  PFX /* SEG=FS */, PFX /* SEG=GS */, PFX /* operand size */, PFX /* address size */,
  // 68-6F
  I(PUSH, Iz).f(kFeat186), I(IMUL, Gv, Ev, Iz).f(kFeat186), I(PUSH, Ibs).f(kFeat186),
  I(IMUL, Gv, Ev, Ibs).f(kFeat186),
  I(INS, Yb, DX).f(kFeat186), I(INS, Yz, DX).f(kFeat186),
  I(OUTS, DX, Xb).f(kFeat186), I(OUTS, DX, Xz).f(kFeat186),
  // 70-7F: Jcc Jb (short-displacement jump on condition)
  I(JCC, Jb).cc().br(), I(JCC, Jb).cc().br(), I(JCC, Jb).cc().br(), I(JCC, Jb).cc().br(),
  I(JCC, Jb).cc().br(), I(JCC, Jb).cc().br(), I(JCC, Jb).cc().br(), I(JCC, Jb).cc().br(),
  I(JCC, Jb).cc().br(), I(JCC, Jb).cc().br(), I(JCC, Jb).cc().br(), I(JCC, Jb).cc().br(),
  I(JCC, Jb).cc().br(), I(JCC, Jb).cc().br(), I(JCC, Jb).cc().br(), I(JCC, Jb).cc().br(),
  // 80-87
  Grp(kGrp1, Eb, Ib), Grp(kGrp1, Ev, Iz), Grp(kGrp1, Eb, Ib), Grp(kGrp1, Ev, Ibs),
  I(TEST, Eb, Gb), I(TEST, Ev, Gv),
  I(XCHG, Eb, Gb).lock().with(kEfImplicitLock), I(XCHG, Ev, Gv).lock().with(kEfImplicitLock),
  // 88-8F
  I(MOV, Eb, Gb), I(MOV, Ev, Gv), I(MOV, Gb, Eb), I(MOV, Gv, Ev),
  I(MOV, RvMw, Sw), I(LEA, Gv, M), I(MOV, Sw, Ew), Grp(kGrp1A, Ev),
  // 90-97: NOP, XCHG word/dword register with eAX
  I(NOP), I(XCHG, eCX, eAX), I(XCHG, eDX, eAX), I(XCHG, eBX, eAX),
  I(XCHG, eSP, eAX), I(XCHG, eBP, eAX), I(XCHG, eSI, eAX), I(XCHG, eDI, eAX),
  // 98-9F
  I(CBW), I(CWD), I(CALLF, Ap).br(), I(WAIT), I(PUSHF), I(POPF), I(SAHF), I(LAHF),
  // A0-A7
  I(MOV, AL, Ob), I(MOV, eAX, Ov), I(MOV, Ob, AL), I(MOV, Ov, eAX),
  I(MOVS, Yb, Xb), I(MOVS, Yv, Xv), I(CMPS, Xb, Yb), I(CMPS, Xv, Yv),
  // A8-AF
  I(TEST, AL, Ib), I(TEST, eAX, Iz), I(STOS, Yb, AL), I(STOS, Yv, eAX),
  I(LODS, AL, Xb), I(LODS, eAX, Xv), I(SCAS, AL, Yb), I(SCAS, eAX, Yv),
  // B0-B7: MOV immediate byte into byte register
  I(MOV, AL, Ib), I(MOV, CL, Ib), I(MOV, DL, Ib), I(MOV, BL, Ib),
  I(MOV, AH, Ib), I(MOV, CH, Ib), I(MOV, DH, Ib), I(MOV, BH, Ib),
  // B8-BF: MOV immediate word or dword into word or dword register
  I(MOV, eAX, Iv), I(MOV, eCX, Iv), I(MOV, eDX, Iv), I(MOV, eBX, Iv),
  I(MOV, eSP, Iv), I(MOV, eBP, Iv), I(MOV, eSI, Iv), I(MOV, eDI, Iv),
  // C0-C7
  Grp(kGrp2, Eb, Ib).f(kFeat186), Grp(kGrp2, Ev, Ib).f(kFeat186), I(RET, Iw).br(), I(RET).br(),
  I(LES, Gz, Mp), I(LDS, Gz, Mp), Grp(kGrp11, Eb, Ib), Grp(kGrp11, Ev, Iz),
  // C8-CF
  I(ENTER, Iw, Ib).f(kFeat186), I(LEAVE).f(kFeat186), I(RETF, Iw).br(), I(RETF).br(),
  I(INT3).br(), I(INT, Ib).br(), I(INTO).br(), I(IRET).br(),
  // D0-D7
  Grp(kGrp2, Eb, One), Grp(kGrp2, Ev, One), Grp(kGrp2, Eb, CL), Grp(kGrp2, Ev, CL),
  I(AAM, Ib), I(AAD, Ib), I(SALC).undoc(), I(XLAT),
  // D8-DF: ESC to coprocessor instruction set (x87.cpp)
  ESC87, ESC87, ESC87, ESC87, ESC87, ESC87, ESC87, ESC87,
  // E0-E7
  I(LOOPNE, Jb).br(), I(LOOPE, Jb).br(), I(LOOP, Jb).br(), I(JCXZ, Jb).br(),
  I(IN, AL, Ib), I(IN, eAX, Ib), I(OUT, Ib, AL), I(OUT, Ib, eAX),
  // E8-EF
  I(CALL, Jz).br(), I(JMP, Jz).br(), I(JMPF, Ap).br(), I(JMP, Jb).br(),
  I(IN, AL, DX), I(IN, eAX, DX), I(OUT, DX, AL), I(OUT, DX, eAX),
  // F0-F7
  PFX /* LOCK */, I(INT1).f(kFeat386).br(), PFX /* REPNE */, PFX /* REP */,
  I(HLT).priv(), I(CMC), Grp(kGrp3b, Eb), Grp(kGrp3v, Ev),
  // F8-FF
  I(CLC), I(STC), I(CLI), I(STI), I(CLD), I(STD), Grp(kGrp4), Grp(kGrp5),
};
// clang-format on
static_assert(sizeof(kOneByteMap) / sizeof(kOneByteMap[0]) == 256, "one entry per opcode");

}  // namespace codemorph::x86::detail
