// The dependence graph the schedulers respect (docs/translator.md "Scheduling"): register
// RAW (producer latency), WAR (0: a molecule reads before it writes), WAW (1), memory order,
// and the exit rules that keep every side exit's view of the x86 state exact: guest-state
// writes and stores before an exit may share its molecule, those after it must follow it.
#pragma once
#include <vector>

#include "machine.h"

namespace codemorph::translator::backend {

struct Edge {
  unsigned to;
  unsigned latency;  // to may issue no earlier than (molecule of from) + latency
};

struct DependenceGraph {
  std::vector<std::vector<Edge>> succs;
  std::vector<std::vector<Edge>> preds;
};

DependenceGraph buildDependences(const LoweredRegion& region);

}  // namespace codemorph::translator::backend
