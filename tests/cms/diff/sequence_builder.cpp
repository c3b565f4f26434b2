// Sequence construction by sandboxed trial execution (see sequence_builder.h).
#include "sequence_builder.h"

#include <codemorph/cms/exceptions.h>
#include <codemorph/cms/interpreter.h>

#include <algorithm>
#include <utility>

#include "insn_generator.h"
#include "rng.h"

namespace codemorph::cms::diff {

const char* rejectName(unsigned r) {
  static constexpr const char* kNames[kRejCount] = {"write outside data", "read outside RAM", "stack window",
                                                    "EIP outside code", "TF set", "segment limit/rights fault",
                                                    "too many accesses / REP > 64"};
  return r < kRejCount ? kNames[r] : "?";
}

uint64_t sequenceSeed(uint64_t seed, uint64_t index) {
  uint64_t x = seed ^ (index * 0xD1B54A32D192ED03ull);
  splitmix64(x);
  return splitmix64(x);
}

namespace {

// F2/F3 prefix followed (after other prefixes) by a string opcode A4-A7/AA-AF.
bool isRepString(const std::vector<uint8_t>& b) {
  bool rep = false;
  for (uint8_t x : b) {
    if (x == 0xF2 || x == 0xF3) { rep = true; continue; }
    if (x == 0x66 || x == 0x67 || x == 0xF0 || x == 0x26 || x == 0x2E || x == 0x36 || x == 0x3E || x == 0x64 ||
        x == 0x65)
      continue;
    return rep && ((x >= 0xA4 && x <= 0xA7) || (x >= 0xAA && x <= 0xAF));
  }
  return false;
}

// Thrown out of the interpreter by the sandbox to abandon a candidate at once (a REP over
// unmapped memory could otherwise run for billions of iterations).
struct SandboxAbort {};

// Every access goes through the callbacks (ram() stays empty): a read beyond RAM, a write
// outside the data area, or more than kMaxAccesses accesses abandons the candidate;
// accepted writes are logged so a rejected candidate can be undone.
class SandboxBus : public GuestBus {
 public:
  static constexpr unsigned kMaxAccesses = 1u << 14;
  explicit SandboxBus(const Layout& l) : l_(l) { buildFixedImage(l, image); }
  uint32_t readPhysical(uint64_t a, unsigned size) override {
    if (a + size > image.size()) {
      badRead = true;
      throw SandboxAbort{};
    }
    if (++accesses > kMaxAccesses) throw SandboxAbort{};
    uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) v |= static_cast<uint32_t>(image[a + i]) << (8 * i);
    return v;
  }
  void writePhysical(uint64_t a, unsigned size, uint32_t value) override {
    if (++accesses > kMaxAccesses) throw SandboxAbort{};
    for (unsigned i = 0; i < size; ++i) {
      const uint64_t p = a + i;
      if (p > 0xFFFFFFFFull || !l_.writable(static_cast<uint32_t>(p), 1)) {
        badWrite = true;
        throw SandboxAbort{};
      }
      undo.emplace_back(static_cast<uint32_t>(p), image[p]);
      image[p] = static_cast<uint8_t>(value >> (8 * i));
    }
  }
  uint32_t portIn(uint16_t, unsigned) override { badRead = true; throw SandboxAbort{}; }
  void portOut(uint16_t, unsigned, uint32_t) override { badWrite = true; throw SandboxAbort{}; }

  void rollback() {
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) image[it->first] = it->second;
    undo.clear();
  }

  std::vector<uint8_t> image;
  std::vector<std::pair<uint32_t, uint8_t>> undo;
  bool badRead = false, badWrite = false;
  unsigned accesses = 0;

 private:
  const Layout& l_;
};

}  // namespace

struct SequenceBuilder::Impl {
  Impl(const Layout& l, bool fallback) : layout(l), bigRealFallback(fallback), bus(l), cpu(bus), rng(0), gen(l, rng) {}
  const Layout& layout;
  bool bigRealFallback;
  SandboxBus bus;
  Interpreter cpu;
  Rng rng;
  InsnGenerator gen;
  unsigned attempts = 0;
};

SequenceBuilder::SequenceBuilder(const Layout& layout, bool bigRealFallback)
    : impl_(std::make_unique<Impl>(layout, bigRealFallback)) {}
SequenceBuilder::~SequenceBuilder() = default;

CpuState& SequenceBuilder::state() { return impl_->cpu.state(); }
const std::vector<uint8_t>& SequenceBuilder::image() { return impl_->bus.image; }

void SequenceBuilder::begin(uint64_t seed, uint64_t index, Sequence& q) {
  Impl& m = *impl_;
  const Layout& l = m.layout;
  m.rng = Rng(sequenceSeed(seed, index));
  q = Sequence{};
  q.seed = seed;
  q.index = index;
  randomizeData(l, m.rng, m.bus.image);
  std::fill_n(m.bus.image.begin() + l.codeBase, l.codeSize, 0xF4);
  q.data.assign(m.bus.image.begin() + l.dataBase, m.bus.image.begin() + l.dataBase + l.dataSize);
  q.initial = randomInitialState(l, m.rng, m.bigRealFallback);
  m.cpu.reset();
  m.cpu.state() = q.initial;
  m.gen.beginSequence();
  q.target = m.rng.range(1, 8);
  m.attempts = 0;
}

bool SequenceBuilder::next(Sequence& q, bool& last) {
  Impl& m = *impl_;
  const Layout& l = m.layout;
  SandboxBus& bus = m.bus;
  Interpreter& cpu = m.cpu;
  last = false;
  const uint32_t codeEnd = l.codeBase + l.codeSize;
  while (q.insns.size() < q.target && m.attempts++ < 64) {
    const CpuState before = cpu.state();
    const uint32_t lin = before.seg[kCS].base + before.eip;
    std::vector<uint8_t> bytes = m.gen.next(before, bus.image);
    if (lin + bytes.size() + 40 > codeEnd) return false;
    std::copy(bytes.begin(), bytes.end(), bus.image.begin() + lin);
    bus.badRead = bus.badWrite = false;
    bus.accesses = 0;
    bus.undo.clear();
    StopReason st = StopReason::None;
    bool aborted = false;
    try {
      st = cpu.step();
    } catch (const SandboxAbort&) {
      aborted = true;
    }
    const CpuState& after = cpu.state();
    const uint32_t next = after.seg[kCS].base + after.eip;
    const int vector = stubVector(l, next);
    int reject = -1;
    if (bus.badWrite) {
      reject = kRejWrite;
    } else if (bus.badRead) {
      reject = kRejRead;
    } else if (aborted) {
      reject = kRejRep;
    } else if (st == StopReason::Unimplemented || st == StopReason::TripleFault) {
      last = true;
    } else if (vector >= 0) {
      if (vector == kVecSS || vector == kVecGP) reject = kRejLimit;
      last = true;
    } else {
      const uint32_t sp = after.seg[kSS].bigDefault() ? after.gpr[kESP] : (after.gpr[kESP] & 0xFFFF);
      const uint32_t spLin = after.seg[kSS].base + sp;
      if (spLin < l.stackLo || spLin > l.stackHi) reject = kRejStack;
      else if (next < lin + bytes.size() || next + 40 > codeEnd) reject = kRejEip;
      else if (after.eflags & kTF) reject = kRejTf;
      else if (before.gpr[kECX] - after.gpr[kECX] > 64 && isRepString(bytes)) reject = kRejRep;
    }
    if (reject >= 0) {
      ++rejects_[static_cast<unsigned>(reject)];
      bus.rollback();
      std::fill_n(bus.image.begin() + lin, bytes.size(), 0xF4);
      cpu.reset();
      cpu.state() = before;
      m.gen.dropQueue();
      last = false;
      continue;
    }
    q.insns.push_back(Sequence::Insn{before.eip, std::move(bytes)});
    return true;
  }
  return false;
}

}  // namespace codemorph::cms::diff
