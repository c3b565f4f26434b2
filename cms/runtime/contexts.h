// Context ids: the part of the x86 state a translation was made for, beyond its EIP and
// physical address (docs/cms-runtime.md 2, lookup-table key). Translations read segment
// bases and limits of the data segments from the host's segment caches at run time, so
// only what changes decoding or the meaning of EIP is part of the context: CS base and
// limit, CS.D, SS.B, CPL (host TLB rights), CR0.PE/PG and EFLAGS.VM. Ids start at 1 (0
// marks an empty lookup entry) and are never reused.
#pragma once
#include <codemorph/cms/cpu_state.h>

#include <cstdint>
#include <map>
#include <tuple>

namespace codemorph::cms::runtime {

class Contexts {
 public:
  uint32_t idFor(const CpuState& s);
  void clear() { ids_.clear(); }

 private:
  using Key = std::tuple<uint32_t, uint32_t, uint32_t>;  // CS base, CS limit, mode and plain-segment bits
  std::map<Key, uint32_t> ids_;
  uint32_t next_ = 1;
};

// Segments a translation may access memory through: bit i (SegReg order) set when segment
// i is a present, non-null, writable data segment, or when segments carry no rights (real
// and V86 mode). Host agen checks limits only (docs/iss.md 3), so the rights of SDM Vol. 3A
// 5.5 (read-only data, code segments, null selectors) are enforced by not translating an
// access through any other segment: the interpreter checks it. Part of the context.
uint32_t plainSegments(const CpuState& s);

// True if translated code may run in this state: not single-stepping (EFLAGS.TF traps
// after every instruction, which only the interpreter models).
inline bool translationAllowed(const CpuState& s) { return (s.eflags & kTF) == 0; }

}  // namespace codemorph::cms::runtime
