// Dependence graph construction (see dependence.h).
#include "dependence.h"

#include <unordered_map>

namespace codemorph::translator::backend {

namespace {
// Guest state a side exit hands over to the stub and the CMS: r1..r8, r30, xflags.
bool isGuestState(VReg r) { return (r >= 1 && r <= 8) || r == ir::kBudget || r == kFlagsVReg; }

struct RegUse {
  VReg regs[4];
  unsigned n = 0;
};
RegUse reads(const MAtom& a) {
  RegUse u;
  auto add = [&](VReg r) {
    if (r != ir::kZero) u.regs[u.n++] = r;
  };
  const uint32_t ops = hostisa::atomInfo(a.atom.op).operands;
  if (ops & hostisa::kR1) add(a.rs1);
  if (ops & hostisa::kR2) add(a.rs2);
  if (a.readsRd) add(a.rd);
  if (a.readsFlags) add(kFlagsVReg);
  return u;
}
RegUse writes(const MAtom& a) {
  RegUse u;
  if ((hostisa::atomInfo(a.atom.op).operands & hostisa::kWd) && a.rd != ir::kZero) u.regs[u.n++] = a.rd;
  if (a.writesFlags) u.regs[u.n++] = kFlagsVReg;
  return u;
}
}  // namespace

DependenceGraph buildDependences(const LoweredRegion& region) {
  const auto& atoms = region.atoms;
  const unsigned n = static_cast<unsigned>(atoms.size());
  DependenceGraph g;
  g.succs.resize(n);
  g.preds.resize(n);
  // Adds from -> to, or raises the latency of an existing edge.
  auto edge = [&](unsigned from, unsigned to, unsigned lat) {
    for (Edge& e : g.succs[from])
      if (e.to == to) {
        if (lat > e.latency) {
          e.latency = lat;
          for (Edge& p : g.preds[to])
            if (p.to == from) p.latency = lat;
        }
        return;
      }
    g.succs[from].push_back({to, lat});
    g.preds[to].push_back({from, lat});
  };

  std::unordered_map<VReg, unsigned> lastWriter;
  std::unordered_map<VReg, std::vector<unsigned>> readersSinceWrite;
  std::vector<unsigned> stores, loads, exits, guestWriters;
  int budgetCheck = -1;
  for (unsigned j = 0; j < n; ++j) {
    const MAtom& a = atoms[j];
    const bool isExit = a.role == Role::SideExit;
    // Register dependences.
    const RegUse rs = reads(a);
    for (unsigned k = 0; k < rs.n; ++k) {
      auto w = lastWriter.find(rs.regs[k]);
      if (w != lastWriter.end()) edge(w->second, j, atoms[w->second].latency);
    }
    const RegUse ws = writes(a);
    for (unsigned k = 0; k < ws.n; ++k) {
      const VReg r = ws.regs[k];
      auto w = lastWriter.find(r);
      if (w != lastWriter.end()) edge(w->second, j, 1);
      for (unsigned rd : readersSinceWrite[r]) edge(rd, j, atoms[rd].role == Role::SideExit ? 1 : 0);
      // A later write of guest state may not reach an earlier side exit.
      if (isGuestState(r))
        for (unsigned e : exits) edge(e, j, 1);
    }
    for (unsigned k = 0; k < rs.n; ++k) readersSinceWrite[rs.regs[k]].push_back(j);
    for (unsigned k = 0; k < ws.n; ++k) {
      lastWriter[ws.regs[k]] = j;
      readersSinceWrite[ws.regs[k]].clear();
    }
    // Memory order.
    if (a.store) {
      for (unsigned s : stores) edge(s, j, 1);
      for (unsigned l : loads) edge(l, j, a.io || atoms[l].io ? 1 : 0);
      for (unsigned e : exits) edge(e, j, 1);
      stores.push_back(j);
    }
    if (a.load) {
      for (unsigned s : stores) {
        const bool hoistable = a.protectedLoad && ((atoms[s].aliasMask >> a.aliasReg) & 1u);
        if (!hoistable) edge(s, j, 1);
      }
      if (a.io) {
        for (unsigned l : loads) edge(l, j, 1);
        for (unsigned e : exits) edge(e, j, 1);
      }
      loads.push_back(j);
    }
    // Exits: after the budget check and every earlier exit; every earlier guest-state write
    // and store may share the exit's molecule (their effects happen before the branch).
    if (a.role == Role::Budget && a.atom.op == hostisa::Op::BLT) budgetCheck = static_cast<int>(j);
    if (isExit || a.role == Role::FinalExit) {
      if (budgetCheck >= 0) edge(static_cast<unsigned>(budgetCheck), j, 1);
      for (unsigned e : exits) edge(e, j, 1);
      for (unsigned s : stores) edge(s, j, 0);
      for (unsigned w : guestWriters) edge(w, j, 0);
      if (a.role == Role::FinalExit)
        for (unsigned i = 0; i < j; ++i) edge(i, j, 0);
      exits.push_back(j);
    }
    for (unsigned k = 0; k < ws.n; ++k)
      if (isGuestState(ws.regs[k])) {
        guestWriters.push_back(j);
        break;
      }
  }
  return g;
}

}  // namespace codemorph::translator::backend
