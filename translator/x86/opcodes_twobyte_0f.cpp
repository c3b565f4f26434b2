// The two-byte opcode map (0F xx), SDM Vol. 2D Appendix A, Tables, restricted
// to what a Pentium II-class CPU without SSE implements: the 286 system rows, the 386
// rows, 486/Pentium/P6 additions, SYSENTER/SYSEXIT and MMX (no mandatory-prefix forms).
//
// Deviations from Tables A-3/A-4 (see docs/x86-decoder.md):
//  - All SSE/SSE2+ cells (0F 10-17, 28-2F, 50-5F, 70, C2-C6, D4, D6-D7, DA, DE, E0, E3-E4,
//    E6-E7, EA, EE, F4, F6-F7, FB, 0F AE ...), the 0F 38/0F 3A three-byte maps, 3DNow!
//    (0F 0F, 0F 0D, 0F 0E) and VMX/SVM rows are #UD: those CPUs came later.
//  - 0F 05 is LOADALL on the 80286 profile only (Feature kFeat286Only); #UD elsewhere.
//  - 0F 18-1F are all "NOP Ev" hint NOPs, available on family 6 (SDM Vol. 2B NOP; Table
//    A-3 "NOP /0 Ev" and the reserved-NOP cells); 0F 18 /0-3 later became PREFETCHh (SSE).
//  - MMX entries ignore 66/F2/F3: a pre-SSE2 CPU treats those prefixes on MMX opcodes
//    as reserved/ignored (SDM Vol. 1 9.4.2 / Vol. 3A 12.x "prefixes are reserved").
//  - 0F B9 (Grp10) is decoded as UD1 Gv,Ev and 0F 0B as UD2: both raise #UD when executed
//    but have a defined length (SDM Vol. 2B UD).
#include "tables.h"

namespace codemorph::x86::detail {
using enum Mnemonic;
using enum Opnd;

namespace {
constexpr uint16_t k386 = kFeat386, k486 = kFeat486, kP5 = kFeatPentium, kP6 = kFeatP6;
}  // namespace

// clang-format off
const OpcodeEntry kTwoByteMap[] = {
  // 0F 00-07
  Grp(kGrp6).f(kFeat286), Grp(kGrp7).f(kFeat286), I(LAR, Gv, Ew).f(kFeat286).pm(),
  I(LSL, Gv, Ew).f(kFeat286).pm(), UD, I(LOADALL).f(kFeat286Only).priv(),
  I(CLTS).f(kFeat286).priv(), UD,
  // 0F 08-0F
  I(INVD).f(k486).priv(), I(WBINVD).f(k486).priv(), UD, I(UD2).f(kP6), UD,
  UD /* 3DNow! prefetch */, UD /* FEMMS */, UD /* 3DNow! */,
  // 0F 10-17: SSE
  UD, UD, UD, UD, UD, UD, UD, UD,
  // 0F 18-1F: hint NOPs (0F 18 /0-3 became PREFETCHh with SSE)
  I(NOP, Ev).f(kP6), I(NOP, Ev).f(kP6), I(NOP, Ev).f(kP6), I(NOP, Ev).f(kP6),
  I(NOP, Ev).f(kP6), I(NOP, Ev).f(kP6), I(NOP, Ev).f(kP6), I(NOP, Ev).f(kP6),
  // 0F 20-27: MOV to/from control and debug registers (0F 24/26 MOV TRn: 386/486 only)
  I(MOV, Rd, Cd).f(k386).priv(), I(MOV, Rd, Dd).f(k386).priv(),
  I(MOV, Cd, Rd).f(k386).priv(), I(MOV, Dd, Rd).f(k386).priv(), UD, UD, UD, UD,
  // 0F 28-2F: SSE
  UD, UD, UD, UD, UD, UD, UD, UD,
  // 0F 30-37
  I(WRMSR).f(kP5).priv(), I(RDTSC).f(kP5), I(RDMSR).f(kP5).priv(), I(RDPMC).f(kP6),
  I(SYSENTER).f(kFeatSep).br(), I(SYSEXIT).f(kFeatSep).br().priv(), UD, UD /* GETSEC */,
  // 0F 38-3F: three-byte escapes (SSSE3+)
  UD, UD, UD, UD, UD, UD, UD, UD,
  // 0F 40-4F: CMOVcc Gv,Ev
  I(CMOVCC, Gv, Ev).cc().f(kP6), I(CMOVCC, Gv, Ev).cc().f(kP6), I(CMOVCC, Gv, Ev).cc().f(kP6), I(CMOVCC, Gv, Ev).cc().f(kP6),
  I(CMOVCC, Gv, Ev).cc().f(kP6), I(CMOVCC, Gv, Ev).cc().f(kP6), I(CMOVCC, Gv, Ev).cc().f(kP6), I(CMOVCC, Gv, Ev).cc().f(kP6),
  I(CMOVCC, Gv, Ev).cc().f(kP6), I(CMOVCC, Gv, Ev).cc().f(kP6), I(CMOVCC, Gv, Ev).cc().f(kP6), I(CMOVCC, Gv, Ev).cc().f(kP6),
  I(CMOVCC, Gv, Ev).cc().f(kP6), I(CMOVCC, Gv, Ev).cc().f(kP6), I(CMOVCC, Gv, Ev).cc().f(kP6), I(CMOVCC, Gv, Ev).cc().f(kP6),
  // 0F 50-5F: SSE
  UD, UD, UD, UD, UD, UD, UD, UD, UD, UD, UD, UD, UD, UD, UD, UD,
  // 0F 60-67 (MMX, no prefix)
  I(PUNPCKLBW, Pq, Qd).mmx(), I(PUNPCKLWD, Pq, Qd).mmx(), I(PUNPCKLDQ, Pq, Qd).mmx(), I(PACKSSWB, Pq, Qq).mmx(),
  I(PCMPGTB, Pq, Qq).mmx(), I(PCMPGTW, Pq, Qq).mmx(), I(PCMPGTD, Pq, Qq).mmx(), I(PACKUSWB, Pq, Qq).mmx(),
  // 0F 68-6F
  I(PUNPCKHBW, Pq, Qd).mmx(), I(PUNPCKHWD, Pq, Qd).mmx(), I(PUNPCKHDQ, Pq, Qd).mmx(), I(PACKSSDW, Pq, Qd).mmx(),
  UD, UD, I(MOVD, Pd, Ed).mmx(), I(MOVQ, Pq, Qq).mmx(),
  // 0F 70-77: 70 PSHUFW is SSE; 71-73 Grp12-14
  UD, Grp(kGrp12, Nq, Ib).mmx(), Grp(kGrp13, Nq, Ib).mmx(), Grp(kGrp14, Nq, Ib).mmx(),
  I(PCMPEQB, Pq, Qq).mmx(), I(PCMPEQW, Pq, Qq).mmx(), I(PCMPEQD, Pq, Qq).mmx(), I(EMMS).mmx(),
  // 0F 78-7F: 78/79 VMREAD/VMWRITE (VMX), 7C-7D SSE3
  UD, UD, UD, UD, UD, UD, I(MOVD, Ed, Pd).mmx(), I(MOVQ, Qq, Pq).mmx(),
  // 0F 80-8F: Jcc Jz (long-displacement jump on condition)
  I(JCC, Jz).cc().br().f(k386), I(JCC, Jz).cc().br().f(k386), I(JCC, Jz).cc().br().f(k386), I(JCC, Jz).cc().br().f(k386),
  I(JCC, Jz).cc().br().f(k386), I(JCC, Jz).cc().br().f(k386), I(JCC, Jz).cc().br().f(k386), I(JCC, Jz).cc().br().f(k386),
  I(JCC, Jz).cc().br().f(k386), I(JCC, Jz).cc().br().f(k386), I(JCC, Jz).cc().br().f(k386), I(JCC, Jz).cc().br().f(k386),
  I(JCC, Jz).cc().br().f(k386), I(JCC, Jz).cc().br().f(k386), I(JCC, Jz).cc().br().f(k386), I(JCC, Jz).cc().br().f(k386),
  // 0F 90-9F: SETcc Eb (byte set on condition)
  I(SETCC, Eb).cc().f(k386), I(SETCC, Eb).cc().f(k386), I(SETCC, Eb).cc().f(k386), I(SETCC, Eb).cc().f(k386),
  I(SETCC, Eb).cc().f(k386), I(SETCC, Eb).cc().f(k386), I(SETCC, Eb).cc().f(k386), I(SETCC, Eb).cc().f(k386),
  I(SETCC, Eb).cc().f(k386), I(SETCC, Eb).cc().f(k386), I(SETCC, Eb).cc().f(k386), I(SETCC, Eb).cc().f(k386),
  I(SETCC, Eb).cc().f(k386), I(SETCC, Eb).cc().f(k386), I(SETCC, Eb).cc().f(k386), I(SETCC, Eb).cc().f(k386),
  // 0F A0-A7
  I(PUSH, FS).f(k386), I(POP, FS).f(k386), I(CPUID).f(kP5), I(BT, Ev, Gv).f(k386),
  I(SHLD, Ev, Gv, Ib).f(k386), I(SHLD, Ev, Gv, CL).f(k386), UD, UD,
  // 0F A8-AF: AE Grp15 (FXSAVE/FXRSTOR, SSE) is #UD on this CPU
  I(PUSH, GS).f(k386), I(POP, GS).f(k386), I(RSM).f(kP5).br(), I(BTS, Ev, Gv).f(k386).lock(),
  I(SHRD, Ev, Gv, Ib).f(k386), I(SHRD, Ev, Gv, CL).f(k386), UD, I(IMUL, Gv, Ev).f(k386),
  // 0F B0-B7
  I(CMPXCHG, Eb, Gb).f(k486).lock(), I(CMPXCHG, Ev, Gv).f(k486).lock(), I(LSS, Gv, Mp).f(k386),
  I(BTR, Ev, Gv).f(k386).lock(), I(LFS, Gv, Mp).f(k386), I(LGS, Gv, Mp).f(k386),
  I(MOVZX, Gv, Eb).f(k386), I(MOVZX, Gv, Ew).f(k386),
  // 0F B8-BF: B8 JMPE (IA-64) / POPCNT (F3); B9 Grp10 UD1; BA Grp8
  UD, I(UD1, Gv, Ev).f(kP6), Grp(kGrp8, Ev, Ib).f(k386), I(BTC, Ev, Gv).f(k386).lock(),
  I(BSF, Gv, Ev).f(k386), I(BSR, Gv, Ev).f(k386), I(MOVSX, Gv, Eb).f(k386), I(MOVSX, Gv, Ew).f(k386),
  // 0F C0-C7: C2-C6 are SSE; C7 Grp9
  I(XADD, Eb, Gb).f(k486).lock(), I(XADD, Ev, Gv).f(k486).lock(), UD, UD, UD, UD, UD, Grp(kGrp9),
  // 0F C8-CF: BSWAP register (SDM: 32-bit operand only; 16-bit form undefined, decoded)
  I(BSWAP, eAX).f(k486), I(BSWAP, eCX).f(k486), I(BSWAP, eDX).f(k486), I(BSWAP, eBX).f(k486),
  I(BSWAP, eSP).f(k486), I(BSWAP, eBP).f(k486), I(BSWAP, eSI).f(k486), I(BSWAP, eDI).f(k486),
  // 0F D0-D7 (MMX; D0 SSE3, D4 PADDQ SSE2, D6 SSE2, D7 PMOVMSKB SSE)
  UD, I(PSRLW, Pq, Qq).mmx(), I(PSRLD, Pq, Qq).mmx(), I(PSRLQ, Pq, Qq).mmx(),
  UD, I(PMULLW, Pq, Qq).mmx(), UD, UD,
  // 0F D8-DF (DA PMINUB, DE PMAXUB: SSE)
  I(PSUBUSB, Pq, Qq).mmx(), I(PSUBUSW, Pq, Qq).mmx(), UD, I(PAND, Pq, Qq).mmx(),
  I(PADDUSB, Pq, Qq).mmx(), I(PADDUSW, Pq, Qq).mmx(), UD, I(PANDN, Pq, Qq).mmx(),
  // 0F E0-E7 (E0 PAVGB, E3 PAVGW, E4 PMULHUW, E6, E7 MOVNTQ: SSE/SSE2)
  UD, I(PSRAW, Pq, Qq).mmx(), I(PSRAD, Pq, Qq).mmx(), UD,
  UD, I(PMULHW, Pq, Qq).mmx(), UD, UD,
  // 0F E8-EF (EA PMINSW, EE PMAXSW: SSE)
  I(PSUBSB, Pq, Qq).mmx(), I(PSUBSW, Pq, Qq).mmx(), UD, I(POR, Pq, Qq).mmx(),
  I(PADDSB, Pq, Qq).mmx(), I(PADDSW, Pq, Qq).mmx(), UD, I(PXOR, Pq, Qq).mmx(),
  // 0F F0-F7 (F0 LDDQU SSE3, F4 PMULUDQ SSE2, F6 PSADBW, F7 MASKMOVQ: SSE)
  UD, I(PSLLW, Pq, Qq).mmx(), I(PSLLD, Pq, Qq).mmx(), I(PSLLQ, Pq, Qq).mmx(),
  UD, I(PMADDWD, Pq, Qq).mmx(), UD, UD,
  // 0F F8-FF (FB PSUBQ: SSE2; FF UD0)
  I(PSUBB, Pq, Qq).mmx(), I(PSUBW, Pq, Qq).mmx(), I(PSUBD, Pq, Qq).mmx(), UD,
  I(PADDB, Pq, Qq).mmx(), I(PADDW, Pq, Qq).mmx(), I(PADDD, Pq, Qq).mmx(), UD,
};
// clang-format on
static_assert(sizeof(kTwoByteMap) / sizeof(kTwoByteMap[0]) == 256, "one entry per opcode");

}  // namespace codemorph::x86::detail
