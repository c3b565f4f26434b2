// Sandboxed random region generation (see region_generator.h); the sandbox follows
// tests/cms/diff/sequence_builder.cpp.
#include "region_generator.h"

#include <codemorph/cms/interpreter.h>
#include <codemorph/translator/translate.h>

#include <algorithm>

#include "../../cms/diff/insn_generator.h"
#include "../../cms/diff/rng.h"
#include "undefined_flags.h"

namespace codemorph::translator::test {

using namespace cms;
using namespace cms::diff;

namespace {
struct Abort {};

class SandboxBus : public GuestBus {
 public:
  explicit SandboxBus(const Layout& l) : l_(l) {}
  uint32_t readPhysical(uint64_t a, unsigned size) override {
    if (a + size > image.size() || ++accesses > 4096) {
      bad = true;
      throw Abort{};
    }
    uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) v |= static_cast<uint32_t>(image[a + i]) << (8 * i);
    return v;
  }
  void writePhysical(uint64_t a, unsigned size, uint32_t value) override {
    if (++accesses > 4096) throw Abort{};
    for (unsigned i = 0; i < size; ++i) {
      const uint64_t p = a + i;
      if (p > 0xFFFFFFFFull || !l_.writable(static_cast<uint32_t>(p), 1)) {
        bad = true;
        throw Abort{};
      }
      undo.emplace_back(static_cast<uint32_t>(p), image[p]);
      image[p] = static_cast<uint8_t>(value >> (8 * i));
    }
  }
  uint32_t portIn(uint16_t, unsigned) override { bad = true; throw Abort{}; }
  void portOut(uint16_t, unsigned, uint32_t) override { bad = true; throw Abort{}; }
  void rollback() {
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) image[it->first] = it->second;
    undo.clear();
  }
  std::vector<uint8_t> image;
  std::vector<std::pair<uint32_t, uint8_t>> undo;
  bool bad = false;
  unsigned accesses = 0;

 private:
  const Layout& l_;
};
}  // namespace

struct RegionGenerator::Impl {
  explicit Impl(Mode m) : layout(layoutFor(m)), bus(layout), cpu(bus), rng(0), gen(layout, rng) {}
  const Layout& layout;
  SandboxBus bus;
  Interpreter cpu;
  Rng rng;
  InsnGenerator gen;
};

RegionGenerator::RegionGenerator(Mode mode) : impl_(std::make_unique<Impl>(mode)) {}
RegionGenerator::~RegionGenerator() = default;
const Layout& RegionGenerator::layout() const { return impl_->layout; }

GeneratedRegion RegionGenerator::generate(uint64_t seed, uint64_t index, unsigned maxInsns) {
  Impl& m = *impl_;
  const Layout& l = m.layout;
  m.rng = Rng(seed ^ (index * 0x9E3779B97F4A7C15ull) ^ 0x5DEECE66Dull);
  buildFixedImage(l, m.bus.image);
  randomizeData(l, m.rng, m.bus.image);
  GeneratedRegion g;
  g.initial = randomInitialState(l, m.rng, true);
  m.cpu.reset();
  m.cpu.state() = g.initial;
  m.gen.beginSequence();
  RegionMode mode;
  mode.code32 = g.initial.seg[kCS].bigDefault();
  mode.stack32 = g.initial.seg[kSS].bigDefault();
  mode.csLimit = g.initial.seg[kCS].limit;  // as the CMS context
  const unsigned target = m.rng.range(1, maxInsns);
  const uint32_t codeEnd = l.codeBase + l.codeSize;
  std::vector<std::pair<uint32_t, uint8_t>> accepted;
  uint32_t undefined = 0;  // flags the SDM leaves undefined at this point of the trace  // undo log of the accepted stores
  for (unsigned attempts = 0; g.eips.size() < target && attempts < 400; ++attempts) {
    const CpuState before = m.cpu.state();
    const uint32_t lin = before.seg[kCS].base + before.eip;
    std::vector<uint8_t> bytes = m.gen.next(before, m.bus.image);
    if (lin + bytes.size() + 40 > codeEnd) break;
    x86::DecodedInsn insn{};
    x86::DecodeMode dm;
    dm.codeSize = mode.code32 ? 32 : 16;
    const bool ok = x86::decode(bytes, dm, insn) == x86::DecodeStatus::Ok;
    const bool translatable = ok && isTranslatable(insn, mode);
    // Keep an untranslatable instruction now and then, as the region's last.
    const bool keepAsLast = ok && !translatable && m.rng.chance(3);
    if ((!translatable && !keepAsLast) || (ok && (flagsRead(insn) & undefined))) {
      m.gen.dropQueue();
      continue;
    }
    std::copy(bytes.begin(), bytes.end(), m.bus.image.begin() + lin);
    m.bus.bad = false;
    m.bus.accesses = 0;
    m.bus.undo.clear();
    bool aborted = false;
    StopReason st = StopReason::None;
    try {
      st = m.cpu.step();
    } catch (const Abort&) {
      aborted = true;
    }
    const CpuState& after = m.cpu.state();
    const uint32_t next = after.seg[kCS].base + after.eip;
    const uint32_t sp = after.seg[kSS].bigDefault() ? after.gpr[kESP] : (after.gpr[kESP] & 0xFFFF);
    const uint32_t spLin = after.seg[kSS].base + sp;
    const bool reject = aborted || m.bus.bad || st != StopReason::None || stubVector(l, next) >= 0 ||
                        spLin < l.stackLo || spLin > l.stackHi || next < lin + bytes.size() || next + 40 > codeEnd ||
                        (after.eflags & kTF);
    if (reject) {
      m.bus.rollback();
      std::fill_n(m.bus.image.begin() + lin, bytes.size(), 0xF4);
      m.cpu.reset();
      m.cpu.state() = before;
      m.gen.dropQueue();
      continue;
    }
    undefined = nextUndefined(undefined, insn, before);
    accepted.insert(accepted.end(), m.bus.undo.begin(), m.bus.undo.end());
    m.bus.undo.clear();
    g.eips.push_back(before.eip);
    if (!translatable) break;
  }
  // The image the region starts from: the initial data (undo every accepted store) and the
  // code as generated.
  m.bus.undo = std::move(accepted);
  m.bus.rollback();
  g.ram = m.bus.image;
  return g;
}

}  // namespace codemorph::translator::test
