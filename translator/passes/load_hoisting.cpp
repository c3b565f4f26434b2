// Load hoisting under alias protection (ARCHITECTURE.md section 2, docs/iss.md 5): a load
// that follows stores gets its own alias register (ldp) and every earlier store is checked
// against it (stc mask), so the scheduler may move the load above those stores. If they do
// overlap at run time the store raises ALIAS, the CMS rolls back and retranslates without
// hoisting. One register per load and region (registers clear only at commit), so at most
// `aliasRegisters` loads are protected; the rest keep their order. A load that certainly
// overlaps an earlier store (address_analysis.h) is not protected: it would always trap.
#include "address_analysis.h"
#include "passes.h"

namespace codemorph::translator::passes {

using namespace ir;

unsigned loadHoisting(Function& fn, unsigned aliasRegisters) {
  const std::vector<SymbolicAddress> addr = symbolicAddresses(fn);
  unsigned next = 0;
  for (size_t k = 0; k < fn.insts.size() && next < aliasRegisters; ++k) {
    Inst& in = fn.insts[k];
    if (in.op != Op::Load || in.mem != MemKind::Plain) continue;
    bool anyStore = false, certain = false;
    for (size_t s = 0; s < k; ++s) {
      const Inst& st = fn.insts[s];
      if (st.op != Op::Store || st.mem == MemKind::Io) continue;
      anyStore = true;
      certain |= overlap(addr[s], st.width, addr[k], in.width) == Overlap::Yes;
    }
    if (!anyStore || certain) continue;
    in.mem = MemKind::Protected;
    in.aliasReg = static_cast<uint8_t>(next);
    for (size_t s = 0; s < k; ++s) {
      Inst& st = fn.insts[s];
      if (st.op != Op::Store || st.mem == MemKind::Io) continue;
      st.mem = MemKind::Checked;
      st.aliasMask = static_cast<uint8_t>(st.aliasMask | (1u << next));
    }
    ++next;
  }
  return next;
}

}  // namespace codemorph::translator::passes
