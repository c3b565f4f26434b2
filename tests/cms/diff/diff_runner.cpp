// Lockstep comparison of the interpreter against Unicorn (see diff_runner.h).
#include "diff_runner.h"

#include <codemorph/cms/flags.h>
#include <codemorph/cms/interpreter.h>
#include <codemorph/x86/disasm.h>

#include <chrono>
#include <memory>
#include <cstring>
#include <cstdio>
#include <sstream>

#include "oracle_quirks.h"
#include "unicorn_oracle.h"

namespace codemorph::cms::diff {

// The sequence being run (for a debugger after a crash inside Unicorn).
volatile uint64_t g_diffSequence = 0;

namespace {
using x86::Mnemonic;

// EFLAGS bits both machines implement and that instructions can change (Vol. 1 3.4.3).
constexpr uint32_t kComparedFlags = 0x003F7FD5u;
constexpr const char* kGprNames[8] = {"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"};

struct Observer : StoreObserver {
  std::vector<std::pair<uint32_t, unsigned>> writes;
  void onStore(uint64_t physical, unsigned size) override {
    writes.emplace_back(static_cast<uint32_t>(physical), size);
  }
};

bool isString(Mnemonic m) {
  return m == Mnemonic::MOVS || m == Mnemonic::CMPS || m == Mnemonic::SCAS || m == Mnemonic::LODS ||
         m == Mnemonic::STOS || m == Mnemonic::INS || m == Mnemonic::OUTS;
}

uint32_t shiftCount(const x86::DecodedInsn& d, const CpuState& pre) { return shiftCountOf(d, pre); }

std::string hex(uint32_t v, int width = 8) {
  char b[16];
  std::snprintf(b, sizeof b, "%0*X", width, v);
  return b;
}

std::string describeState(const CpuState& s) {
  std::ostringstream o;
  for (unsigned i = 0; i < 8; ++i) o << kGprNames[i] << "=" << hex(s.gpr[i]) << " ";
  o << "EIP=" << hex(s.eip) << " EFLAGS=" << hex(s.eflags);
  o << " CS=" << hex(s.seg[kCS].selector, 4) << " SS=" << hex(s.seg[kSS].selector, 4)
    << " DS=" << hex(s.seg[kDS].selector, 4) << " ES=" << hex(s.seg[kES].selector, 4)
    << " FS=" << hex(s.seg[kFS].selector, 4) << " GS=" << hex(s.seg[kGS].selector, 4);
  return o.str();
}

class Runner {
 public:
  Runner(const DiffOptions& o, bool fallback)
      : opt_(o), l_(layoutFor(o.mode)), builder_(l_, fallback), bus_(l_.ramSize), cpu_(bus_) {
    buildFixedImage(l_, bus_.storage());
    cpu_.setStoreObserver(&obs_);
    stats_.bigRealFallback = fallback;
    if (o.cmsEvery && cmsTranslatorAvailable()) {
      cms_ = std::make_unique<CmsReplay>(l_, o.maxReports);
      stats_.cmsReplayed = true;
    }
  }

  DiffStats run() {
    const auto t0 = std::chrono::steady_clock::now();
    for (uint64_t i = opt_.first; i < opt_.first + opt_.sequences; ++i) runOne(i);
    stats_.rejects = builder_.rejects();
    if (cms_) stats_.cms = cms_->stats();
    stats_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return stats_;
  }

 private:
  x86::DecodedInsn decodeAt(const CpuState& s, bool& ok) {
    x86::DecodedInsn d{};
    const uint32_t lin = s.seg[kCS].base + s.eip;
    const auto& ram = bus_.storage();
    const size_t avail = lin < ram.size() ? std::min<size_t>(15, ram.size() - lin) : 0;
    const x86::DecodeMode mode{static_cast<uint8_t>(s.seg[kCS].bigDefault() ? 32 : 16), x86::CpuProfile::PentiumII};
    ok = avail && x86::decode({ram.data() + lin, avail}, mode, d) == x86::DecodeStatus::Ok;
    return d;
  }

  std::string listing(const Sequence& q, unsigned failedStep) {
    std::ostringstream o;
    o << "  initial: " << describeState(q.initial) << "\n";
    for (unsigned k = 0; k < q.insns.size(); ++k) {
      const Sequence::Insn& in = q.insns[k];
      x86::DecodedInsn d{};
      const x86::DecodeMode mode{static_cast<uint8_t>(q.initial.seg[kCS].bigDefault() ? 32 : 16),
                                 x86::CpuProfile::PentiumII};
      const bool ok = x86::decode({in.bytes.data(), in.bytes.size()}, mode, d) == x86::DecodeStatus::Ok;
      o << (k == failedStep ? "  >> " : "     ") << hex(in.eip) << ": ";
      for (uint8_t b : in.bytes) o << hex(b, 2) << " ";
      o << " " << (ok ? x86::toString(d, in.eip) : std::string("(undecodable)")) << "\n";
    }
    return o.str();
  }

  void report(const Sequence& q, unsigned step, const std::string& what) {
    ++stats_.disagreements;
    if (stats_.reports.size() >= opt_.maxReports) return;
    std::ostringstream o;
    o << "DISAGREEMENT " << modeName(opt_.mode) << " seed=" << q.seed << " sequence=" << q.index << " step=" << step
      << "\n" << what << listing(q, step)
      << "  reproduce: CODEMORPH_DIFF_MODE=" << modeName(opt_.mode) << " CODEMORPH_DIFF_SEED=" << q.seed
      << " CODEMORPH_DIFF_FIRST=" << q.index << " CODEMORPH_DIFF_SEQUENCES=1 unicorn_diff_long_test\n";
    stats_.reports.push_back(o.str());
  }

  void load(const Sequence& q) {
    auto& ram = bus_.storage();
    std::copy(q.data.begin(), q.data.end(), ram.begin() + l_.dataBase);
    std::fill_n(ram.begin() + l_.codeBase, l_.codeSize, 0xF4);
    ucp_->writeMemory(ram, l_.dataBase, l_.dataSize);
    ucp_->writeMemory(ram, l_.codeBase, l_.codeSize);
    ucp_->flushCode(l_.codeBase, l_.codeSize);
    ucp_->setState(q.initial);
    cpu_.reset();
    cpu_.state() = q.initial;
  }

  void reloadAll() {
    buildFixedImage(l_, bus_.storage());
    ucp_->writeMemory(bus_.storage(), 0, l_.ramSize);
  }

  // A fresh Unicorn engine every kEngineLifetime sequences: Unicorn 2.0.1 ages (after
  // several 100,000 sequences in one engine it crashed in cpu_restore_state on an IDIV
  // #DE, and reported EIP after exceptions differently; docs/differential-testing.md).
  static constexpr uint64_t kEngineLifetime = 50000;
  void freshEngine() {
    ucp_.reset();
    ucp_ = std::make_unique<UnicornOracle>(l_);
    sequencesOnEngine_ = 0;
    reloadAll();
  }

  void runOne(uint64_t index) {
    ++stats_.sequences;
    g_diffSequence = index;
    if (!ucp_ || ++sequencesOnEngine_ >= kEngineLifetime) freshEngine();
    Sequence q;
    builder_.begin(opt_.seed, index, q);
    load(q);
    bool dirtyOutside = false;
    bool last = false;
    for (unsigned k = 0; !last && builder_.next(q, last); ++k) {
      // Place the accepted instruction in both machines, run it on the fast-path
      // interpreter and on Unicorn.
      const Sequence::Insn& insn = q.insns.back();
      const uint32_t lin = cpu_.state().seg[kCS].base + insn.eip;
      std::copy(insn.bytes.begin(), insn.bytes.end(), bus_.storage().begin() + lin);
      ucp_->writeMemory(bus_.storage(), lin, static_cast<uint32_t>(insn.bytes.size()));
      ucp_->flushCode(lin, static_cast<uint32_t>(insn.bytes.size()));  // earlier blocks saw HLT here
      const CpuState pre = cpu_.state();
      bool decoded = false;
      const x86::DecodedInsn d = decodeAt(pre, decoded);
      const bool rep = decoded && d.rep != 0 && isString(d.mnemonic);
      obs_.writes.clear();
      const StopReason st = cpu_.step();
      const CpuState post = cpu_.state();
      UnicornOracle::StepResult ur = ucp_->step(pre.eip, rep);
      if (opt_.injectAt == static_cast<int64_t>(q.index) && k == 0) ucp_->setGpr(kEAX, ucp_->regs().gpr[kEAX] ^ 0x100);
      RegState u = ucp_->regs(ur.intno >= 0);
      // Unicorn 2.0.1 in UC_MODE_16 reports EIP after an exception stop sometimes as IP,
      // sometimes as CS*16+IP (unicorn_oracle.h): accept the linear form for the
      // faulting instruction's address.
      if (ur.intno >= 0 && opt_.mode == Mode::Real16 && u.eip == pre.seg[kCS].base + pre.eip) u.eip = pre.eip;
      if (opt_.trace) {
        std::fprintf(stderr, "step %u %s\n  pre  %s\n  ours %s\n  uc  ", k,
                     decoded ? x86::toString(d, pre.eip).c_str() : "?", describeState(pre).c_str(),
                     describeState(post).c_str());
        for (unsigned i = 0; i < 8; ++i) std::fprintf(stderr, " %s=%08X", kGprNames[i], u.gpr[i]);
        std::fprintf(stderr, " EIP=%08X EFLAGS=%08X intno=%d err=%d iters=%u\n", u.eip, u.eflags, ur.intno, ur.error,
                     ur.iterations);
        for (const auto& w : obs_.writes) {
          std::fprintf(stderr, "  ours wrote %08X/%u:", w.first, w.second);
          for (unsigned i = 0; i < w.second; ++i)
            if (l_.writable(w.first + i, 1))
              std::fprintf(stderr, " %02X(sequence start: %02X)", bus_.storage()[w.first + i],
                           q.data[w.first + i - l_.dataBase]);
          std::fprintf(stderr, "\n");
        }
      }
      ++stats_.instructions;
      for (const auto& w : obs_.writes) dirtyOutside |= !l_.writable(w.first, w.second);

      std::ostringstream why;
      const uint32_t next = post.seg[kCS].base + post.eip;
      const int ourVector = st == StopReason::None ? stubVector(l_, next) : -1;
      if (st != StopReason::None) {
        why << "  interpreter stopped: " << cpu_.stopInfo().message << "\n";
      } else if (ur.badAccess) {
        why << "  unicorn: access to unmapped memory at " << hex(static_cast<uint32_t>(ur.badAddress)) << "\n";
      } else if (ur.error && ur.intno < 0) {
        why << "  unicorn error: " << ur.errorText() << "\n";
      } else if (ourVector >= 0 || ur.intno >= 0) {
        ++stats_.faults;
        if (ourVector != ur.intno) {
          why << "  exception: interpreter " << ourVector << ", unicorn " << ur.intno << "\n";
        } else {
          // Both faulted: the state at the faulting instruction must agree.
          const uint32_t mask = kComparedFlags & ~undefinedFlags(d, shiftCount(d, pre), true);
          compareRegs(pre, u, mask, why);
        }
        if (!why.str().empty()) report(q, k, why.str());
        break;
      } else {
        const uint32_t mask = kComparedFlags & ~(decoded ? undefinedFlags(d, shiftCount(d, pre)) : 0u);
        uint8_t gprMask = 0;
        for (unsigned i = 0; i < 8; ++i)
          if (post.gpr[i] != u.gpr[i]) gprMask = static_cast<uint8_t>(gprMask | (1u << i));
        const bool memDiff = compareMemory(why);
        const uint32_t flagsDiff = (post.eflags ^ u.eflags) & mask;
        if (gprMask || post.eip != u.eip || flagsDiff || memDiff) {
          const StepDiff sd{opt_.mode, d, pre, post, u, gprMask, post.eip != u.eip, flagsDiff, memDiff,
                            diffAddrs_, ucData_.data(), l_.dataBase};
          const OracleQuirk* quirk = nullptr;
          for (const OracleQuirk& qk : oracleQuirks())
            if (qk.explains(sd)) { quirk = &qk; break; }
          if (quirk) {
            ++stats_.quirks[quirk->id];
            break;  // the machines now differ: end the sequence
          }
          compareRegs(post, u, mask, why);
        }
      }
      if (!why.str().empty()) {
        report(q, k, why.str());
        break;
      }
      // Undefined flags may legitimately differ; take Unicorn's so that a later
      // instruction that leaves them alone does not report them (flags are data).
      const uint32_t undef = decoded ? undefinedFlags(d, shiftCount(d, pre)) : 0u;
      cpu_.state().eflags = (post.eflags & ~undef) | (u.eflags & undef);
      builder_.state().eflags = cpu_.state().eflags;
    }
    if (cms_ && q.index % opt_.cmsEvery == 0 && !q.insns.empty()) {
      std::ostringstream cmd;
      cmd << "CODEMORPH_DIFF_MODE=" << modeName(opt_.mode) << " CODEMORPH_DIFF_SEED=" << q.seed
          << " CODEMORPH_DIFF_FIRST=" << q.index << " CODEMORPH_DIFF_SEQUENCES=1 CODEMORPH_DIFF_CMS=1 unicorn_diff_long_test";
      cms_->check(q, [&] { return listing(q, ~0u); }, cmd.str(), opt_.cmsInjectAt == static_cast<int64_t>(q.index));
    }
    if (dirtyOutside) reloadAll();
  }

  void compareRegs(const CpuState& ours, const RegState& u, uint32_t flagMask, std::ostringstream& why) {
    for (unsigned i = 0; i < 8; ++i)
      if (ours.gpr[i] != u.gpr[i])
        why << "  " << kGprNames[i] << ": interpreter " << hex(ours.gpr[i]) << ", unicorn " << hex(u.gpr[i]) << "\n";
    if (ours.eip != u.eip) why << "  EIP: interpreter " << hex(ours.eip) << ", unicorn " << hex(u.eip) << "\n";
    if ((ours.eflags ^ u.eflags) & flagMask)
      why << "  EFLAGS (compared bits " << hex(flagMask) << "): interpreter " << hex(ours.eflags) << ", unicorn "
          << hex(u.eflags) << ", differing " << hex((ours.eflags ^ u.eflags) & flagMask) << "\n";
  }

  // The data area must be equal after every instruction, and the interpreter must not
  // have written anything else (Unicorn cannot: only the data area is writable there).
  bool compareMemory(std::ostringstream& why) {
    bool differs = false;
    for (const auto& w : obs_.writes)
      if (!l_.writable(w.first, w.second)) {
        why << "  interpreter wrote outside the data area at " << hex(w.first) << "\n";
        differs = true;
      }
    ucData_.resize(l_.dataSize);
    ucp_->readMemory(l_.dataBase, ucData_.data(), l_.dataSize);
    const uint8_t* mine = bus_.storage().data() + l_.dataBase;
    diffAddrs_.clear();
    if (std::memcmp(mine, ucData_.data(), l_.dataSize) == 0) return differs;
    for (uint32_t i = 0; i < l_.dataSize; ++i) {
      if (mine[i] == ucData_[i]) continue;
      diffAddrs_.push_back(l_.dataBase + i);
      if (diffAddrs_.size() <= 16)
        why << "  memory " << hex(l_.dataBase + i) << ": interpreter " << hex(mine[i], 2) << ", unicorn "
            << hex(ucData_[i], 2) << "\n";
    }
    return true;
  }

  DiffOptions opt_;
  const Layout& l_;
  SequenceBuilder builder_;
  FlatBus bus_;
  Interpreter cpu_;
  std::unique_ptr<UnicornOracle> ucp_;
  std::unique_ptr<CmsReplay> cms_;
  uint64_t sequencesOnEngine_ = 0;
  Observer obs_;
  std::vector<uint8_t> ucData_;
  std::vector<uint32_t> diffAddrs_;
  DiffStats stats_;
};

}  // namespace

bool interpreterHasProtectedMode() {
  const Layout& l = layoutFor(Mode::Flat32);
  FlatBus bus(l.ramSize);
  buildFixedImage(l, bus.storage());
  Interpreter cpu(bus);
  Rng rng(1);
  cpu.state() = randomInitialState(l, rng, false);
  return cpu.step() != StopReason::Unimplemented;
}

DiffStats runDiff(const DiffOptions& options) {
  const bool fallback = options.mode == Mode::Flat32 && !interpreterHasProtectedMode();
  Runner r(options, fallback);
  return r.run();
}

std::string DiffStats::summary() const {
  std::ostringstream o;
  o << sequences << " sequences, " << instructions << " instructions (" << faults << " faults compared), "
    << disagreements << " disagreements, " << seconds << " s";
  if (bigRealFallback) o << " [Flat32 via big-real fallback: interpreter has no protected mode yet]";
  o << "\n  oracle quirks:";
  if (quirks.empty()) o << " none";
  for (const auto& [id, n] : quirks) o << " " << id << "=" << n;
  o << "\n  rejected candidates:";
  for (unsigned r = 0; r < kRejCount; ++r) o << " " << rejectName(r) << "=" << rejects[r];
  if (cmsReplayed) o << "\n  translated replay: " << cms.summary();
  return o.str();
}

}  // namespace codemorph::cms::diff
