// Register allocation after scheduling (docs/cms-runtime.md section 3): x86 registers are
// pinned to r1..r8 (EIP r9, budget r30) by construction; every temporary gets a host
// register from r10..r29 or r48..r62 for its live range [first definition, last use] in
// molecules. A register is reused by a value defined in molecule d when its previous value
// was last written before d and last read no later than d (a molecule reads before it
// writes).
#include <algorithm>
#include <array>

#include "machine.h"

namespace codemorph::translator::backend {

namespace {
constexpr std::array<uint8_t, 35> kPool = {48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 10, 11, 12,
                                           13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29};
}

std::string allocateRegisters(LoweredRegion& region, const Schedule& schedule) {
  const unsigned temps = region.nextVReg - ir::kFirstTemp;
  constexpr int kNone = -1;
  std::vector<int> def(temps, kNone), end(temps, kNone), lastWrite(temps, kNone);
  auto touch = [&](VReg r, unsigned m, bool isDef, bool isWrite = false) {
    if (!ir::isTemp(r)) return;
    const unsigned t = r - ir::kFirstTemp;
    if (isDef && def[t] == kNone) def[t] = static_cast<int>(m);
    end[t] = std::max(end[t], static_cast<int>(m));
    if (isWrite) lastWrite[t] = std::max(lastWrite[t], static_cast<int>(m));
  };
  for (unsigned j = 0; j < region.atoms.size(); ++j) {
    const MAtom& a = region.atoms[j];
    const unsigned m = schedule.moleculeOf[j];
    const uint32_t ops = hostisa::atomInfo(a.atom.op).operands;
    if (ops & hostisa::kR1) touch(a.rs1, m, false);
    if (ops & hostisa::kR2) touch(a.rs2, m, false);
    if (ops & hostisa::kWd) touch(a.rd, m, !a.readsRd, true);
    else if (a.readsRd) touch(a.rd, m, false);
  }
  std::vector<unsigned> order;
  for (unsigned t = 0; t < temps; ++t)
    if (def[t] != kNone) order.push_back(t);
  std::sort(order.begin(), order.end(), [&](unsigned x, unsigned y) { return def[x] != def[y] ? def[x] < def[y] : x < y; });
  // Per host register: last molecule reading or writing its current value, and the last
  // one writing it (a new value may be written in the molecule of the last read, never in
  // one that also writes the old value).
  std::array<int, 64> busyEnd, busyWrite;
  busyEnd.fill(kNone);
  busyWrite.fill(kNone);
  std::vector<uint8_t> host(temps, 0);
  for (unsigned t : order) {
    int chosen = -1;
    for (uint8_t r : kPool) {
      if (busyWrite[r] == kNone || (busyEnd[r] <= def[t] && busyWrite[r] < def[t])) {
        chosen = r;
        break;
      }
    }
    if (chosen < 0) return "out of host registers (" + std::to_string(order.size()) + " temporaries)";
    host[t] = static_cast<uint8_t>(chosen);
    busyWrite[chosen] = lastWrite[t];
    busyEnd[chosen] = end[t];
  }
  auto map = [&](VReg& r) {
    if (ir::isTemp(r)) r = host[r - ir::kFirstTemp];
  };
  for (MAtom& a : region.atoms) {
    map(a.rd);
    map(a.rs1);
    map(a.rs2);
  }
  return "";
}

}  // namespace codemorph::translator::backend
