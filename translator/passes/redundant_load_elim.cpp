// Redundant-load elimination: a load from the same symbolic address (address_analysis.h)
// and width as an earlier load, or as an earlier store, with no store in between that may
// overlap it, takes that value instead of reading memory again. A narrow load after a store
// takes the stored value extended.
#include <vector>

#include "address_analysis.h"
#include "passes.h"

namespace codemorph::translator::passes {

using namespace ir;

namespace {
struct Available {
  SymbolicAddress address;
  uint8_t width;
  bool sign;
  bool fromStore;
  VReg value;
  uint32_t version;  // of value when it is a guest register
};
}  // namespace

unsigned redundantLoadElim(Function& fn) {
  const std::vector<SymbolicAddress> addr = symbolicAddresses(fn);
  unsigned changed = 0;
  uint32_t version[64] = {};
  std::vector<Available> avail;
  for (size_t k = 0; k < fn.insts.size(); ++k) {
    Inst& in = fn.insts[k];
    if (in.op == Op::Store) {
      std::erase_if(avail, [&](const Available& a) { return overlap(a.address, a.width, addr[k], in.width) != Overlap::No; });
      if (in.mem != MemKind::Io && addr[k].known)
        avail.push_back({addr[k], in.width, false, true, in.b, isTemp(in.b) ? 0 : version[in.b]});
    } else if (in.op == Op::Load && in.mem != MemKind::Io && addr[k].known) {
      bool done = false;
      for (const Available& a : avail) {
        if (!sameAddress(a.address, addr[k]) || a.width != in.width) continue;
        if (!isTemp(a.value) && a.value != kZero && version[a.value] != a.version) continue;
        if (!a.fromStore && a.sign != in.sign) continue;
        const VReg v = a.value;
        if (in.width == 4 || !a.fromStore) {
          in.op = Op::Copy;
        } else {
          in.op = in.width == 1 ? (in.sign ? Op::Sext8 : Op::Zext8) : (in.sign ? Op::Sext16 : Op::Zext16);
        }
        in.a = v;
        in.mem = MemKind::Plain;
        in.sign = false;
        in.width = 4;
        ++changed;
        done = true;
        break;
      }
      if (!done && isTemp(in.dst)) avail.push_back({addr[k], in.width, in.sign, false, in.dst, 0});
    }
    if (writesReg(in) && !isTemp(in.dst)) ++version[in.dst];
  }
  return changed;
}

}  // namespace codemorph::translator::passes
