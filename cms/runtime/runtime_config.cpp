// The runtime's knobs (docs/configuration.md "cms.*"): defined in one place and read back
// in one place, like the ISS's (hostisa/iss/src/iss_config.cpp).
#include <codemorph/cms/runtime.h>
#include <codemorph/support/config.h>

namespace codemorph::cms {

namespace {
struct CostKnob {
  const char* name;
  uint32_t CostModel::*field;
  const char* description;
};
constexpr CostKnob kCostKnobs[] = {
    {"interpret_per_insn", &CostModel::interpretPerInsn, "cycles per x86 instruction interpreted (gear 1)"},
    {"service_call", &CostModel::serviceCall, "cycles of entering and leaving the CMS (per service call)"},
    {"translate_per_insn_gear2", &CostModel::translatePerInsnGear2, "cycles per x86 instruction translated by gear 2"},
    {"translate_per_insn_gear3", &CostModel::translatePerInsnGear3, "cycles per x86 instruction translated by gear 3"},
    {"fault", &CostModel::faultHandling, "cycles per fault/rollback analysed by the CMS"},
    {"tlb_fill", &CostModel::tlbFill, "cycles per host-TLB fill (x86 page walk)"},
    {"chain", &CostModel::chain, "cycles per chaining or unchaining patch"},
    {"invalidate", &CostModel::invalidate, "cycles per translation invalidated"},
};
}  // namespace

void RuntimeConfig::defineKnobs(support::Config& c) {
  const RuntimeConfig d;
  c.defineBool("cms.translate", d.translate, "translate hot x86 code (false: interpreter only, --no-translate)");
  c.defineInt("cms.threshold", d.threshold, "executions of an x86 entry point before gear 2 translates it (0: first)", 0, UINT32_MAX);
  c.defineInt("cms.hot_threshold", d.hotThreshold, "executions of a gear-2 translation before gear 3 retranslates its region as a trace", 1, UINT32_MAX);
  c.defineString("cms.clock", "cycles", "device time: cycles (modelled core cycles) or instructions (retired x86 instructions)");
  c.defineInt("cms.reserved_mib", d.reservedMiB, "CMS-reserved host memory at the top of the core's memory (firmware, lookup table, translation cache)", 1, 1024);
  c.defineBool("cms.chaining", d.chaining, "patch direct exits to jump straight to their target translation");
  c.defineBool("cms.alias_hoisting", d.aliasHoisting, "let gear 3 hoist loads above stores under alias protection");
  c.defineInt("cms.max_atoms", 0, "widest molecule translations use: 2, 4 or 8, at most hostisa.max_atoms (0: hostisa.max_atoms)", 0, 8);
  for (const CostKnob& k : kCostKnobs)
    c.defineInt(std::string("cms.cost.") + k.name, d.cost.*k.field, k.description, 0, UINT32_MAX);
}

RuntimeConfig RuntimeConfig::fromConfig(const support::Config& c) {
  RuntimeConfig r;
  r.translate = c.getBool("cms.translate");
  r.threshold = static_cast<uint32_t>(c.getInt("cms.threshold"));
  r.hotThreshold = static_cast<uint32_t>(c.getInt("cms.hot_threshold"));
  const std::string& clock = c.getString("cms.clock");
  if (clock == "cycles") r.clock = ClockMode::Cycles;
  else if (clock == "instructions") r.clock = ClockMode::Instructions;
  else throw support::ConfigError("cms.clock must be 'cycles' or 'instructions', not '" + clock + "'");
  r.reservedMiB = static_cast<uint32_t>(c.getInt("cms.reserved_mib"));
  r.chaining = c.getBool("cms.chaining");
  r.aliasHoisting = c.getBool("cms.alias_hoisting");
  for (const CostKnob& k : kCostKnobs)
    r.cost.*k.field = static_cast<uint32_t>(c.getInt(std::string("cms.cost.") + k.name));
  if (c.has("hostisa.max_atoms")) r.maxAtoms = static_cast<uint32_t>(c.getInt("hostisa.max_atoms"));
  if (const auto atoms = static_cast<uint32_t>(c.getInt("cms.max_atoms")); atoms != 0) {
    if ((atoms != 2 && atoms != 4 && atoms != 8) || atoms > r.maxAtoms)
      throw support::ConfigError("cms.max_atoms must be 2, 4 or 8 and at most hostisa.max_atoms (" + std::to_string(r.maxAtoms) + ")");
    r.maxAtoms = atoms;
  }
  if (c.has("iss.store_buffer_entries")) r.storeBufferEntries = static_cast<uint32_t>(c.getInt("iss.store_buffer_entries"));
  if (c.has("iss.tbit_granule")) r.tbitGranule = static_cast<uint32_t>(c.getInt("iss.tbit_granule"));
  if (c.has("iss.alias_registers")) r.aliasRegisters = static_cast<uint32_t>(c.getInt("iss.alias_registers"));
  if (c.has("hostisa.alias_hw")) r.aliasHardware = c.getBool("hostisa.alias_hw");
  if (c.has("hostisa.x86_flags")) r.x86Flags = c.getBool("hostisa.x86_flags");
  if (c.has("hostisa.partial_regs")) r.partialRegs = c.getBool("hostisa.partial_regs");
  if (c.has("hostisa.seg_agen")) r.segAgen = c.getBool("hostisa.seg_agen");
  // Translations address guest memory by x86 linear address through the host TLB, which the
  // CMS fills from the x86 page tables (docs/cms-runtime.md 6); without it they would
  // access linear = physical, wrong under paging or A20 masking. Not supported yet.
  if (r.translate && c.has("hostisa.host_tlb") && !c.getBool("hostisa.host_tlb"))
    throw support::ConfigError("hostisa.host_tlb=false is not supported with translation (use cms.translate=false)");
  return r;
}

}  // namespace codemorph::cms
