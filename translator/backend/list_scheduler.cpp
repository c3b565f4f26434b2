// Scheduling atoms into molecules under the slot rules, the dependence graph and the
// latencies (docs/iss.md section 8: alu 1, mul 3, load 2).
//  - InOrder (gear 2): the atoms are taken in program order, each into the earliest
//    molecule its dependences and the free slots allow (as soon as possible, no priority).
//    One pass over the atoms: fast.
//  - List (gear 3): cycle-driven list scheduling; among the ready atoms the one with the
//    longest latency-weighted path to the end goes first (ties: program order), so loads
//    and multiplies start early and independent x86 instructions overlap.
// Empty cycles are dropped: the core's scoreboard interlocks, so they would only cost space.
#include <algorithm>

#include "dependence.h"
#include "machine.h"

namespace codemorph::translator::backend {

namespace {
// A protected load hoisted above a checked store must not share its molecule: the load
// would read memory before the store and the store's alias check would not see the load's
// alias register yet (it is set when the molecule applies, docs/iss.md 5).
bool sameMoleculeHazard(const MAtom& earlier, const MAtom& later) {
  return earlier.store && later.protectedLoad && ((earlier.aliasMask >> later.aliasReg) & 1u);
}

struct Packer {
  const std::vector<MAtom>& atoms;
  unsigned maxAtoms;
  std::vector<std::vector<hostisa::Op>> ops;     // per cycle
  std::vector<std::vector<unsigned>> members;    // per cycle
  std::vector<unsigned> slots;
  bool fits(unsigned cycle, unsigned j) {
    if (cycle >= ops.size()) {
      ops.resize(cycle + 1);
      members.resize(cycle + 1);
    }
    for (unsigned i : members[cycle]) {
      const unsigned lo = std::min(i, j), hi = std::max(i, j);
      if (sameMoleculeHazard(atoms[lo], atoms[hi])) return false;
    }
    auto trial = ops[cycle];
    trial.push_back(atoms[j].atom.op);
    return assignSlots(trial, maxAtoms, slots);
  }
  void add(unsigned cycle, unsigned j) {
    ops[cycle].push_back(atoms[j].atom.op);
    members[cycle].push_back(j);
  }
};

unsigned earliest(const DependenceGraph& g, unsigned j, const std::vector<int>& cycleOf) {
  unsigned t = 0;
  for (const Edge& p : g.preds[j]) t = std::max(t, static_cast<unsigned>(cycleOf[p.to]) + p.latency);
  return t;
}
}  // namespace

Schedule schedule(const LoweredRegion& region, unsigned maxAtoms, ScheduleMode mode) {
  const auto& atoms = region.atoms;
  const unsigned n = static_cast<unsigned>(atoms.size());
  const DependenceGraph g = buildDependences(region);
  std::vector<int> cycleOf(n, -1);
  Packer packer{atoms, maxAtoms, {}, {}, {}};
  std::vector<std::vector<unsigned>> byCycle;
  auto put = [&](unsigned j, unsigned c) {
    cycleOf[j] = static_cast<int>(c);
    packer.add(c, j);
    if (c >= byCycle.size()) byCycle.resize(c + 1);
    byCycle[c].push_back(j);
  };

  if (mode == ScheduleMode::InOrder) {
    for (unsigned j = 0; j < n; ++j) {
      unsigned c = earliest(g, j, cycleOf);
      while (!packer.fits(c, j)) ++c;
      put(j, c);
    }
  } else {
    // Priority: longest path to a sink (edges are forward in program order).
    std::vector<unsigned> height(n, 0);
    for (unsigned j = n; j-- > 0;) {
      unsigned h = atoms[j].latency;
      for (const Edge& s : g.succs[j]) h = std::max(h, s.latency + height[s.to]);
      height[j] = h;
    }
    for (unsigned j = 0; j < n; ++j)
      if (atoms[j].role == Role::Budget) height[j] += 100000;  // the entry check comes first
    std::vector<unsigned> waiting(n);
    for (unsigned j = 0; j < n; ++j) waiting[j] = static_cast<unsigned>(g.preds[j].size());
    std::vector<unsigned> ready;
    for (unsigned j = 0; j < n; ++j)
      if (waiting[j] == 0) ready.push_back(j);
    unsigned done = 0;
    for (unsigned cycle = 0; done < n; ++cycle) {
      std::sort(ready.begin(), ready.end(), [&](unsigned x, unsigned y) {
        return height[x] != height[y] ? height[x] > height[y] : x < y;
      });
      std::vector<unsigned> placed;
      for (unsigned j : ready) {
        if (earliest(g, j, cycleOf) > cycle) continue;
        // An edge of latency 0 lets a successor join this molecule: check it after placing.
        if (!packer.fits(cycle, j)) continue;
        put(j, cycle);
        placed.push_back(j);
        ++done;
      }
      // Successors released by this cycle's atoms; those with latency-0 edges may still fit
      // into this same molecule.
      bool more = true;
      while (more) {
        more = false;
        for (unsigned j : placed) {
          for (const Edge& s : g.succs[j]) {
            if (--waiting[s.to] == 0) ready.push_back(s.to);
          }
        }
        placed.clear();
        std::erase_if(ready, [&](unsigned j) { return cycleOf[j] >= 0; });
        std::sort(ready.begin(), ready.end(), [&](unsigned x, unsigned y) {
          return height[x] != height[y] ? height[x] > height[y] : x < y;
        });
        for (unsigned j : ready) {
          if (earliest(g, j, cycleOf) > cycle) continue;
          if (!packer.fits(cycle, j)) continue;
          put(j, cycle);
          placed.push_back(j);
          ++done;
          more = true;
        }
      }
      std::erase_if(ready, [&](unsigned j) { return cycleOf[j] >= 0; });
    }
  }

  Schedule s;
  s.moleculeOf.assign(n, 0);
  for (auto& cyc : byCycle) {
    if (cyc.empty()) continue;
    for (unsigned j : cyc) s.moleculeOf[j] = static_cast<unsigned>(s.molecules.size());
    s.molecules.push_back(cyc);
  }
  return s;
}

}  // namespace codemorph::translator::backend
