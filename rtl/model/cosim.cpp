// Cosim: lockstep ISS vs RTL checker (cosim.h, docs/rtl.md "Cosim").
#include "codemorph/rtl/cosim.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "codemorph/hostisa/disassembler.h"
#include "codemorph/support/serialize.h"

namespace codemorph::rtl {

using hostisa::iss::CoreApi;
using hostisa::iss::Iss;
using hostisa::iss::IssConfig;
using hostisa::iss::RunResult;
using hostisa::iss::StopInfo;

namespace {

std::string hex(uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}

// An op that writes the ISS's current bytes [a, a+len) into another core's memory: how a
// host write through directMemory() (the ISS's bytes) reaches the RTL's copy.
std::function<void(CoreApi&)> copyToRtl(Iss& iss, uint32_t a, uint32_t len) {
  const uint64_t size = iss.memorySize();
  if (a >= size || len == 0) return [](CoreApi&) {};
  len = static_cast<uint32_t>(std::min<uint64_t>(len, size - a));
  std::vector<uint8_t> bytes(len);
  iss.readMemory(a, bytes);
  return [a, bytes = std::move(bytes)](CoreApi& c) { std::memcpy(c.directMemory().data() + a, bytes.data(), bytes.size()); };
}

// A CoreApi over the ISS that records every mutation, so a service call's effects can be
// replayed onto the RTL after it has executed the same svc molecule.
class Recorder final : public CoreApi {
 public:
  using Op = std::function<void(CoreApi&)>;
  Recorder(Iss& iss, std::vector<Op>& log) : c_(iss), log_(log) {}
  void reset(uint32_t pc) override { c_.reset(pc); log_.push_back([=](CoreApi& c) { c.reset(pc); }); }
  bool step() override { throw std::logic_error("a ServiceHandler must not call step()"); }
  RunResult run(uint64_t, uint64_t) override { throw std::logic_error("a ServiceHandler must not call run()"); }
  bool stopped() const override { return c_.stopped(); }
  StopInfo stopInfo() const override { return c_.stopInfo(); }
  void resume() override { c_.resume(); log_.push_back([](CoreApi& c) { c.resume(); }); }
  uint64_t cycles() const override { return c_.cycles(); }
  void advanceCycles(uint64_t n) override { c_.advanceCycles(n); log_.push_back([=](CoreApi& c) { c.advanceCycles(n); }); }
  uint32_t pc() const override { return c_.pc(); }
  void setPc(uint32_t v) override { c_.setPc(v); log_.push_back([=](CoreApi& c) { c.setPc(v); }); }
  uint32_t reg(unsigned i) const override { return c_.reg(i); }
  void setReg(unsigned i, uint32_t v) override { c_.setReg(i, v); log_.push_back([=](CoreApi& c) { c.setReg(i, v); }); }
  uint32_t shadowReg(unsigned i) const override { return c_.shadowReg(i); }
  void setShadowReg(unsigned i, uint32_t v) override {
    c_.setShadowReg(i, v);
    log_.push_back([=](CoreApi& c) { c.setShadowReg(i, v); });
  }
  uint32_t sreg(unsigned n) const override { return c_.sreg(n); }
  void setSreg(unsigned n, uint32_t v) override { c_.setSreg(n, v); log_.push_back([=](CoreApi& c) { c.setSreg(n, v); }); }
  uint32_t shadowSreg(unsigned n) const override { return c_.shadowSreg(n); }
  uint64_t memorySize() const override { return c_.memorySize(); }
  void readMemory(uint32_t a, std::span<uint8_t> out) const override { c_.readMemory(a, out); }
  void writeMemory(uint32_t a, std::span<const uint8_t> d) override {
    c_.writeMemory(a, d);
    std::vector<uint8_t> copy(d.begin(), d.end());
    log_.push_back([a, copy](CoreApi& c) { c.writeMemory(a, copy); });
  }
  void setTranslated(uint32_t a, uint32_t l, bool t) override {
    c_.setTranslated(a, l, t);
    log_.push_back([=](CoreApi& c) { c.setTranslated(a, l, t); });
  }
  bool isTranslated(uint32_t a) const override { return c_.isTranslated(a); }
  std::span<uint8_t> directMemory() override { return {}; }  // writes would escape the replay log
  void noteHostWrite(uint32_t a, uint32_t l) override { log_.push_back(copyToRtl(c_, a, l)); }
  void setIoSpace(uint32_t a, uint32_t l, bool io) override {
    c_.setIoSpace(a, l, io);
    log_.push_back([=](CoreApi& c) { c.setIoSpace(a, l, io); });
  }
  bool isIoSpace(uint32_t a) const override { return c_.isIoSpace(a); }
  void tlbInsert(uint32_t l, uint32_t e) override { c_.tlbInsert(l, e); log_.push_back([=](CoreApi& c) { c.tlbInsert(l, e); }); }
  void tlbFlush() override { c_.tlbFlush(); log_.push_back([](CoreApi& c) { c.tlbFlush(); }); }
  unsigned storeBufferOccupancy() const override { return c_.storeBufferOccupancy(); }
  void setServiceHandler(hostisa::iss::ServiceHandler*) override {}
  void setIoBus(hostisa::iss::IoBus*) override {}
  void setMemoryTiming(hostisa::iss::MemoryTiming*) override {}
  void saveCheckpoint(support::OutArchive&) const override { throw std::logic_error("no checkpoints in cosim"); }
  void loadCheckpoint(support::InArchive&) override { throw std::logic_error("no checkpoints in cosim"); }

 private:
  Iss& c_;
  std::vector<Op>& log_;
};

}  // namespace

struct Cosim::Impl : hostisa::iss::ServiceHandler, hostisa::iss::IoBus, hostisa::iss::MemoryTiming {
  Impl(const IssConfig& cfg, RtlCore::Kernel kernel) : iss(cfg), rtl(cfg, kernel) {}

  Iss iss;
  RtlCore rtl;
  std::optional<std::string> divergence;
  uint64_t checked = 0;
  hostisa::iss::ServiceHandler* userService = nullptr;
  hostisa::iss::IoBus* userBus = nullptr;
  hostisa::iss::MemoryTiming* userTiming = nullptr;

  // Recorded host-callback results of the current molecule (ISS side), replayed to the RTL.
  enum class Kind : uint8_t { Service, IoRead, IoWrite, Fetch, Load, Store };
  struct Event {
    Kind kind;
    uint32_t a, b, c;
    uint64_t result;
    std::vector<Recorder::Op> ops;
  };
  std::deque<Event> events;
  bool issSide = true;  // which core is executing its half of the step
  // Host calls through this Cosim (the CMS holds the Cosim, not the Recorder it is handed)
  // while the ISS is inside a host callback of a molecule: applied to the ISS at once and
  // recorded here, for the RTL at the same point of its half -- the service call's record,
  // or, for an I/O-bus callback, `afterRtlStep` (the RTL defers host calls made during a
  // clock until the molecule retired, rtl_core.h).
  std::vector<Recorder::Op>* recording = nullptr;
  std::vector<Recorder::Op> afterRtlStep;
  template <class F>
  void apply(F f) {
    f(static_cast<CoreApi&>(iss));
    if (recording) recording->push_back(f);
    else f(static_cast<CoreApi&>(rtl));
  }
  void noteHostWrite(uint32_t a, uint32_t len) {
    Recorder::Op op = copyToRtl(iss, a, len);
    if (recording) recording->push_back(std::move(op));
    else op(rtl);
  }
  std::vector<std::string> mismatches;

  // ---- ISS side records, RTL side replays and checks --------------------------------------
  // The I/O bus (and service) calls and the MemoryTiming calls are two independent
  // interfaces: each must be called in the same order with the same arguments on both
  // cores, but their interleaving within one molecule is not architectural.
  static bool timingKind(Kind k) { return k == Kind::Fetch || k == Kind::Load || k == Kind::Store; }
  std::deque<Event>::iterator replay(Kind k, uint32_t a, uint32_t b, uint32_t c) {
    static const char* names[] = {"svc", "io read", "io write", "fetch timing", "load timing", "store timing"};
    auto it = std::find_if(events.begin(), events.end(), [&](const Event& e) { return timingKind(e.kind) == timingKind(k); });
    if (it == events.end() || it->kind != k || it->a != a || it->b != b || it->c != c) {
      mismatches.push_back(std::string("host callback: RTL made ") + names[static_cast<int>(k)] + "(" + hex(a) + ", " +
                           hex(b) + ") that the ISS did not make at this point");
      return events.end();
    }
    return it;
  }
  uint64_t service(unsigned number, CoreApi& core) override {
    if (issSide) {
      Event e{Kind::Service, number, 0, 0, 0, {}};
      Recorder rec(iss, e.ops);
      recording = &e.ops;
      try {
        e.result = userService ? userService->service(number, rec) : 0;
      } catch (...) {
        recording = nullptr;
        throw;
      }
      recording = nullptr;
      events.push_back(std::move(e));
      return events.back().result;
    }
    auto e = replay(Kind::Service, number, 0, 0);
    if (e == events.end()) return 0;
    for (auto& op : e->ops) op(core);
    const uint64_t r = e->result;
    events.erase(e);
    return r;
  }
  uint32_t read(uint32_t paddr, unsigned size) override {
    if (issSide) {
      recording = &afterRtlStep;
      const uint32_t v = userBus ? userBus->read(paddr, size) : 0xFFFFFFFFu;
      recording = nullptr;
      events.push_back({Kind::IoRead, paddr, size, 0, v, {}});
      return v;
    }
    auto e = replay(Kind::IoRead, paddr, size, 0);
    if (e == events.end()) return 0xFFFFFFFFu;
    const uint32_t v = static_cast<uint32_t>(e->result);
    events.erase(e);
    return v;
  }
  void write(uint32_t paddr, unsigned size, uint32_t value) override {
    if (issSide) {
      recording = &afterRtlStep;
      if (userBus) userBus->write(paddr, size, value);
      recording = nullptr;
      // A write to an I/O page that the platform routes to RAM (a PAM write-only window)
      // lands in the ISS's memory, which is the host's view: the RTL's copy follows.
      afterRtlStep.push_back(copyToRtl(iss, paddr, size));
      events.push_back({Kind::IoWrite, paddr, size, value, 0, {}});
      return;
    }
    auto e = replay(Kind::IoWrite, paddr, size, value);
    if (e != events.end()) events.erase(e);
  }
  uint32_t timed(Kind k, uint32_t paddr, unsigned n) {
    if (issSide) {
      uint32_t v = 0;
      if (userTiming) {
        v = k == Kind::Fetch ? userTiming->fetch(paddr, n) : k == Kind::Load ? userTiming->load(paddr, n)
                                                                            : userTiming->store(paddr, n);
      }
      events.push_back({k, paddr, n, 0, v, {}});
      return v;
    }
    auto e = replay(k, paddr, n, 0);
    if (e == events.end()) return 0;
    const uint32_t v = static_cast<uint32_t>(e->result);
    events.erase(e);
    return v;
  }
  uint32_t fetch(uint32_t paddr, unsigned bytes) override { return timed(Kind::Fetch, paddr, bytes); }
  uint32_t load(uint32_t paddr, unsigned size) override { return timed(Kind::Load, paddr, size); }
  uint32_t store(uint32_t paddr, unsigned size) override { return timed(Kind::Store, paddr, size); }

  void attach() {
    // Without a user handler both cores must see none (an svc then stops them).
    iss.setServiceHandler(userService ? this : nullptr);
    rtl.setServiceHandler(userService ? this : nullptr);
    iss.setIoBus(this);
    rtl.setIoBus(this);
    iss.setMemoryTiming(userTiming ? this : nullptr);
    rtl.setMemoryTiming(userTiming ? this : nullptr);
  }

  // ---- comparison ------------------------------------------------------------------------
  // Names are built only for a mismatch: the comparison runs after every molecule.
  template <class T, class Name>
  void cmp(const Name& what, T expected, T actual) {
    if (expected != actual) mismatches.push_back(std::string(what) + ": expected " + hex(expected) + ", actual " + hex(actual));
  }
  template <class T>
  void cmpAt(const char* prefix, unsigned index, const char* suffix, T expected, T actual) {
    if (expected == actual) return;
    std::string name(prefix);
    name += std::to_string(index);
    name += suffix;
    cmp(name, expected, actual);
  }
  void compareState() {
    cmp("pc", iss.pc(), rtl.pc());
    cmp("cycles", iss.cycles(), rtl.cycles());
    const StopInfo a = iss.stopInfo(), b = rtl.stopInfo();
    if (a.reason != b.reason)
      mismatches.push_back("stop: expected " + std::string(hostisa::iss::stopReasonName(a.reason)) + ", actual " +
                           std::string(hostisa::iss::stopReasonName(b.reason)));
    else if (a.reason != hostisa::iss::StopReason::Running) {
      cmp("stop cause", static_cast<unsigned>(a.cause), static_cast<unsigned>(b.cause));
      cmp("stop pc", a.pc, b.pc);
      cmp("stop tval", a.tval, b.tval);
      cmp("stop service", a.service, b.service);
    }
    for (unsigned r = 1; r < hostisa::kNumRegs; ++r) cmpAt("r", r, "", iss.reg(r), rtl.reg(r));
    for (unsigned r = hostisa::kFirstShadowed; r <= hostisa::kLastShadowed; ++r)
      cmpAt("shadow r", r, "", iss.shadowReg(r), rtl.shadowReg(r));
    for (const hostisa::SregInfo& s : hostisa::sregTable()) {
      cmp(s.name, iss.sreg(s.number), rtl.sreg(s.number));
      if (s.shadowed && iss.shadowSreg(s.number) != rtl.shadowSreg(s.number))
        cmp("shadow " + std::string(s.name), iss.shadowSreg(s.number), rtl.shadowSreg(s.number));
    }
    cmp("store buffer occupancy", iss.storeBufferOccupancy(), rtl.storeBufferOccupancy());
    // Alias registers (all fields: a checkpoint holds them) and the scoreboard.
    for (unsigned i = 0; i < iss.config().aliasRegisters; ++i) {
      const auto x = iss.aliasRegister(i), y = rtl.aliasRegister(i);
      cmpAt("alias a", i, " valid", unsigned{x.valid}, unsigned{y.valid});
      cmpAt("alias a", i, " lo", x.lo, y.lo);
      cmpAt("alias a", i, " len", x.len, y.len);
      cmpAt("alias a", i, " lo2", x.lo2, y.lo2);
      cmpAt("alias a", i, " len2", x.len2, y.len2);
    }
    for (unsigned r = 1; r <= hostisa::kNumRegs; ++r)
      cmpAt("ready cycle of register ", r, r == hostisa::kFlagsRegIndex ? " (xflags)" : "", iss.readyCycle(r),
            rtl.readyCycle(r));
    for (const RtlCore::MemWrite& w : rtl.coreWrites()) {
      for (uint32_t i = 0; i < w.size; ++i) {
        const uint64_t a64 = uint64_t{w.paddr} + i;
        if (a64 >= iss.memorySize()) continue;
        uint8_t x = 0, y = 0;
        iss.readMemory(static_cast<uint32_t>(a64), {&x, 1});
        rtl.readMemory(static_cast<uint32_t>(a64), {&y, 1});
        cmp("mem[" + hex(a64) + "]", unsigned{x}, unsigned{y});
      }
    }
    rtl.clearCoreWrites();
    if (!events.empty()) mismatches.push_back("host callback: the RTL did not make a call the ISS made");
    events.clear();
  }
  bool allMemoryEqual() {
    std::vector<uint8_t> a(1u << 20), b(1u << 20);
    for (uint64_t off = 0; off < iss.memorySize(); off += a.size()) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(a.size(), iss.memorySize() - off));
      iss.readMemory(static_cast<uint32_t>(off), {a.data(), n});
      rtl.readMemory(static_cast<uint32_t>(off), {b.data(), n});
      if (std::memcmp(a.data(), b.data(), n) != 0) {
        for (size_t i = 0; i < n; ++i) {
          if (a[i] != b[i]) {
            mismatches.push_back("mem[" + hex(off + i) + "]: expected " + hex(a[i]) + ", actual " + hex(b[i]));
            break;
          }
        }
        return false;
      }
    }
    return true;
  }
  void report(uint32_t molPc, const std::vector<uint8_t>& bytes, uint64_t cyclesBefore) {
    std::ostringstream s;
    s << "cosim divergence at molecule " << checked << " (pc " << hex(molPc) << ", cycle " << cyclesBefore << "):\n  ";
    if (!bytes.empty()) {
      const hostisa::DisasmUnit u = hostisa::disassembleAt(bytes, molPc, iss.config().features.maxAtoms);
      s << u.text;
    } else {
      s << "(outside memory)";
    }
    s << "\n";
    for (const std::string& m : mismatches) s << "  " << m << "\n";
    divergence = s.str();
  }
};

Cosim::Cosim(const IssConfig& config, RtlCore::Kernel kernel) : impl_(std::make_unique<Impl>(config, kernel)) {
  impl_->attach();
}
Cosim::~Cosim() = default;

Iss& Cosim::iss() { return impl_->iss; }
RtlCore& Cosim::rtl() { return impl_->rtl; }
const std::optional<std::string>& Cosim::divergence() const { return impl_->divergence; }
uint64_t Cosim::moleculesChecked() const { return impl_->checked; }

bool Cosim::compareAllMemory() {
  Impl& m = *impl_;
  m.mismatches.clear();
  if (m.allMemoryEqual()) return true;
  m.report(pc(), {}, cycles());
  return false;
}

bool Cosim::step() {
  Impl& m = *impl_;
  if (m.divergence || m.iss.stopped()) return false;
  const uint32_t molPc = m.iss.pc();
  const uint64_t before = m.iss.cycles();
  m.mismatches.clear();
  m.events.clear();
  m.issSide = true;
  m.iss.step();
  m.issSide = false;
  m.rtl.step();
  m.issSide = true;
  for (auto& op : m.afterRtlStep) op(m.rtl);
  m.afterRtlStep.clear();
  m.compareState();
  if (m.mismatches.empty() && m.iss.stopped()) m.allMemoryEqual();
  if (!m.mismatches.empty()) {
    std::vector<uint8_t> bytes;
    const uint64_t avail = molPc < m.iss.memorySize() ? std::min<uint64_t>(32, m.iss.memorySize() - molPc) : 0;
    bytes.resize(avail);
    if (avail) m.iss.readMemory(molPc, bytes);
    m.report(molPc, bytes, before);
    return false;
  }
  ++m.checked;
  return true;
}

RunResult Cosim::run(uint64_t maxCycles, uint64_t maxSteps) {
  const uint64_t start = cycles();
  const uint64_t limit = maxCycles > UINT64_MAX - start ? UINT64_MAX : start + maxCycles;
  for (uint64_t steps = 0;; ++steps) {
    if (stopped()) return RunResult::Stopped;
    if (cycles() >= limit) return RunResult::CycleLimit;
    if (steps >= maxSteps) return RunResult::MoleculeLimit;
    step();
  }
}

// ---- the rest of CoreApi: writes to both, reads from the ISS ----------------------------------
void Cosim::reset(uint32_t resetPc) {
  impl_->apply([=](CoreApi& c) { c.reset(resetPc); });
}
bool Cosim::stopped() const { return impl_->divergence.has_value() || impl_->iss.stopped(); }
StopInfo Cosim::stopInfo() const { return impl_->iss.stopInfo(); }
void Cosim::resume() {
  impl_->apply([](CoreApi& c) { c.resume(); });
}
uint64_t Cosim::cycles() const { return impl_->iss.cycles(); }
void Cosim::advanceCycles(uint64_t n) {
  impl_->apply([=](CoreApi& c) { c.advanceCycles(n); });
}
uint32_t Cosim::pc() const { return impl_->iss.pc(); }
void Cosim::setPc(uint32_t v) {
  impl_->apply([=](CoreApi& c) { c.setPc(v); });
}
uint32_t Cosim::reg(unsigned i) const { return impl_->iss.reg(i); }
void Cosim::setReg(unsigned i, uint32_t v) {
  impl_->apply([=](CoreApi& c) { c.setReg(i, v); });
}
uint32_t Cosim::shadowReg(unsigned i) const { return impl_->iss.shadowReg(i); }
void Cosim::setShadowReg(unsigned i, uint32_t v) {
  impl_->apply([=](CoreApi& c) { c.setShadowReg(i, v); });
}
uint32_t Cosim::sreg(unsigned n) const { return impl_->iss.sreg(n); }
void Cosim::setSreg(unsigned n, uint32_t v) {
  impl_->apply([=](CoreApi& c) { c.setSreg(n, v); });
}
uint32_t Cosim::shadowSreg(unsigned n) const { return impl_->iss.shadowSreg(n); }
uint64_t Cosim::memorySize() const { return impl_->iss.memorySize(); }
void Cosim::readMemory(uint32_t a, std::span<uint8_t> out) const { impl_->iss.readMemory(a, out); }
// The ISS's memory is the host's view; host writes through it reach the RTL's copy by
// noteHostWrite (docs/rtl.md "The PC on the RTL").
std::span<uint8_t> Cosim::directMemory() { return impl_->iss.directMemory(); }
void Cosim::noteHostWrite(uint32_t a, uint32_t len) { impl_->noteHostWrite(a, len); }
void Cosim::writeMemory(uint32_t a, std::span<const uint8_t> d) {
  impl_->apply([a, bytes = std::vector<uint8_t>(d.begin(), d.end())](CoreApi& c) { c.writeMemory(a, bytes); });
}
void Cosim::setTranslated(uint32_t a, uint32_t l, bool t) {
  impl_->apply([=](CoreApi& c) { c.setTranslated(a, l, t); });
}
bool Cosim::isTranslated(uint32_t a) const { return impl_->iss.isTranslated(a); }
void Cosim::setIoSpace(uint32_t a, uint32_t l, bool io) {
  impl_->apply([=](CoreApi& c) { c.setIoSpace(a, l, io); });
}
bool Cosim::isIoSpace(uint32_t a) const { return impl_->iss.isIoSpace(a); }
void Cosim::tlbInsert(uint32_t l, uint32_t e) {
  impl_->apply([=](CoreApi& c) { c.tlbInsert(l, e); });
}
void Cosim::tlbFlush() {
  impl_->apply([](CoreApi& c) { c.tlbFlush(); });
}
unsigned Cosim::storeBufferOccupancy() const { return impl_->iss.storeBufferOccupancy(); }
void Cosim::setServiceHandler(hostisa::iss::ServiceHandler* h) {
  impl_->userService = h;
  impl_->attach();
}
void Cosim::setIoBus(hostisa::iss::IoBus* b) { impl_->userBus = b; }
void Cosim::setMemoryTiming(hostisa::iss::MemoryTiming* t) {
  impl_->userTiming = t;
  impl_->attach();
}
// Checkpoints: in lockstep both cores hold the same state, so a save is the ISS's; a load
// goes into both (the format is the same) and is checked at once like a molecule: a
// difference in what the RTL loaded is reported as a divergence before anything runs.
void Cosim::saveCheckpoint(support::OutArchive& out) const { impl_->iss.saveCheckpoint(out); }
void Cosim::loadCheckpoint(support::InArchive& in) {
  Impl& m = *impl_;
  support::InArchive again = in;  // the same bytes for the RTL
  m.iss.loadCheckpoint(in);
  m.rtl.loadCheckpoint(again);
  m.rtl.clearCoreWrites();
  m.events.clear();
  m.divergence.reset();
  m.mismatches.clear();
  m.compareState();
  if (m.mismatches.empty()) m.allMemoryEqual();
  if (!m.mismatches.empty()) {
    m.mismatches.insert(m.mismatches.begin(), "(state after loading a checkpoint, before this molecule)");
    const uint32_t pc = m.iss.pc();
    std::vector<uint8_t> bytes(pc < m.iss.memorySize() ? std::min<uint64_t>(32, m.iss.memorySize() - pc) : 0);
    if (!bytes.empty()) m.iss.readMemory(pc, bytes);
    m.report(pc, bytes, m.iss.cycles());
  }
}

}  // namespace codemorph::rtl
