// Branch directions seen by gear 1 (the interpreter), per physical address of the
// conditional branch: what gear 3 follows when it forms a trace (docs/cms-runtime.md 1).
#pragma once
#include <cstdint>
#include <unordered_map>

namespace codemorph::cms::runtime {

class BranchProfile {
 public:
  void record(uint32_t branchPhysical, bool taken) {
    Counts& c = counts_[branchPhysical];
    (taken ? c.taken : c.notTaken) += 1;
  }
  // The direction a trace follows: the majority seen; without data, a backward branch is
  // taken (a loop) and a forward one is not.
  bool followTaken(uint32_t branchPhysical, bool backward) const {
    auto it = counts_.find(branchPhysical);
    if (it == counts_.end() || it->second.taken == it->second.notTaken) return backward;
    return it->second.taken > it->second.notTaken;
  }
  void clear() { counts_.clear(); }

 private:
  struct Counts {
    uint32_t taken = 0, notTaken = 0;
  };
  std::unordered_map<uint32_t, Counts> counts_;
};

}  // namespace codemorph::cms::runtime
