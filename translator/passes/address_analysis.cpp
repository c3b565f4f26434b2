// Symbolic address analysis (see address_analysis.h).
#include "address_analysis.h"

#include <unordered_map>

namespace codemorph::translator::passes {

using namespace ir;

namespace {
struct Def {
  const Inst* inst;
  uint32_t version;  // versions of the pinned registers are tracked by the walker
};

struct Walker {
  const Function& fn;
  std::unordered_map<VReg, const Inst*> tempDef;
  uint32_t version[64] = {};
  std::unordered_map<uint64_t, const Inst*> pinnedDef;  // (reg, version) -> the write

  static uint64_t key(VReg r, uint32_t v) { return (static_cast<uint64_t>(v) << 8) | r; }

  // value = base + offset, following AddI chains; depth-limited.
  void describe(VReg r, uint32_t ver, SymbolicAddress& a, int depth) {
    if (depth > 8) {
      a.base = r;
      a.version = ver;
      return;
    }
    const Inst* d = nullptr;
    if (isTemp(r)) {
      auto it = tempDef.find(r);
      if (it != tempDef.end()) d = it->second;
    } else if (r != kZero) {
      // A guest register written by AddI (ESP by PUSH/POP) is its previous version + imm.
      auto it = pinnedDef.find(key(r, ver));
      if (it != pinnedDef.end()) d = it->second;
    }
    if (d && d->op == Op::AddI) {
      a.offset += static_cast<uint32_t>(d->imm);
      describe(d->a, isTemp(d->a) ? 0 : versionAtDef(d), a, depth + 1);
      return;
    }
    if (d && d->op == Op::Const) {
      a.offset += static_cast<uint32_t>(d->imm);
      a.base = kZero;
      return;
    }
    a.base = r;
    a.version = isTemp(r) ? 0 : ver;
  }
  // Version of a pinned source as seen by instruction d (recorded when d was visited).
  std::unordered_map<const Inst*, uint32_t> srcVersion;
  uint32_t versionAtDef(const Inst* d) const {
    auto it = srcVersion.find(d);
    return it == srcVersion.end() ? 0 : it->second;
  }
};
}  // namespace

std::vector<SymbolicAddress> symbolicAddresses(const Function& fn) {
  std::vector<SymbolicAddress> out(fn.insts.size());
  Walker w{fn, {}, {}, {}, {}};
  std::unordered_map<VReg, SymbolicAddress> agenAddr;
  for (size_t k = 0; k < fn.insts.size(); ++k) {
    const Inst& in = fn.insts[k];
    if (!isTemp(in.a) && in.a != kZero) w.srcVersion[&in] = w.version[in.a];
    if (in.op == Op::Agen) {
      SymbolicAddress a;
      a.known = true;
      a.seg = in.seg;
      VReg off = in.a;
      uint32_t ver = isTemp(off) ? 0 : w.version[off];
      // 16-bit addressing: Zext16(x); SP written by Ins16(SP, t) has low half t.
      auto def = isTemp(off) ? w.tempDef.find(off) : w.tempDef.end();
      if (def != w.tempDef.end() && def->second->op == Op::Zext16) {
        a.wrap16 = true;
        const Inst* z = def->second;
        off = z->a;
        ver = isTemp(off) ? 0 : w.versionAtDef(z);
        if (!isTemp(off) && off != kZero) {
          auto p = w.pinnedDef.find(Walker::key(off, ver));
          if (p != w.pinnedDef.end() && p->second->op == Op::Ins16) {
            off = p->second->a;
            ver = 0;
          }
        }
      }
      w.describe(off, ver, a, 0);
      if (a.wrap16) a.offset &= 0xFFFF;
      agenAddr[in.dst] = a;
    }
    // Without hostisa.seg_agen the linear address is `Add segbase, offset`, the segment
    // base read by ReadSreg (segment_check.cpp): the same description, keyed by the
    // special register instead of the agen segment.
    if (in.op == Op::Add) {
      for (int side = 0; side < 2; ++side) {
        const VReg baseReg = side == 0 ? in.a : in.b, off = side == 0 ? in.b : in.a;
        auto def = isTemp(baseReg) ? w.tempDef.find(baseReg) : w.tempDef.end();
        if (def == w.tempDef.end() || def->second->op != Op::ReadSreg) continue;
        SymbolicAddress a;
        a.known = true;
        a.seg = static_cast<uint8_t>(0x80u | (static_cast<uint32_t>(def->second->imm) & 0x7Fu));
        w.describe(off, isTemp(off) ? 0 : w.version[off], a, 0);
        agenAddr[in.dst] = a;
        break;
      }
    }
    if (in.op == Op::Load || in.op == Op::Store) {
      auto it = agenAddr.find(in.a);
      if (it != agenAddr.end()) out[k] = it->second;
    }
    if (writesReg(in)) {
      if (isTemp(in.dst)) {
        w.tempDef[in.dst] = &in;
      } else {
        ++w.version[in.dst];
        w.pinnedDef[Walker::key(in.dst, w.version[in.dst])] = &in;
      }
    }
  }
  return out;
}

bool sameAddress(const SymbolicAddress& a, const SymbolicAddress& b) {
  return a.known && b.known && a.seg == b.seg && a.base == b.base && a.version == b.version && a.wrap16 == b.wrap16 &&
         a.offset == b.offset;
}

Overlap overlap(const SymbolicAddress& a, unsigned widthA, const SymbolicAddress& b, unsigned widthB) {
  if (!a.known || !b.known || a.seg != b.seg || a.base != b.base || a.version != b.version || a.wrap16 != b.wrap16)
    return Overlap::Maybe;
  const uint32_t mask = a.wrap16 ? 0xFFFFu : 0xFFFFFFFFu;
  const uint32_t d = (b.offset - a.offset) & mask;  // b starts d bytes after a (mod)
  const uint32_t e = (a.offset - b.offset) & mask;
  // Near a wrap the bytes of one access may wrap; distances here are small in practice.
  if (d < widthA || e < widthB) return Overlap::Yes;
  return Overlap::No;
}

}  // namespace codemorph::translator::passes
