// The ISS's knobs, defined in one place (defineIssKnobs) and read back in one place
// (IssConfig::fromConfig). docs/iss.md "Configuration" lists them.
#include "codemorph/hostisa/iss/iss_config.h"

#include <bit>
#include <string>

#include "codemorph/support/config.h"

namespace codemorph::hostisa::iss {

static_assert(kLatencyKnobs.size() == kNumTimingClasses, "every timing class needs a latency knob");

void defineIssKnobs(support::Config& c) {
  c.defineInt("iss.store_buffer_entries", 32, "gated store buffer entries (a push when full raises SB_OVERFLOW)", 1, 256);
  c.defineInt("iss.alias_registers", 8, "alias registers for ldp*/stc* (N; indices >= N are ILLEGAL)", 1, 8);
  c.defineInt("iss.tlb_entries", 64, "host TLB entries (fully associative, round-robin fill)", 1, 1024);
  c.defineInt("iss.tbit_granule", 128, "T-bit granule in bytes (power of two)", 64, 4096);
  c.defineInt("mem.size_mib", 64, "host physical memory size in MiB, from address 0", 1, 4096);
  c.defineBool("hostisa.x86_flags", true, "co-designed x86 condition-code atoms (*.cc, setcc, sel, bcc)");
  c.defineBool("hostisa.partial_regs", true, "partial-register atoms (ins8l, ins8h, ins16, ext8h)");
  c.defineBool("hostisa.seg_agen", true, "segment address generation with limit checks (agen)");
  c.defineBool("hostisa.host_tlb", true, "guest accesses through the host TLB keyed by x86 linear address");
  c.defineBool("hostisa.alias_hw", true, "alias hardware (ldp*, stc*)");
  c.defineInt("hostisa.max_atoms", 4, "widest molecule: 4 (Crusoe) or 8 (Efficeon-like) atoms", 4, 8);
  c.defineBool("timing.enabled", true, "ISS timing model (off: every molecule takes one cycle)");
  for (const LatencyKnob& k : kLatencyKnobs) {
    c.defineInt("timing.latency." + std::string(k.name), k.defaultCycles,
                "result latency in cycles of atoms of timing class " + std::string(k.name), 1, 1000);
  }
  c.defineInt("timing.branch_taken_penalty", 2, "extra cycles after a taken control transfer", 0, 1000);
  c.defineInt("timing.trap_penalty", 5, "extra cycles for trap entry and for eret", 0, 1000);
  c.defineInt("timing.commit_cycles", 0, "extra cycles of a commit point", 0, 1000);
  c.defineInt("timing.rollback_cycles", 1, "extra cycles of a rollback atom", 0, 1000);
}

static void require(bool ok, const std::string& what) {
  if (!ok) throw support::ConfigError("ISS configuration: " + what);
}

void IssConfig::validate() const {
  require(storeBufferEntries >= 1 && storeBufferEntries <= 256, "iss.store_buffer_entries must be in 1..256");
  require(aliasRegisters >= 1 && aliasRegisters <= 8, "iss.alias_registers must be in 1..8");
  require(tlbEntries >= 1 && tlbEntries <= 1024, "iss.tlb_entries must be in 1..1024");
  require(tbitGranule >= 64 && tbitGranule <= 4096 && std::has_single_bit(tbitGranule),
          "iss.tbit_granule must be a power of two in 64..4096");
  require(memBytes >= (1ull << 20) && memBytes <= (4096ull << 20) && memBytes % (1ull << 20) == 0,
          "mem.size_mib must be in 1..4096");
  require(features.maxAtoms == 4 || features.maxAtoms == 8, "hostisa.max_atoms must be 4 or 8");
  for (unsigned i = 0; i < kNumTimingClasses; ++i)
    require(latency[i] >= 1 && latency[i] <= 1000, "timing.latency.* must be in 1..1000");
  require(branchTakenPenalty <= 1000 && trapPenalty <= 1000 && commitCycles <= 1000 && rollbackCycles <= 1000,
          "timing penalties must be in 0..1000");
}

IssConfig IssConfig::fromConfig(const support::Config& c) {
  IssConfig k;
  k.storeBufferEntries = static_cast<unsigned>(c.getInt("iss.store_buffer_entries"));
  k.aliasRegisters = static_cast<unsigned>(c.getInt("iss.alias_registers"));
  k.tlbEntries = static_cast<unsigned>(c.getInt("iss.tlb_entries"));
  k.tbitGranule = static_cast<unsigned>(c.getInt("iss.tbit_granule"));
  k.memBytes = static_cast<uint64_t>(c.getInt("mem.size_mib")) << 20;
  k.features.x86Flags = c.getBool("hostisa.x86_flags");
  k.features.partialRegs = c.getBool("hostisa.partial_regs");
  k.features.segAgen = c.getBool("hostisa.seg_agen");
  k.features.hostTlb = c.getBool("hostisa.host_tlb");
  k.features.aliasHw = c.getBool("hostisa.alias_hw");
  k.features.maxAtoms = static_cast<unsigned>(c.getInt("hostisa.max_atoms"));
  k.timing = c.getBool("timing.enabled");
  for (unsigned i = 0; i < kNumTimingClasses; ++i)
    k.latency[i] = static_cast<uint32_t>(c.getInt("timing.latency." + std::string(kLatencyKnobs[i].name)));
  k.branchTakenPenalty = static_cast<uint32_t>(c.getInt("timing.branch_taken_penalty"));
  k.trapPenalty = static_cast<uint32_t>(c.getInt("timing.trap_penalty"));
  k.commitCycles = static_cast<uint32_t>(c.getInt("timing.commit_cycles"));
  k.rollbackCycles = static_cast<uint32_t>(c.getInt("timing.rollback_cycles"));
  k.validate();
  return k;
}

}  // namespace codemorph::hostisa::iss
