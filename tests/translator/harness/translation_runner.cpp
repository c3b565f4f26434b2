// The translation harness (see translation_runner.h).
#include "translation_runner.h"

#include "undefined_flags.h"

#include <codemorph/cms/flags.h>
#include <codemorph/cms/interpreter.h>

#include <algorithm>
#include <cstring>

namespace codemorph::translator::test {

using hostisa::iss::Iss;
using hostisa::iss::IssConfig;

Placement testPlacement() {
  Placement p;
  p.hostBase = kCodeBase;
  p.fwDispatch = kFwDispatch;
  p.fwDispatchIndirect = kFwDispatchIndirect;
  p.fwInterpret = kFwInterpret;
  p.fwExitBudget = kFwExitBudget;
  return p;
}

const char* landingName(Landing l) {
  static const char* kNames[] = {"fw_dispatch", "fw_dispatch_indirect", "fw_interpret", "fw_exit_budget", "trap", "other"};
  return kNames[static_cast<unsigned>(l)];
}

namespace {
// Bytes of the image up to its last non-zero byte: the rest is zero on both sides (the ISS
// memory and the interpreter's bus start zeroed), so it need not be copied or compared.
size_t usedPrefix(const std::vector<uint8_t>& ram) {
  size_t n = ram.size();
  while (n > 0 && ram[n - 1] == 0) --n;
  return (n + 0xFFF) & ~size_t{0xFFF};
}

void putMolecule(Iss& core, uint32_t at, std::initializer_list<hostisa::Atom> atoms, bool commit, unsigned maxAtoms) {
  hostisa::Molecule m;
  m.numAtoms = static_cast<uint8_t>(maxAtoms >= 4 ? 4 : 2);
  m.commit = commit;
  std::vector<hostisa::Op> ops;
  for (const auto& a : atoms) ops.push_back(a.op);
  // Stand-ins hold one control atom: the last slot of 2- and the BRU slot of 4-atom molecules.
  unsigned s = 0;
  for (const auto& a : atoms) {
    const bool bru = hostisa::atomInfo(a.op).unit == hostisa::Unit::Bru;
    m.atoms[bru ? (m.numAtoms == 2 ? 1 : 3) : s++] = a;
  }
  uint32_t words[8];
  const unsigned n = hostisa::encodeMolecule(m, words);
  std::vector<uint8_t> bytes(n * 4);
  std::memcpy(bytes.data(), words, bytes.size());
  core.writeMemory(at, bytes);
}

hostisa::Atom simple(hostisa::Op op, int32_t imm = 0) {
  hostisa::Atom a;
  a.op = op;
  a.imm = imm;
  return a;
}

uint32_t segAttr(const cms::SegmentCache& s) {
  const bool code = (s.access & 0x08) != 0;
  const bool expandDown = !code && (s.access & 0x04) != 0;
  return (expandDown ? 1u : 0u) | (s.bigDefault() ? 2u : 0u);
}
}  // namespace

IssOutcome runOnIss(const Translation& t, const cms::CpuState& state, const std::vector<uint8_t>& ram, uint32_t budget,
                    const IssRunConfig& rc) {
  IssConfig cfg;
  cfg.memBytes = kIssMemory;
  cfg.features.hostTlb = rc.hostTlb;
  cfg.features.partialRegs = rc.partialRegs;
  cfg.features.segAgen = rc.segAgen;
  cfg.tlbEntries = 1024;
  cfg.features.maxAtoms = rc.maxAtoms == 8 ? 8 : 4;
  cfg.storeBufferEntries = rc.storeBufferEntries;
  cfg.aliasRegisters = rc.aliasRegisters;
  Iss core(cfg);
  const size_t used = std::min(usedPrefix(ram), ram.size());
  core.writeMemory(0, std::span<const uint8_t>(ram.data(), used));
  core.writeMemory(kCodeBase, t.code);
  for (uint32_t fw : {kFwDispatch, kFwDispatchIndirect, kFwInterpret, kFwExitBudget, kTrapVector})
    putMolecule(core, fw, {simple(hostisa::Op::HALT)}, false, 2);
  putMolecule(core, kPrologue, {simple(hostisa::Op::J, static_cast<int32_t>(kCodeBase - kPrologue) / 8)}, true, 2);
  core.reset(kPrologue);
  if (rc.hostTlb)
    for (uint32_t page = 0; page < ram.size(); page += 4096)
      core.tlbInsert(page, page | hostisa::kTlbValid | hostisa::kTlbWritable | hostisa::kTlbDirtyOk);
  for (unsigned r = 0; r < 8; ++r) core.setReg(1 + r, state.gpr[r]);
  core.setReg(9, state.eip);
  core.setReg(30, budget);
  core.setSreg(static_cast<unsigned>(hostisa::Sreg::XFLAGS), state.eflags & (cms::kArithFlags | cms::kDF));
  core.setSreg(static_cast<unsigned>(hostisa::Sreg::TVEC), kTrapVector);
  for (unsigned s = 0; s < 6; ++s) {
    core.setSreg(0x10 + s, state.seg[s].base);
    core.setSreg(0x18 + s, state.seg[s].limit);
    core.setSreg(0x20 + s, segAttr(state.seg[s]));
  }
  core.run(1'000'000, 100'000);
  IssOutcome o;
  const auto stop = core.stopInfo();
  if (stop.reason == hostisa::iss::StopReason::Halted) {
    switch (stop.pc) {
      case kFwDispatch: o.landing = Landing::Dispatch; break;
      case kFwDispatchIndirect: o.landing = Landing::DispatchIndirect; break;
      case kFwInterpret: o.landing = Landing::Interpret; break;
      case kFwExitBudget: o.landing = Landing::ExitBudget; break;
      case kTrapVector:
        o.landing = Landing::Trap;
        o.cause = static_cast<hostisa::TrapCause>(core.sreg(static_cast<unsigned>(hostisa::Sreg::TCAUSE)));
        o.tval = core.sreg(static_cast<unsigned>(hostisa::Sreg::TVAL));
        o.tpc = core.sreg(static_cast<unsigned>(hostisa::Sreg::TPC));
        break;
      default: break;
    }
  } else if (stop.reason != hostisa::iss::StopReason::Running) {
    o.cause = stop.cause;
  }
  for (unsigned r = 0; r < 8; ++r) o.gpr[r] = core.reg(1 + r);
  o.r9 = core.reg(9);
  o.r30 = core.reg(30);
  o.xflags = core.sreg(static_cast<unsigned>(hostisa::Sreg::XFLAGS));
  o.cycles = core.cycles();
  o.memory.resize(used);
  core.readMemory(0, o.memory);
  return o;
}


InterpOutcome runOnInterpreter(const cms::CpuState& state, const std::vector<uint8_t>& ram, uint32_t count) {
  cms::FlatBus bus(ram.size());
  const size_t used = std::min(usedPrefix(ram), ram.size());
  std::memcpy(bus.storage().data(), ram.data(), used);
  cms::Interpreter cpu(bus);
  cpu.state() = state;
  InterpOutcome o;
  for (uint32_t i = 0; i < count; ++i) {
    const cms::CpuState& s = cpu.state();
    const uint32_t lin = s.seg[cms::kCS].base + s.eip;
    x86::DecodedInsn insn{};
    x86::DecodeMode mode;
    mode.codeSize = s.seg[cms::kCS].bigDefault() ? 32 : 16;
    const size_t avail = lin < ram.size() ? std::min<size_t>(16, ram.size() - lin) : 0;
    const bool decoded = x86::decode(std::span<const uint8_t>(ram.data() + lin, avail), mode, insn) == x86::DecodeStatus::Ok;
    const cms::CpuState before = s;
    cpu.step();
    if (decoded) o.undefinedFlags = nextUndefined(o.undefinedFlags, insn, before);
  }
  o.state = cpu.state();
  // Stores outside the copied prefix would show up as non-zero bytes there.
  size_t end = bus.storage().size();
  while (end > used && bus.storage()[end - 1] == 0) --end;
  o.memory.assign(bus.storage().begin(), bus.storage().begin() + static_cast<std::ptrdiff_t>(std::max(end, used)));
  return o;
}

bool interpreterLeavesTrace(const cms::CpuState& state, const std::vector<uint8_t>& ram,
                            const std::vector<RegionInsn>& insns) {
  cms::FlatBus bus(ram.size());
  std::memcpy(bus.storage().data(), ram.data(), std::min(usedPrefix(ram), ram.size()));
  cms::Interpreter cpu(bus);
  cpu.state() = state;
  for (const RegionInsn& ri : insns) {
    if (cpu.state().eip != ri.eip) return true;
    cpu.step();
  }
  return false;
}

std::string compare(const IssOutcome& iss, const InterpOutcome& ref, uint32_t budgetBefore, uint32_t retired) {
  std::string d;
  char buf[160];
  static const char* kNames[] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
  for (unsigned r = 0; r < 8; ++r)
    if (iss.gpr[r] != ref.state.gpr[r]) {
      std::snprintf(buf, sizeof buf, "%s: translated %08x, interpreter %08x\n", kNames[r], iss.gpr[r], ref.state.gpr[r]);
      d += buf;
    }
  if (iss.r9 != ref.state.eip) {
    std::snprintf(buf, sizeof buf, "eip: translated %08x, interpreter %08x\n", iss.r9, ref.state.eip);
    d += buf;
  }
  const uint32_t mask = (cms::kArithFlags | cms::kDF) & ~ref.undefinedFlags;
  if ((iss.xflags & mask) != (ref.state.eflags & mask)) {
    std::snprintf(buf, sizeof buf, "flags: translated %03x, interpreter %03x (mask %03x)\n", iss.xflags & mask,
                  ref.state.eflags & mask, mask);
    d += buf;
  }
  if (iss.r30 != budgetBefore - retired) {
    std::snprintf(buf, sizeof buf, "budget: %u, expected %u\n", iss.r30, budgetBefore - retired);
    d += buf;
  }
  if (iss.memory.size() != ref.memory.size()) d += "memory: the interpreter stored beyond the image\n";
  for (size_t a = 0; a < std::min(ref.memory.size(), iss.memory.size()); ++a)
    if (iss.memory[a] != ref.memory[a]) {
      std::snprintf(buf, sizeof buf, "memory[%05zx]: translated %02x, interpreter %02x\n", a, iss.memory[a], ref.memory[a]);
      d += buf;
      break;
    }
  return d;
}

std::vector<RegionInsn> regionFromTrace(const std::vector<uint8_t>& ram, const cms::CpuState& state,
                                        const std::vector<uint32_t>& eips) {
  std::vector<RegionInsn> out;
  x86::DecodeMode mode;
  mode.codeSize = state.seg[cms::kCS].bigDefault() ? 32 : 16;
  for (size_t i = 0; i < eips.size(); ++i) {
    RegionInsn ri;
    ri.eip = eips[i];
    const uint32_t lin = state.seg[cms::kCS].base + eips[i];
    x86::decode(std::span<const uint8_t>(ram.data() + lin, std::min<size_t>(16, ram.size() - lin)), mode, ri.insn);
    if (i + 1 < eips.size() && ri.insn.numOperands > 0 && ri.insn.op[0].kind == x86::OpKind::Rel)
      ri.followTaken = x86::branchTarget(ri.insn, ri.insn.op[0], ri.eip) == eips[i + 1] &&
                       eips[i + 1] != ((ri.eip + ri.insn.length) & (mode.codeSize == 32 ? ~0u : 0xFFFFu));
    out.push_back(ri);
  }
  return out;
}

}  // namespace codemorph::translator::test
