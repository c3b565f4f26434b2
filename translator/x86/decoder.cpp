// The decode engine: prefixes (SDM Vol. 2A 2.1.1), opcode-map lookup (Appendix A),
// ModRM/SIB and displacements (2.1.5, Tables 2-1..2-3), immediates, operand construction,
// LOCK legality (Vol. 2A "LOCK") and the instruction length limit (2.3.11: 15 bytes, #GP;
// 10 bytes / #UD on the 80286 profile). Tables live in opcodes_*.cpp, groups.cpp, x87.cpp.
//
// Hot path of the interpreter: no allocation, table lookups only, at most one pass over
// the bytes. Bytes are only read below min(span size, length limit); running out of
// bytes there is NeedMore, running into the limit is TooLong.
#include <codemorph/x86/decoder.h>

#include "tables.h"

namespace codemorph::x86 {
using namespace detail;

namespace {

// Legacy prefixes (Vol. 2A 2.1.1): bit in DecodedInsn::prefixes, required feature,
// segment for overrides.
struct PrefixDef {
  uint16_t bit;
  uint16_t feature;
  Seg seg;
};
constexpr std::array<PrefixDef, 256> kPrefixes = [] {
  std::array<PrefixDef, 256> t{};
  for (auto& d : t) d = {0, 0, Seg::None};
  t[0x26] = {kPfxES, kFeat8086, Seg::ES};
  t[0x2E] = {kPfxCS, kFeat8086, Seg::CS};
  t[0x36] = {kPfxSS, kFeat8086, Seg::SS};
  t[0x3E] = {kPfxDS, kFeat8086, Seg::DS};
  t[0x64] = {kPfxFS, kFeat386, Seg::FS};
  t[0x65] = {kPfxGS, kFeat386, Seg::GS};
  t[0x66] = {kPfxOpSize, kFeat386, Seg::None};
  t[0x67] = {kPfxAddrSize, kFeat386, Seg::None};
  t[0xF0] = {kPfxLock, kFeat8086, Seg::None};
  t[0xF2] = {kPfxRepne, kFeat8086, Seg::None};
  t[0xF3] = {kPfxRep, kFeat8086, Seg::None};
  return t;
}();

// 16-bit ModRM r/m -> base, index (Vol. 2A Table 2-1).
struct Mem16 {
  Reg base, index;
};
constexpr Mem16 kMem16[8] = {{Reg::BX, Reg::SI}, {Reg::BX, Reg::DI}, {Reg::BP, Reg::SI},
                             {Reg::BP, Reg::DI}, {Reg::SI, Reg::None}, {Reg::DI, Reg::None},
                             {Reg::BP, Reg::None}, {Reg::BX, Reg::None}};

constexpr uint16_t kDerived = kEfModrm | kEfMemOnly | kEfRegOnly | kEfModIgnored;

inline uint32_t readLE(const uint8_t* p, unsigned n) {
  uint32_t v = 0;
  for (unsigned i = 0; i < n; ++i) v |= static_cast<uint32_t>(p[i]) << (8 * i);
  return v;
}

inline Reg gprBySize(unsigned n, unsigned size) {
  return size == 1 ? gpr8(n) : size == 2 ? gpr16(n) : gpr32(n);
}

inline uint8_t typeSize(OpType t, unsigned opSize, bool regForm) {
  switch (t) {
    case OpType::b: return 1;
    case OpType::w: return 2;
    case OpType::d: return 4;
    case OpType::q: return 8;
    case OpType::v: return static_cast<uint8_t>(opSize);
    case OpType::z: return opSize == 2 ? 2 : 4;
    case OpType::a: return static_cast<uint8_t>(2 * opSize);
    case OpType::p: return static_cast<uint8_t>(opSize + 2);
    case OpType::s: return 6;
    case OpType::t: return 10;
    case OpType::env: return opSize == 2 ? 14 : 28;
    case OpType::st: return opSize == 2 ? 94 : 108;
    case OpType::vw: return regForm ? static_cast<uint8_t>(opSize) : 2;
    case OpType::m:
    case OpType::None: return 0;
  }
  return 0;
}

}  // namespace

DecodeStatus decode(std::span<const uint8_t> bytes, const DecodeMode& mode, DecodedInsn& out) {
  const ProfileInfo& prof = profileInfo(mode.profile);
  const uint8_t* const p = bytes.data();
  const size_t limit = prof.maxLength;
  const size_t avail = bytes.size() < limit ? bytes.size() : limit;
  // Running out of the available bytes means "fetch more" unless the limit is what ended
  // them (Vol. 2A 2.3.11: a longer instruction faults whatever follows).
  const DecodeStatus outOfBytes = bytes.size() < limit ? DecodeStatus::NeedMore : DecodeStatus::TooLong;

  out = DecodedInsn{};
  size_t pos = 0;
  auto stop = [&](DecodeStatus s) {
    out.length = static_cast<uint8_t>(pos);
    return s;
  };
#define CODEMORPH_NEED(n)                          \
  do {                                             \
    if (pos + (n) > avail) return stop(outOfBytes); \
  } while (0)

  // --- Prefixes: any number, any order, until the length limit. Last segment wins.
  uint16_t pfx = 0;
  Seg segOverride = Seg::None;
  uint8_t rep = 0;
  uint8_t b;
  for (;;) {
    CODEMORPH_NEED(1);
    b = p[pos];
    const PrefixDef& d = kPrefixes[b];
    if (d.bit == 0 || (d.feature & ~prof.features) != 0) break;  // 66/67/64/65 on a 286: opcode
    pfx |= d.bit;
    if (d.seg != Seg::None) segOverride = d.seg;
    if (b == 0xF2 || b == 0xF3) rep = b;
    ++pos;
  }
  out.numPrefixes = static_cast<uint8_t>(pos);
  out.prefixes = pfx;
  out.segOverride = segOverride;
  out.rep = rep;
  const bool code32 = prof.allows32 && mode.codeSize == 32;
  const unsigned opSize = (code32 != ((pfx & kPfxOpSize) != 0)) ? 4 : 2;
  const unsigned addrSize = (code32 != ((pfx & kPfxAddrSize) != 0)) ? 4 : 2;
  out.opSize = static_cast<uint8_t>(opSize);
  out.addrSize = static_cast<uint8_t>(addrSize);

  // --- Opcode: one-byte map, or 0F + two-byte map.
  ++pos;
  const OpcodeEntry* e = &kOneByteMap[b];
  if (e->kind == EntryKind::Escape) {
    if ((e->feature & ~prof.features) != 0) return stop(DecodeStatus::Invalid);
    CODEMORPH_NEED(1);
    b = p[pos++];
    e = &kTwoByteMap[b];
    out.map = 1;
  }
  out.opcode = b;
  if (e->kind == EntryKind::Invalid || e->kind == EntryKind::Prefix || e->kind == EntryKind::Escape)
    return stop(DecodeStatus::Invalid);

  OpcodeEntry ent = *e;
  uint8_t modrm = 0;
  unsigned mod = 0, reg = 0, rm = 0;
  if (ent.flags & kEfModrm) {
    CODEMORPH_NEED(1);
    modrm = p[pos++];
    mod = modrm >> 6;
    reg = (modrm >> 3) & 7;
    rm = modrm & 7;
    out.modrm = modrm;
  }

  bool featureChecked = false;
  if (ent.kind == EntryKind::Group) {
    const OpcodeEntry& g = kGroups[ent.group][reg];
    if (g.kind == EntryKind::Invalid) return stop(DecodeStatus::Invalid);
    const uint16_t parentDerived = ent.flags & kDerived;
    const uint16_t parentFlags = ent.flags & ~kDerived;
    const uint16_t feature = ent.feature | g.feature;
    if (g.ops[0] == Opnd::None) {
      Opnd ops[3] = {ent.ops[0], ent.ops[1], ent.ops[2]};
      ent = g;
      ent.ops[0] = ops[0]; ent.ops[1] = ops[1]; ent.ops[2] = ops[2];
    } else {
      ent = g;
    }
    ent.flags |= parentDerived | parentFlags;
    ent.feature = feature;
  } else if (ent.kind == EntryKind::X87) {
    const unsigned esc = b - 0xD8u;
    const OpcodeEntry& x = mod == 3 ? kX87Reg[esc][modrm - 0xC0u] : kX87Mem[esc][reg];
    if ((prof.features & kFeatFpu) == 0) {
      // No coprocessor (80286 SST profile): every ESC form is "ESC" with its address.
      const bool noSuchEsc = x.kind == EntryKind::Invalid ||
                             (x.feature & ~(kFeatFpu | prof.features)) != 0;  // e.g. FCMOVcc (P6)
      if (noSuchEsc) {
        ent = mod == 3 ? I(Mnemonic::ESC) : I(Mnemonic::ESC, Opnd::M);
      } else {
        ent = x;
      }
      ent.feature = kFeat8086;
      ent.flags |= kEfModrm;
      featureChecked = true;
    } else {
      if (x.kind == EntryKind::Invalid) return stop(DecodeStatus::Invalid);
      ent = x;
    }
  }
  if (!featureChecked && (ent.feature & ~prof.features) != 0) return stop(DecodeStatus::Invalid);
  if ((ent.flags & kEfMemOnly) && mod == 3) return stop(DecodeStatus::Invalid);
  if ((ent.flags & kEfRegOnly) && mod != 3) return stop(DecodeStatus::Invalid);

  // --- Memory operand from ModRM (+SIB, displacement).
  Operand mem{};
  const bool hasMem = (ent.flags & kEfModrm) && mod != 3 && !(ent.flags & kEfModIgnored);
  if (hasMem) {
    mem.kind = OpKind::Mem;
    mem.scale = 1;
    mem.index = Reg::None;
    Seg defSeg = Seg::DS;
    unsigned dispSize = mod == 1 ? 1 : 0;
    if (addrSize == 2) {
      if (mod == 0 && rm == 6) {
        mem.reg = Reg::None;
        dispSize = 2;
      } else {
        mem.reg = kMem16[rm].base;
        mem.index = kMem16[rm].index;
        if (mod == 2) dispSize = 2;
        if (mem.reg == Reg::BP) defSeg = Seg::SS;
      }
    } else {
      if (mod == 2) dispSize = 4;
      unsigned base = rm;
      if (rm == 4) {
        CODEMORPH_NEED(1);
        const uint8_t sib = p[pos++];
        out.sib = sib;
        const unsigned idx = (sib >> 3) & 7;
        base = sib & 7;
        if (idx != 4) {
          mem.index = gpr32(idx);
          mem.scale = static_cast<uint8_t>(1u << (sib >> 6));
        }
        if (base == 5 && mod == 0) {
          base = 8;  // no base, disp32 (Table 2-3 note 1)
          dispSize = 4;
        }
      } else if (rm == 5 && mod == 0) {
        base = 8;
        dispSize = 4;
      }
      if (base < 8) {
        mem.reg = gpr32(base);
        if (base == 4 || base == 5) defSeg = Seg::SS;
      } else {
        mem.reg = Reg::None;
      }
    }
    if (dispSize) {
      CODEMORPH_NEED(dispSize);
      const uint32_t raw = readLE(p + pos, dispSize);
      pos += dispSize;
      mem.value = dispSize == 1 ? static_cast<uint32_t>(static_cast<int8_t>(raw))
                  : dispSize == 2 ? static_cast<uint32_t>(static_cast<int16_t>(raw))
                                  : raw;
    }
    mem.seg = segOverride != Seg::None ? segOverride : defSeg;
  }

  // --- Operands in table order; immediates are read in that order (ENTER Iw,Ib).
  const Seg dataSeg = segOverride != Seg::None ? segOverride : Seg::DS;
  int n = 0;
  for (; n < 3 && ent.ops[n] != Opnd::None; ++n) {
    const OpndInfo& info = opndInfo(ent.ops[n]);
    Operand& o = out.op[n];
    const uint8_t size = typeSize(info.type, opSize, mod == 3);
    o.size = size;
    switch (info.method) {
      case AddrMethod::E:
      case AddrMethod::Q:
      case AddrMethod::M:
        if (mod == 3) {
          o.kind = OpKind::Reg;
          o.reg = info.method == AddrMethod::Q ? mmreg(rm) : gprBySize(rm, size);
        } else {
          const uint8_t s = o.size;
          o = mem;
          o.size = s;
        }
        break;
      case AddrMethod::G: o.kind = OpKind::Reg; o.reg = gprBySize(reg, size); break;
      case AddrMethod::R: o.kind = OpKind::Reg; o.reg = gpr32(rm); break;
      case AddrMethod::C:
        // CR1, CR5-CR7 are reserved: #UD (Vol. 2B "MOV—Move to/from Control Registers").
        if (reg == 1 || reg >= 5) return stop(DecodeStatus::Invalid);
        o.kind = OpKind::Reg; o.reg = creg(reg); break;
      case AddrMethod::D: o.kind = OpKind::Reg; o.reg = dreg(reg); break;
      case AddrMethod::S:
        // Sreg 6/7 do not exist; FS/GS need a 386; MOV CS,r/m is #UD (Vol. 2B MOV).
        if (reg >= 6 || (reg >= 4 && !(prof.features & kFeat386)) || (n == 0 && reg == 1))
          return stop(DecodeStatus::Invalid);
        o.kind = OpKind::Reg; o.reg = sreg(reg); break;
      case AddrMethod::P: o.kind = OpKind::Reg; o.reg = mmreg(reg); break;
      case AddrMethod::N: o.kind = OpKind::Reg; o.reg = mmreg(rm); break;
      case AddrMethod::I: {
        CODEMORPH_NEED(size);
        o.kind = OpKind::Imm;
        o.value = readLE(p + pos, size);
        pos += size;
        break;
      }
      case AddrMethod::Is: {
        CODEMORPH_NEED(1);
        o.kind = OpKind::Imm;
        o.size = static_cast<uint8_t>(opSize);
        o.value = static_cast<uint32_t>(static_cast<int8_t>(p[pos++]));
        break;
      }
      case AddrMethod::J: {
        CODEMORPH_NEED(size);
        const uint32_t raw = readLE(p + pos, size);
        pos += size;
        o.kind = OpKind::Rel;
        o.value = size == 1 ? static_cast<uint32_t>(static_cast<int8_t>(raw))
                  : size == 2 ? static_cast<uint32_t>(static_cast<int16_t>(raw))
                              : raw;
        break;
      }
      case AddrMethod::A: {
        CODEMORPH_NEED(opSize + 2u);
        o.kind = OpKind::Far;
        o.value = readLE(p + pos, opSize);
        o.selector = static_cast<uint16_t>(readLE(p + pos + opSize, 2));
        pos += opSize + 2u;
        break;
      }
      case AddrMethod::O: {
        CODEMORPH_NEED(addrSize);
        o.kind = OpKind::Mem;
        o.reg = Reg::None;
        o.index = Reg::None;
        o.scale = 1;
        o.seg = dataSeg;
        o.value = readLE(p + pos, addrSize);
        pos += addrSize;
        break;
      }
      case AddrMethod::X:
      case AddrMethod::Y:
        o.kind = OpKind::Mem;
        o.reg = info.method == AddrMethod::X ? (addrSize == 2 ? Reg::SI : Reg::ESI)
                                             : (addrSize == 2 ? Reg::DI : Reg::EDI);
        o.index = Reg::None;
        o.scale = 1;
        o.seg = info.method == AddrMethod::X ? dataSeg : Seg::ES;  // ES:rDI: no override
        break;
      case AddrMethod::Fixed:
        o.kind = OpKind::Reg;
        o.reg = info.type == OpType::v ? gprBySize(regIndex(info.fixed), opSize) : info.fixed;
        break;
      case AddrMethod::One: o.kind = OpKind::Imm; o.value = 1; break;
      case AddrMethod::StTop: o.kind = OpKind::Reg; o.reg = Reg::ST0; break;
      case AddrMethod::StRm: o.kind = OpKind::Reg; o.reg = streg(rm); break;
      case AddrMethod::None: break;
    }
  }
  out.numOperands = static_cast<uint8_t>(n);

  // --- LOCK (Vol. 2A "LOCK"): only listed instructions, only with a memory destination.
  const bool lockable = (ent.flags & kEfLock) && out.op[0].kind == OpKind::Mem;
  if ((pfx & kPfxLock) && prof.lockChecked && !lockable) return stop(DecodeStatus::Invalid);

  out.mnemonic = ent.mnemonic;
  out.length = static_cast<uint8_t>(pos);
  out.feature = ent.feature;
  if (ent.flags & kEfCond) out.cond = b & 0xF;
  uint16_t fl = 0;
  if (ent.flags & kEfModrm) fl |= kInsnModrm;
  if (out.map == 0 && b >= 0xD8 && b <= 0xDF) fl |= kInsnX87;
  if (ent.flags & kEfMmx) fl |= kInsnMmx;
  if (lockable) fl |= kInsnLockable;
  if (ent.flags & kEfPmOnly) fl |= kInsnPmOnly;
  if (ent.flags & kEfUndoc) fl |= kInsnUndocumented;
  if (ent.flags & kEfBranch) fl |= kInsnBranch;
  if (ent.flags & kEfPriv) fl |= kInsnPrivileged;
  if ((ent.flags & kEfImplicitLock) && lockable) fl |= kInsnImplicitLock;
  out.flags = fl;
  return DecodeStatus::Ok;
#undef CODEMORPH_NEED
}

}  // namespace codemorph::x86
