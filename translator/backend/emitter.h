// Emission: scheduled, allocated atoms -> encoded molecules at placement.hostBase, followed
// by the out-of-line stubs (one per side exit, one for the budget check). Each molecule
// takes the smallest size (2 atoms, else maxAtoms) whose slots hold its atoms. Exits follow
// docs/cms-runtime.md section 4 rule 3: r9 = next EIP, r30 += instructions not executed,
// commit, then a single `j` to the firmware entry.
#pragma once
#include <string>

#include "machine.h"

namespace codemorph::translator::backend {

struct EmitResult {
  bool ok = false;
  std::string error;
  Translation translation;  // code, exits, molecules, atoms (the rest is filled by translate)
};

EmitResult emit(const LoweredRegion& region, const Schedule& schedule, const ir::Function& fn,
                const TranslateRequest& request);

}  // namespace codemorph::translator::backend
