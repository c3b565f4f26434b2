// Directed test cases (see directed_case.h).
#include "directed_case.h"

#include <codemorph/cms/interpreter.h>

#include <cstring>

namespace codemorph::translator::test {

using namespace cms;

DirectedCase directedCase(diff::Mode mode, const std::vector<uint8_t>& code, unsigned traceLength) {
  const diff::Layout& l = diff::layoutFor(mode);
  DirectedCase c;
  c.mode = mode;
  c.code = code;
  c.traceLength = traceLength;
  diff::buildFixedImage(l, c.ram);
  for (uint32_t a = 0; a < l.dataSize; ++a) c.ram[l.dataBase + a] = static_cast<uint8_t>(a * 7 + 3);
  std::memcpy(&c.ram[l.codeBase], code.data(), code.size());
  CpuState& s = c.state;
  s.cr[0] = 0x10;
  if (mode == diff::Mode::Flat32) {
    for (auto& sc : s.seg) sc = SegmentCache{0x10, 0xC093, 0, 0xFFFFFFFFu};
    s.seg[kCS] = SegmentCache{0x08, 0xC09B, 0, 0xFFFFFFFFu};
    s.eip = l.codeBase;
    s.gpr = {0x11111111, 0x22222222, 0x33333333, 0x44444444, l.stackHi - 0x100, 0x66666666, 0x77777777, 0x88888888};
  } else {
    for (unsigned i = 0; i < kNumSegs; ++i) {
      s.seg[i] = SegmentCache{0, 0x0093, 0, 0xFFFF};
      loadRealModeSegment(s.seg[i], 0x2000);
    }
    s.seg[kCS] = SegmentCache{0, 0x009B, 0, 0xFFFF};
    loadRealModeSegment(s.seg[kCS], 0x0800);
    s.eip = l.codeBase - 0x8000;
    s.gpr = {0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x3700, 0x66666666, 0x77777777, 0x88888888};
  }
  s.eflags = kFixed1;
  return c;
}

uint32_t dataOffset(const DirectedCase& c) {
  const diff::Layout& l = diff::layoutFor(c.mode);
  return l.dataBase - c.state.seg[kDS].base;
}

DirectedRun runDirected(const DirectedCase& c, const TranslateOptions& options, uint32_t budget,
                        const IssRunConfig& issConfig) {
  DirectedRun r;
  // Trace on the interpreter.
  FlatBus bus(c.ram.size());
  std::memcpy(bus.storage().data(), c.ram.data(), c.ram.size());
  Interpreter cpu(bus);
  cpu.state() = c.state;
  std::vector<uint32_t> eips;
  for (unsigned i = 0; i < (c.traceLength ? c.traceLength : 1000u); ++i) {
    const uint32_t lin = cpu.state().seg[kCS].base + cpu.state().eip;
    if (lin >= c.ram.size() || c.ram[lin] == 0xF4) break;
    eips.push_back(cpu.state().eip);
    cpu.step();
  }
  r.region = regionFromTrace(c.ram, c.state, eips);
  if (!r.region.empty()) r.region.back().followTaken = c.lastFollowsTaken;
  TranslateRequest req;
  req.insns = r.region;
  req.mode.code32 = c.state.seg[kCS].bigDefault();
  req.mode.stack32 = c.state.seg[kSS].bigDefault();
  req.mode.csLimit = c.state.seg[kCS].limit;  // as the CMS context
  req.options = options;
  req.options.verifyIr = true;
  req.placement = testPlacement();
  r.translation = translate(req);
  if (!r.translation.ok) {
    r.diff = "translation failed: " + r.translation.error;
    return r;
  }
  const CpuState& start = c.runState ? *c.runState : c.state;
  r.iss = runOnIss(r.translation.translation, start, c.ram, budget, issConfig);
  if (r.iss.landing == Landing::Trap || r.iss.landing == Landing::Other) {
    r.diff = std::string("landed at ") + landingName(r.iss.landing) + " cause " +
             std::to_string(static_cast<unsigned>(r.iss.cause));
    return r;
  }
  r.retired = budget - r.iss.r30;
  r.ref = runOnInterpreter(start, c.ram, r.retired);
  r.diff = compare(r.iss, r.ref, budget, r.retired);
  return r;
}

}  // namespace codemorph::translator::test
