// Translated replay of the differential sequences through cms::Runtime (see cms_replay.h).
#include "cms_replay.h"

#include <codemorph/cms/flags.h>
#include <codemorph/cms/interpreter.h>
#include <codemorph/cms/region_translator.h>
#include <codemorph/cms/runtime.h>
#include <codemorph/hostisa/iss/iss.h>
#include <codemorph/x86/disasm.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>

namespace codemorph::cms::diff {

namespace {
using x86::Mnemonic;

constexpr uint32_t kComparedFlags = 0x003F7FD5u;  // as diff_runner.cpp
constexpr uint32_t kAll = kArithFlags;
constexpr const char* kGprNames[8] = {"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"};
constexpr const char* kSegNames[6] = {"ES", "CS", "SS", "DS", "FS", "GS"};
constexpr uint64_t kMaxSteps = 4096;  // a sequence retires at most 8 instructions (+ REPs)

std::string hex(uint32_t v, int width = 8) {
  char b[16];
  std::snprintf(b, sizeof b, "%0*X", width, v);
  return b;
}

std::string describe(const CpuState& s) {
  std::ostringstream o;
  for (unsigned i = 0; i < 8; ++i) o << kGprNames[i] << "=" << hex(s.gpr[i]) << " ";
  o << "EIP=" << hex(s.eip) << " EFLAGS=" << hex(s.eflags);
  for (unsigned i = 0; i < kNumSegs; ++i) o << " " << kSegNames[i] << "=" << hex(s.seg[i].selector, 4);
  return o.str();
}

// The arithmetic flags Jcc/SETcc/CMOVcc read for condition `cc` (SDM Vol. 1 B.1).
uint32_t conditionFlags(uint8_t cc) {
  switch (cc >> 1) {
    case 0: return kOF;
    case 1: return kCF;
    case 2: return kZF;
    case 3: return kCF | kZF;
    case 4: return kSF;
    case 5: return kPF;
    case 6: return kSF | kOF;
    default: return kZF | kSF | kOF;
  }
}

// Arithmetic flags an instruction reads before it writes any (SDM Vol. 2, each page's
// Operation). Exception delivery (which pushes EFLAGS) is handled separately.
uint32_t flagsRead(const x86::DecodedInsn& d) {
  switch (d.mnemonic) {
    case Mnemonic::JCC: case Mnemonic::SETCC: case Mnemonic::CMOVCC: return conditionFlags(d.cond);
    case Mnemonic::ADC: case Mnemonic::SBB: case Mnemonic::RCL: case Mnemonic::RCR: case Mnemonic::CMC:
    case Mnemonic::SALC: return kCF;
    case Mnemonic::LOOPE: case Mnemonic::LOOPNE: return kZF;
    case Mnemonic::INTO: return kOF;
    case Mnemonic::DAA: case Mnemonic::DAS: return kCF | kAF;
    case Mnemonic::AAA: case Mnemonic::AAS: return kAF;
    case Mnemonic::PUSHF: case Mnemonic::LAHF: return kAll;
    default: return 0;
  }
}

// Arithmetic flags an instruction that completed leaves with a value (defined or, per
// undefinedFlags(), undefined); flags it does not touch keep their state.
uint32_t flagsWritten(const x86::DecodedInsn& d, const CpuState& pre) {
  const uint32_t count = shiftCountOf(d, pre) & 31;
  switch (d.mnemonic) {
    case Mnemonic::ADD: case Mnemonic::ADC: case Mnemonic::SUB: case Mnemonic::SBB: case Mnemonic::CMP:
    case Mnemonic::NEG: case Mnemonic::CMPXCHG: case Mnemonic::XADD: case Mnemonic::AND: case Mnemonic::OR:
    case Mnemonic::XOR: case Mnemonic::TEST: case Mnemonic::MUL: case Mnemonic::IMUL: case Mnemonic::DIV:
    case Mnemonic::IDIV: case Mnemonic::DAA: case Mnemonic::DAS: case Mnemonic::AAA: case Mnemonic::AAS:
    case Mnemonic::AAM: case Mnemonic::AAD: case Mnemonic::POPF:
      return kAll;
    case Mnemonic::SAHF: return kAll & ~kOF;
    case Mnemonic::INC: case Mnemonic::DEC: return kAll & ~kCF;
    case Mnemonic::CMPS: case Mnemonic::SCAS: {
      if (!d.rep) return kAll;
      const uint32_t c = d.addrSize == 2 ? pre.gpr[kECX] & 0xFFFF : pre.gpr[kECX];
      return c ? kAll : 0;
    }
    case Mnemonic::SHL: case Mnemonic::SAL: case Mnemonic::SHR: case Mnemonic::SAR: case Mnemonic::SHLD:
    case Mnemonic::SHRD:
      return count ? kAll : 0;
    case Mnemonic::ROL: case Mnemonic::ROR: case Mnemonic::RCL: case Mnemonic::RCR:
      return count ? kCF | kOF : 0;
    case Mnemonic::BT: case Mnemonic::BTS: case Mnemonic::BTR: case Mnemonic::BTC: return kAll & ~kZF;
    case Mnemonic::BSF: case Mnemonic::BSR: return kAll;
    case Mnemonic::CLC: case Mnemonic::STC: case Mnemonic::CMC: return kCF;
    case Mnemonic::CMPXCHG8B: return kZF;
    default: return 0;
  }
}

bool hasErrorCode(int vector) { return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17; }

// A GuestPlatform with nothing but RAM (the core's memory): no devices, no interrupts,
// ports read all ones, A20 on.
class DiffPlatform : public GuestPlatform {
 public:
  explicit DiffPlatform(std::span<uint8_t> ram) { setRam(ram); }
  void syncTo(uint64_t) override {}
  uint64_t nextEventTime() const override { return UINT64_MAX; }
  bool intrPending() override { return false; }
  uint8_t intrAcknowledge() override { return 0; }
  bool stopRequested() const override { return false; }
  bool resetRequested() override { return false; }
  bool a20() const override { return true; }
  uint32_t readPhysical(uint64_t, unsigned size) override { return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }
  void writePhysical(uint64_t, unsigned, uint32_t) override {}
  uint32_t portIn(uint16_t, unsigned size) override { return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }
  void portOut(uint16_t, unsigned, uint32_t) override {}
};

struct StoreLog : StoreObserver {
  const Layout* l = nullptr;
  bool outside = false;  // a store outside the compared windows
  void onStore(uint64_t physical, unsigned size) override {
    const uint64_t e = physical + size;
    const bool in = e <= 0x2000 || (physical >= l->codeBase && e <= l->codeBase + l->codeSize) ||
                    (physical >= l->dataBase && e <= l->dataBase + l->dataSize);
    outside |= !in;
  }
};

enum class End : uint8_t { Halted, Unimplemented, TripleFault, Other, Limit };
const char* endName(End e) {
  switch (e) {
    case End::Halted: return "HLT";
    case End::Unimplemented: return "unimplemented";
    case End::TripleFault: return "triple fault";
    case End::Other: return "other stop";
    default: return "no stop (limit)";
  }
}

// The reference run: the interpreter stepped on a FlatBus, with the undefined-flag state.
struct RefResult {
  CpuState s;
  End end = End::Limit;
  std::string message;
  uint64_t retired = 0;
  uint32_t undefinedAtEnd = 0;        // arithmetic flags undefined at the end
  std::vector<uint32_t> readers;      // linear addresses of the readers of undefined flags
  std::vector<uint32_t> readerSteps;  // the steps (from q.initial) that executed them
  int vector = -1;                    // the exception delivered (-1: none)
  CpuState start;                     // where the compared run starts (see startAfter)
  std::vector<uint32_t> suffixStarts; // steps after which an untranslatable instruction
                                      // is followed by a translatable one (first run only)
};

struct RtResult {
  CpuState s;
  End end = End::Limit;
  std::string message;
  uint64_t retired = 0, translated = 0;
};

}  // namespace

uint32_t shiftCountOf(const x86::DecodedInsn& d, const CpuState& pre) {
  const x86::Operand* c = nullptr;
  switch (d.mnemonic) {
    case Mnemonic::ROL: case Mnemonic::ROR: case Mnemonic::RCL: case Mnemonic::RCR:
    case Mnemonic::SHL: case Mnemonic::SAL: case Mnemonic::SHR: case Mnemonic::SAR:
      c = &d.op[1]; break;
    case Mnemonic::SHLD: case Mnemonic::SHRD: c = &d.op[2]; break;
    default: return 0;
  }
  if (c->kind == x86::OpKind::Imm) return c->value & 0xFF;
  if (c->kind == x86::OpKind::Reg) return pre.gpr[kECX] & 0xFF;  // CL
  return 1;
}

bool cmsTranslatorAvailable() { return defaultRegionTranslator() != nullptr; }

std::string CmsReplayStats::summary() const {
  std::ostringstream o;
  char share[32];
  std::snprintf(share, sizeof share, "%.1f", 100.0 * translatedShare());
  o << sequences << " sequences replayed with --cms-threshold 0, " << translatedSequences
    << " with translated instructions; " << instructions << " instructions, " << translatedInstructions
    << " translated (" << share << " %); " << faults << " ending in an exception; " << divergences
    << " divergences, " << undefinedDependent << " undefined-flag dependent (excused); " << limited
    << " compared at the instruction limit; " << seconds << " s";
  char share2[32];
  std::snprintf(share2, sizeof share2, "%.1f",
                suffixInstructions ? 100.0 * static_cast<double>(suffixTranslated) / static_cast<double>(suffixInstructions) : 0.0);
  o << "\n  suffix replays (from the instruction after an untranslatable one): " << suffixReplays << ", "
    << suffixInstructions << " instructions, " << suffixTranslated << " translated (" << share2 << " %)";
  std::vector<std::pair<uint64_t, std::string>> top;
  uint64_t total = 0;
  for (const auto& [m, n] : untranslatable) {
    top.emplace_back(n, m);
    total += n;
  }
  std::sort(top.rbegin(), top.rend());
  o << "\n  interpreted by design (not translatable): " << total;
  for (size_t i = 0; i < top.size() && i < 16; ++i) o << (i ? ", " : ": ") << top[i].second << "=" << top[i].first;
  return o.str();
}

struct CmsReplay::Impl {
  Impl(const Layout& layout, unsigned reports)
      : l(layout), maxReports(reports), refBus(layout.ramSize), ref(refBus), core(issConfig()),
        platform(core.directMemory().first(layout.ramSize)), rt(runtimeConfig(), &core, platform) {
    buildFixedImage(l, base);
    std::copy(base.begin(), base.end(), refBus.storage().begin());
    std::copy(base.begin(), base.end(), platform.ram().begin());
    log.l = &l;
    ref.setStoreObserver(&log);
  }

  static hostisa::iss::IssConfig issConfig() {
    hostisa::iss::IssConfig c;
    c.memBytes = 4u << 20;  // guest RAM (at most 1 MiB + 64 KiB) and a 2 MiB reserved region
    return c;
  }
  static RuntimeConfig runtimeConfig() {
    RuntimeConfig c;
    c.translate = true;
    c.threshold = 0;
    c.clock = ClockMode::Instructions;
    c.reservedMiB = 2;
    return c;
  }

  // Both RAMs: fixed image, code area (HLT filler + the sequence, `cut` = HLT written over
  // the instruction there), data area.
  void loadMemory(const Sequence& q, std::optional<uint32_t> cut) {
    const uint32_t csBase = q.initial.seg[kCS].base;
    for (std::span<uint8_t> ram : {std::span<uint8_t>(refBus.storage()), platform.ram()}) {
      if (fullReload) {
        std::copy(base.begin(), base.end(), ram.begin());
      } else {
        std::copy_n(base.begin(), 0x2000, ram.begin());
        std::copy_n(base.begin() + l.codeBase, l.codeSize, ram.begin() + l.codeBase);
      }
      for (const Sequence::Insn& in : q.insns)
        std::copy(in.bytes.begin(), in.bytes.end(), ram.begin() + csBase + in.eip);
      if (cut) ram[*cut] = 0xF4;
      std::copy(q.data.begin(), q.data.end(), ram.begin() + l.dataBase);
    }
    fullReload = false;
  }

  x86::DecodedInsn decodeAt(const CpuState& s, bool& ok) {
    x86::DecodedInsn d{};
    const uint32_t lin = s.seg[kCS].base + s.eip;
    const auto& ram = refBus.storage();
    const size_t avail = lin < ram.size() ? std::min<size_t>(15, ram.size() - lin) : 0;
    const x86::DecodeMode mode{static_cast<uint8_t>(s.seg[kCS].bigDefault() ? 32 : 16), x86::CpuProfile::PentiumII};
    ok = avail && x86::decode({ram.data() + lin, avail}, mode, d) == x86::DecodeStatus::Ok;
    return d;
  }

  // Runs the reference from q.initial. With startAfter > 0 the compared run starts after
  // that many steps: the reference's state and memory there are what the runtime starts
  // from (copied into its RAM), and undefined flags are counted from there.
  RefResult runReference(const Sequence& q, uint32_t startAfter = 0) {
    RefResult r;
    ref.reset();
    ref.state() = q.initial;
    r.start = q.initial;
    uint64_t before = ref.retired();
    uint32_t undefined = 0;
    for (uint64_t n = 0; n < 2 * kMaxSteps && ref.retired() - before < kMaxSteps; ++n) {
      if (startAfter && n == startAfter) {
        const size_t bytes = log.outside ? l.ramSize : compareBytes();
        std::copy_n(refBus.storage().begin(), bytes, platform.ram().begin());
        if (log.outside) fullReload = true;
        r.start = ref.state();
        undefined = 0;  // both machines start from the same flags
        r.readers.clear();
        r.readerSteps.clear();
        before = ref.retired();
      }
      const CpuState pre = ref.state();
      bool decoded = false;
      const x86::DecodedInsn d = decodeAt(pre, decoded);
      if (decoded && (flagsRead(d) & undefined)) {
        r.readers.push_back(pre.seg[kCS].base + pre.eip);
        r.readerSteps.push_back(static_cast<uint32_t>(n));
      }
      const StopReason stop = ref.step();
      if (stop == StopReason::Halted) { r.end = End::Halted; break; }
      if (stop == StopReason::Unimplemented) { r.end = End::Unimplemented; r.message = ref.stopInfo().message; break; }
      if (stop == StopReason::TripleFault) { r.end = End::TripleFault; r.message = ref.stopInfo().message; break; }
      if (stop != StopReason::None) { r.end = End::Other; r.message = ref.stopInfo().message; break; }
      const CpuState& post = ref.state();
      const int v = stubVector(l, post.seg[kCS].base + post.eip);
      if (!decoded) continue;
      if (d.mnemonic == Mnemonic::HLT) { r.end = End::Halted; break; }  // (halted in step)
      if (profile && translator) {
        const RegionMode mode = modeOf(pre);
        const bool ok = translator->isTranslatable(d, mode);
        if (!ok) ++st.untranslatable[std::string(x86::mnemonicName(d.mnemonic))];
        if (traceSeq) traceLine << " " << x86::toString(d, pre.eip) << (ok ? "" : "[U]") << (v >= 0 ? "[F]" : "") << ";";
      }
      if (profile && translator && v < 0 && n + 1 < 2 * kMaxSteps) {
        const RegionMode mode = modeOf(pre);
        bool nextOk = false;
        const x86::DecodedInsn next = decodeAt(ref.state(), nextOk);
        if (!translator->isTranslatable(d, mode) && nextOk && next.mnemonic != Mnemonic::HLT &&
            translator->isTranslatable(next, modeOf(ref.state())))
          r.suffixStarts.push_back(static_cast<uint32_t>(n + 1));
      }
      if (v >= 0 && r.vector < 0) {
        // An exception was delivered: its flags are those of the interrupted instruction,
        // which may have changed the ones it leaves undefined already.
        r.vector = v;
        undefined |= undefinedFlags(d, shiftCountOf(d, pre), true);
      } else {
        const uint32_t undef = undefinedFlags(d, shiftCountOf(d, pre)) & kAll;
        undefined = (undefined & ~flagsWritten(d, pre)) | undef;
      }
    }
    r.s = ref.state();
    r.retired = ref.retired() - before;
    r.undefinedAtEnd = undefined;
    return r;
  }

  using RegionMode = translator::RegionMode;
  static RegionMode modeOf(const CpuState& s) {
    return RegionMode{s.seg[kCS].bigDefault(), s.seg[kSS].bigDefault(), x86::CpuProfile::PentiumII};
  }
  // Flat32: all of RAM. Real16: everything below 30010h, what real-mode addresses from the
  // sequences' segments (bases <= 20000h, offsets < 10000h) can reach.
  uint32_t compareBytes() const { return l.mode == Mode::Flat32 ? l.ramSize : std::min<uint32_t>(0x30010, l.ramSize); }

  RtResult runRuntime(const CpuState& start, bool inject) {
    RtResult r;
    rt.reset();  // flushes the translation cache: every sequence translates afresh
    rt.cpu() = start;
    const uint64_t retired0 = rt.instructionsRetired(), translated0 = rt.instructionsTranslated();
    const RunOutcome out = rt.run(rt.now() + kMaxSteps);
    switch (out.stop) {
      case RunStop::Idle: r.end = End::Halted; break;
      case RunStop::Unimplemented: r.end = End::Unimplemented; break;
      case RunStop::TripleFault: r.end = End::TripleFault; break;
      case RunStop::Limit: r.end = End::Limit; break;
      default: r.end = End::Other; break;
    }
    r.message = out.message;
    r.s = rt.cpu();
    r.retired = rt.instructionsRetired() - retired0;
    r.translated = rt.instructionsTranslated() - translated0;
    if (inject) r.s.gpr[kEAX] ^= 0x100;
    return r;
  }

  // Bytes of the fault frame's pushed EFLAGS, masked with `flags` (fault delivered).
  struct Masked {
    uint32_t addr = 0;
    uint32_t mask = 0;  // little-endian over 4 bytes at addr
  };
  std::optional<Masked> frameFlags(const RefResult& r, uint32_t undefined) const {
    if (r.vector < 0 || !undefined) return std::nullopt;
    const CpuState& s = r.s;
    if (l.mode == Mode::Flat32 && s.protectedMode()) {
      const uint32_t sp = s.seg[kSS].base + s.gpr[kESP] + (hasErrorCode(r.vector) ? 4u : 0u);
      return Masked{sp + 8, undefined};
    }
    const uint32_t sp = s.seg[kSS].base + (s.gpr[kESP] & 0xFFFF);
    return Masked{sp + 4, undefined & 0xFFFF};
  }

  // Compares the final states; returns the differences (empty: agree).
  std::string compare(const RefResult& a, const RtResult& b) {
    std::ostringstream why;
    const uint32_t undefined = a.undefinedAtEnd;
    if (a.end != b.end)
      why << "  stop: interpreter " << endName(a.end) << ", runtime " << endName(b.end) << " (" << b.message << ")\n";
    for (unsigned i = 0; i < 8; ++i)
      if (a.s.gpr[i] != b.s.gpr[i])
        why << "  " << kGprNames[i] << ": interpreter " << hex(a.s.gpr[i]) << ", runtime " << hex(b.s.gpr[i]) << "\n";
    if (a.s.eip != b.s.eip) why << "  EIP: interpreter " << hex(a.s.eip) << ", runtime " << hex(b.s.eip) << "\n";
    const uint32_t mask = kComparedFlags & ~undefined;
    if ((a.s.eflags ^ b.s.eflags) & mask)
      why << "  EFLAGS (compared bits " << hex(mask) << "): interpreter " << hex(a.s.eflags) << ", runtime "
          << hex(b.s.eflags) << ", differing " << hex((a.s.eflags ^ b.s.eflags) & mask) << "\n";
    for (unsigned i = 0; i < kNumSegs; ++i)
      if (a.s.seg[i].selector != b.s.seg[i].selector || a.s.seg[i].base != b.s.seg[i].base)
        why << "  " << kSegNames[i] << ": interpreter " << hex(a.s.seg[i].selector, 4) << " base "
            << hex(a.s.seg[i].base) << ", runtime " << hex(b.s.seg[i].selector, 4) << " base " << hex(b.s.seg[i].base)
            << "\n";
    if (a.retired != b.retired)
      why << "  instructions retired: interpreter " << a.retired << ", runtime " << b.retired << "\n";
    // Memory: the low fixed area, the code area, the data area (everything when the
    // reference stored elsewhere).
    const auto frame = frameFlags(a, undefined);
    const uint8_t* x = refBus.storage().data();
    const uint8_t* y = platform.ram().data();
    unsigned shown = 0;
    auto cmpRange = [&](uint32_t lo, uint32_t size) {
      if (std::memcmp(x + lo, y + lo, size) == 0) return;
      for (uint32_t p = lo; p < lo + size; ++p) {
        uint8_t m = 0xFF;
        if (frame && p >= frame->addr && p < frame->addr + 4)
          m = static_cast<uint8_t>(~(frame->mask >> (8 * (p - frame->addr))));
        if (((x[p] ^ y[p]) & m) == 0) continue;
        if (++shown <= 16)
          why << "  memory " << hex(p) << ": interpreter " << hex(x[p], 2) << ", runtime " << hex(y[p], 2) << "\n";
      }
    };
    // compareBytes(); all of RAM when the reference stored elsewhere.
    cmpRange(0, log.outside ? l.ramSize : compareBytes());
    if (log.outside) fullReload = true;
    if (shown > 16) why << "  ... " << shown << " memory bytes differ\n";
    return why.str();
  }

  void check(const Sequence& q, const std::function<std::string()>& listing, const std::string& reproduce,
             bool inject) {
    ++st.sequences;
    const std::vector<uint32_t> starts = replay(q, 0, listing, reproduce, inject);
    for (uint32_t k : starts) replay(q, k, listing, reproduce, false);
  }

  // One compared run from q.initial (startAfter 0) or from the reference's state after
  // `startAfter` steps (a suffix replay); returns the suffix starts of a first run.
  std::vector<uint32_t> replay(const Sequence& q, uint32_t startAfter, const std::function<std::string()>& listing,
                               const std::string& reproduce, bool inject) {
    log.outside = false;
    loadMemory(q, std::nullopt);
    profile = startAfter == 0;
    const RefResult a = runReference(q, startAfter);
    profile = false;
    const RtResult b = runRuntime(a.start, inject);
    // The HLT that ends the run (after the sequence or in the fault stub) is interpreted
    // by design; it is not one of the sequence's instructions.
    const uint64_t insns = b.retired - (b.end == End::Halted && b.retired ? 1 : 0);
    if (startAfter == 0) {
      st.instructions += insns;
      st.translatedInstructions += b.translated;
      if (b.translated) ++st.translatedSequences;
      if (a.vector >= 0) ++st.faults;
    } else {
      ++st.suffixReplays;
      st.suffixInstructions += insns;
      st.suffixTranslated += b.translated;
    }
    if (a.end == End::Limit) ++st.limited;
    if (traceSeq) {
      std::fprintf(stderr, "seq %llu retired %llu translated %llu:%s\n", (unsigned long long)q.index,
                   (unsigned long long)b.retired, (unsigned long long)b.translated, traceLine.str().c_str());
      traceLine.str("");
    }
    const std::string why = compare(a, b);
    if (why.empty()) return a.suffixStarts;
    fullReload = true;

    // Cut short at each reader of an undefined flag in turn: the divergence is excused
    // when a cut run agrees and its undefined flags really differ (the reader saw
    // different values); a cut run that diverges, or none that explains it, is a
    // divergence.
    std::string cutWhy;
    if (!inject) {
      for (size_t i = 0; i < a.readers.size(); ++i) {
        const uint32_t cut = a.readers[i];
        log.outside = false;
        loadMemory(q, cut);
        const RefResult ca = runReference(q, startAfter);
        const RtResult cb = runRuntime(ca.start, false);
        const std::string w = compare(ca, cb);
        fullReload = true;
        if (!w.empty()) {
          cutWhy = "  cut at " + hex(cut) + " (HLT written there) it diverges too:\n" + w;
          break;
        }
        if ((ca.s.eflags ^ cb.s.eflags) & ca.undefinedAtEnd) {
          ++st.undefinedDependent;
          if (excusedShown < showExcused) {
            ++excusedShown;
            std::fprintf(stderr, "EXCUSED %s sequence=%llu start=%u: cut at %08X, undefined %03X, flags %08X vs %08X\n%s%s",
                         modeName(l.mode), static_cast<unsigned long long>(q.index), startAfter, cut,
                         ca.undefinedAtEnd, ca.s.eflags, cb.s.eflags, why.c_str(), listing().c_str());
          }
          // The rest still has to agree: replay it with the runtime starting at the
          // reader, from the interpreter's state (equal flags on both sides).
          if (a.readerSteps[i] > startAfter) replay(q, a.readerSteps[i], listing, reproduce, false);
          return a.suffixStarts;
        }
      }
      if (!a.readers.empty() && cutWhy.empty())
        cutWhy = "  cut at each reader of an undefined flag it agrees, with equal undefined flags: the divergence "
                 "is not theirs\n";
    }
    ++st.divergences;
    if (st.reports.size() >= maxReports) return a.suffixStarts;
    std::ostringstream o;
    o << "CMS DIVERGENCE (translate, threshold 0) " << modeName(l.mode) << " seed=" << q.seed
      << " sequence=" << q.index << "\n";
    if (startAfter)
      o << "  suffix replay: the runtime starts from the interpreter's state after " << startAfter
        << " steps: " << describe(a.start) << "\n";
    o << why << "  interpreter: " << describe(a.s) << " stop=" << endName(a.end) << " retired=" << a.retired
      << " exception=" << a.vector << " undefined flags at end=" << hex(a.undefinedAtEnd, 3) << "\n"
      << "  runtime:     " << describe(b.s) << " stop=" << endName(b.end) << " retired=" << b.retired
      << " translated=" << b.translated << (b.message.empty() ? "" : " (" + b.message + ")") << "\n"
      << listing() << "  bytes:";
    for (const Sequence::Insn& in : q.insns)
      for (uint8_t x : in.bytes) o << " " << hex(x, 2);
    o << "\n";
    if (!a.readers.empty()) {
      o << "  undefined flags are read at";
      for (uint32_t c : a.readers) o << " " << hex(c);
      o << "\n" << cutWhy;
    }
    o << "  reproduce: " << reproduce << "\n";
    st.reports.push_back(o.str());
    return a.suffixStarts;
  }

  const Layout& l;
  unsigned maxReports;
  std::vector<uint8_t> base;
  FlatBus refBus;
  Interpreter ref;
  StoreLog log;
  hostisa::iss::Iss core;
  DiffPlatform platform;
  Runtime rt;
  bool fullReload = true;
  bool traceSeq = std::getenv("CODEMORPH_DIFF_CMS_TRACE") != nullptr;
  // CODEMORPH_DIFF_CMS_EXCUSED=n: describe the first n excused (undefined-flag) cases.
  uint64_t showExcused = std::getenv("CODEMORPH_DIFF_CMS_EXCUSED") ? std::strtoull(std::getenv("CODEMORPH_DIFF_CMS_EXCUSED"), nullptr, 0) : 0;
  uint64_t excusedShown = 0;
  std::ostringstream traceLine;
  bool profile = false;  // count untranslatable instructions (first reference run only)
  RegionTranslator* translator = defaultRegionTranslator();
  CmsReplayStats st;
};

CmsReplay::CmsReplay(const Layout& layout, unsigned maxReports) : impl_(std::make_unique<Impl>(layout, maxReports)) {}
CmsReplay::~CmsReplay() = default;

void CmsReplay::check(const Sequence& q, const std::function<std::string()>& listing, const std::string& reproduce,
                      bool inject) {
  const auto t0 = std::chrono::steady_clock::now();
  impl_->check(q, listing, reproduce, inject);
  impl_->st.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
const CmsReplayStats& CmsReplay::stats() const { return impl_->st; }
CmsReplayStats& CmsReplay::stats() { return impl_->st; }

}  // namespace codemorph::cms::diff
