// The x86 state in host registers (docs/cms-runtime.md 3): r1..r8 GPRs, r9 EIP, xflags
// (CF PF AF ZF SF OF DF), segbase/seglim/segattr 0..5 = ES CS SS DS FS GS. Everything else
// lives only in the CMS's CpuState. The CMS pushes the state before the core runs x86
// code and pulls it back at every service call.
#pragma once
#include <codemorph/cms/cpu_state.h>
#include <codemorph/hostisa/iss/core_api.h>

namespace codemorph::cms::runtime {

// EFLAGS bits kept in xflags (docs/iss.md 1).
inline constexpr uint32_t kXflagsMask = kCF | kPF | kAF | kZF | kSF | kDF | kOF;

// segattr of a segment cache: bit 0 expand-down data segment, bit 1 B (4 GiB upper bound
// of an expand-down segment); docs/iss.md 3 "agen".
uint32_t segmentAttributes(const SegmentCache& seg);

void pushX86State(const CpuState& s, hostisa::iss::CoreApi& core);
// GPRs, EIP and the xflags bits; segments are never written by translations.
void pullX86State(const hostisa::iss::CoreApi& core, CpuState& s);

}  // namespace codemorph::cms::runtime
