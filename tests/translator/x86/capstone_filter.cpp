// The cross-check's filter and documented-disagreement lists (see capstone_filter.h and
// docs/x86-decoder.md, which cites the SDM section for every class).
#include "capstone_filter.h"

#include <array>
#include <cstring>
#include <string_view>

namespace codemorph::x86 {
namespace {

// Capstone groups of ISA extensions that a Pentium II-class CPU without SSE lacks.
constexpr uint8_t kForeignGroups[] = {
    X86_GRP_VM,    X86_GRP_3DNOW, X86_GRP_AES,   X86_GRP_ADX,    X86_GRP_AVX,   X86_GRP_AVX2,
    X86_GRP_AVX512, X86_GRP_BMI,  X86_GRP_BMI2,  X86_GRP_F16C,   X86_GRP_FMA,   X86_GRP_FMA4,
    X86_GRP_FSGSBASE, X86_GRP_MODE64, X86_GRP_RTM, X86_GRP_SHA,  X86_GRP_SSE1,  X86_GRP_SSE2,
    X86_GRP_SSE3,  X86_GRP_SSE41, X86_GRP_SSE42, X86_GRP_SSE4A,  X86_GRP_SSSE3, X86_GRP_PCLMUL,
    X86_GRP_XOP,   X86_GRP_CDI,   X86_GRP_ERI,   X86_GRP_TBM,    X86_GRP_SGX,   X86_GRP_DQI,
    X86_GRP_BWI,   X86_GRP_PFI,   X86_GRP_VLX,   X86_GRP_SMAP,   X86_GRP_NOVLX};

const char* groupName(uint8_t g) {
  switch (g) {
    case X86_GRP_VM: return "group VM (VMX/SVM)";
    case X86_GRP_3DNOW: return "group 3DNOW";
    case X86_GRP_SSE1: return "group SSE1";
    case X86_GRP_SSE2: return "group SSE2";
    case X86_GRP_SSE3: return "group SSE3";
    case X86_GRP_SSSE3: return "group SSSE3";
    case X86_GRP_SSE41: return "group SSE41";
    case X86_GRP_SSE42: return "group SSE42";
    case X86_GRP_SSE4A: return "group SSE4A";
    case X86_GRP_AVX: case X86_GRP_AVX2: case X86_GRP_AVX512: return "group AVX/AVX2/AVX512";
    case X86_GRP_SGX: return "group SGX";
    case X86_GRP_SMAP: return "group SMAP";
    default: return "group other post-P6 extension";
  }
}

// Instructions of later CPUs that Capstone 4 puts in no extension group.
struct Later {
  const char* mnemonic;
  const char* reason;
};
constexpr const char* kSseMmx = "SSE integer ops on MMX registers (Pentium III)";
constexpr const char* kSse2Mmx = "SSE2 integer ops on MMX registers (Pentium 4)";
constexpr const char* kXsave = "XSAVE family (0F AE /4-/6, 0F C7 /3-/5; Penryn+)";
constexpr const char* kPadlock = "VIA PadLock (0F A6/A7)";
constexpr Later kLaterMnemonics[] = {
    {"fxsave", "FXSR (0F AE /0; Pentium II model 5+, not modelled)"},
    {"fxrstor", "FXSR (0F AE /1; Pentium II model 5+, not modelled)"},
    {"fisttp", "SSE3 FISTTP (DB/DD/DF /1)"},
    {"maskmovq", kSseMmx}, {"movntq", kSseMmx}, {"pavgb", kSseMmx}, {"pavgw", kSseMmx},
    {"pextrw", kSseMmx}, {"pinsrw", kSseMmx}, {"pmaxsw", kSseMmx}, {"pmaxub", kSseMmx},
    {"pminsw", kSseMmx}, {"pminub", kSseMmx}, {"pmovmskb", kSseMmx}, {"pmulhuw", kSseMmx},
    {"psadbw", kSseMmx}, {"pshufw", kSseMmx},
    {"paddq", kSse2Mmx}, {"psubq", kSse2Mmx}, {"pmuludq", kSse2Mmx},
    {"prefetchw", "3DNow!/PRFCHW prefetch (0F 0D)"},
    {"syscall", "AMD SYSCALL (0F 05)"}, {"sysret", "AMD SYSRET (0F 07)"},
    {"getsec", "SMX GETSEC (0F 37)"},
    {"rdrand", "RDRAND (0F C7 /6)"}, {"rdseed", "RDSEED (0F C7 /7)"},
    {"rdtscp", "RDTSCP (0F 01 F9)"}, {"swapgs", "SWAPGS (64-bit, 0F 01 F8)"},
    {"xgetbv", "XGETBV (0F 01 D0)"}, {"xsetbv", "XSETBV (0F 01 D1)"},
    {"xsave", kXsave}, {"xrstor", kXsave}, {"xsaveopt", kXsave}, {"xsavec", kXsave},
    {"xsaves", kXsave}, {"xrstors", kXsave},
    {"xtest", "TSX XTEST (0F 01 D6)"}, {"xbegin", "TSX XBEGIN (C7 F8)"}, {"xabort", "TSX XABORT (C6 F8)"},
    {"xend", "TSX XEND (0F 01 D5)"},
    {"clac", "SMAP CLAC (0F 01 CA)"}, {"stac", "SMAP STAC (0F 01 CB)"},
    {"encls", "SGX (0F 01 CF)"}, {"enclu", "SGX (0F 01 D7)"},
    {"clflushopt", "CLFLUSHOPT (66 0F AE /7)"}, {"clwb", "CLWB (66 0F AE /6)"},
    {"clflush", "CLFLUSH (0F AE /7, SSE2)"},
    {"movbe", "MOVBE (0F 38 F0/F1)"}, {"popcnt", "POPCNT (F3 0F B8)"},
    {"lzcnt", "LZCNT (F3 0F BD)"}, {"tzcnt", "TZCNT (F3 0F BC)"},
    {"montmul", kPadlock}, {"xsha1", kPadlock}, {"xsha256", kPadlock}, {"xstore", kPadlock},
    {"xstorerng", kPadlock}, {"xcryptecb", kPadlock}, {"xcryptcbc", kPadlock},
    {"xcryptctr", kPadlock}, {"xcryptcfb", kPadlock}, {"xcryptofb", kPadlock},
    {"monitor", "SSE3 MONITOR (0F 01 C8)"}, {"mwait", "SSE3 MWAIT (0F 01 C9)"},
    {"vmfunc", "VMX VMFUNC"}, {"femms", "3DNow! FEMMS (0F 0E)"},
    {"rdpkru", "PKU (0F 01 EE)"}, {"wrpkru", "PKU (0F 01 EF)"},
    {"pcommit", "PCOMMIT (66 0F AE F8)"},
    {"sfence", "SSE fences (0F AE /5-/7)"}, {"lfence", "SSE fences (0F AE /5-/7)"},
    {"mfence", "SSE fences (0F AE /5-/7)"},
};

// First opcode byte after the legacy prefixes.
const uint8_t* skipPrefixes(const uint8_t* p, unsigned n) {
  unsigned i = 0;
  while (i < n && (p[i] == 0x26 || p[i] == 0x2E || p[i] == 0x36 || p[i] == 0x3E || p[i] == 0x64 ||
                   p[i] == 0x65 || p[i] == 0x66 || p[i] == 0x67 || p[i] == 0xF0 || p[i] == 0xF2 ||
                   p[i] == 0xF3))
    ++i;
  return p + i;
}

}  // namespace

const char* notModelledCpu(const cs_insn* ci, const uint8_t* bytes) {
  // VEX (C4/C5), EVEX (62) and XOP (8F) encodings: on this CPU C4/C5/62/8F are LES, LDS,
  // BOUND and POP Ev, whose register forms are #UD (SDM Vol. 2A 2.3.5, 2.6 EVEX).
  const uint8_t* op = skipPrefixes(bytes, ci->size);
  if ((*op == 0xC4 || *op == 0xC5 || *op == 0x62 || *op == 0x8F) && ci->mnemonic[0] == 'v')
    return "VEX/EVEX/XOP encoding (C4/C5/62/8F)";
  // The three-byte maps 0F 38 / 0F 3A (SSSE3 and later; Vol. 2D Tables ).
  if (op[0] == 0x0F && (op[1] == 0x38 || op[1] == 0x3A)) return "three-byte map 0F 38/0F 3A";
  const cs_detail* det = ci->detail;
  for (uint8_t i = 0; i < det->groups_count; ++i)
    for (uint8_t g : kForeignGroups)
      if (det->groups[i] == g) return groupName(g);
  for (const Later& l : kLaterMnemonics)
    if (std::strcmp(ci->mnemonic, l.mnemonic) == 0) return l.reason;
  return nullptr;
}

const char* knownDisagreement(const Disagreement& d) {
  const DecodeMode mode{static_cast<uint8_t>(d.codeSize), CpuProfile::PentiumII};
  const uint8_t* op = skipPrefixes(d.bytes, 15);
  const DecodedInsn& o = *d.ours;
  const bool ok = d.status == DecodeStatus::Ok;
  const bool invalid = d.status == DecodeStatus::Invalid;

  // LOCK on a non-lockable instruction or with a register destination: #UD
  // (SDM Vol. 2A, "LOCK—Assert LOCK# Signal Prefix"); Capstone does not check. The
  // same bytes with the LOCK replaced by a CS override must then agree (or fall in
  // another documented class).
  if (invalid) {
    std::array<uint8_t, 16> copy{};
    std::memcpy(copy.data(), d.bytes, 16);
    bool hadLock = false;
    for (unsigned i = 0; i < o.numPrefixes; ++i)
      if (copy[i] == 0xF0) { copy[i] = 0x2E; hadLock = true; }
    DecodedInsn again;
    if (hadLock && decode(copy, mode, again) == DecodeStatus::Ok) {
      if (again.length == d.cs->size) return "LOCK not allowed (#UD)";
      const Disagreement d2{copy.data(), d.codeSize, d.cs, DecodeStatus::Ok, &again};
      if (knownDisagreement(d2) != nullptr) return "LOCK not allowed (#UD)";
    }
  }
  // 66 E8 / 66 E9 / 66 0F 8x in 32-bit code: rel16 and EIP truncated to 16 bits
  // (SDM Vol. 2A CALL "E8 cw", JMP "E9 cw", Jcc "0F 8x cw"); Capstone 4 reads rel32.
  if (ok && d.codeSize == 32 && o.opSize == 2 && o.op[0].kind == OpKind::Rel && o.op[0].size == 2 &&
      d.cs->size == o.length + 2)
    return "66-prefixed near branch is rel16";
  // 0F B9 (UD1 / Grp10) has a ModRM byte (SDM Vol. 2B UD: "UD1 r32, r/m32"); Capstone 4
  // decodes a 2-byte "ud2b". Both raise #UD.
  // At the length limit the missing ModRM makes ours TooLong instead.
  if (std::strcmp(d.cs->mnemonic, "ud2b") == 0 &&
      ((ok && o.mnemonic == Mnemonic::UD1) || d.status == DecodeStatus::TooLong))
    return "0F B9 UD1 has ModRM";
  // 0F FF: undefined on this CPU (#UD; UD0 was named in later SDMs, Vol. 2B UD);
  // Capstone 4 decodes "ud0".
  if (invalid && op[0] == 0x0F && op[1] == 0xFF && std::strcmp(d.cs->mnemonic, "ud0") == 0)
    return "0F FF is undefined (UD0)";
  // MOV to/from CR1, CR5, CR6, CR7: #UD (SDM Vol. 2B "MOV—Move to/from Control
  // Registers", Protected Mode Exceptions); Capstone decodes them.
  if (invalid && op[0] == 0x0F && (op[1] == 0x20 || op[1] == 0x22)) {
    const unsigned cr = (op[2] >> 3) & 7;
    if (cr == 1 || cr >= 5) return "MOV CR1/CR5-CR7 (#UD)";
  }
  // MOV CS, r/m16 (8E /1): #UD (SDM Vol. 2B "MOV—Move", Protected Mode Exceptions: "#UD
  // If attempt is made to load the CS register"); Capstone decodes it.
  if (invalid && op[0] == 0x8E && ((op[1] >> 3) & 7) == 1) return "MOV CS,r/m (#UD)";
  return nullptr;
}

}  // namespace codemorph::x86
