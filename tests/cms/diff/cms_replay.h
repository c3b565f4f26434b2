// Replays the sequences of the Unicorn differential test through the CMS runtime with
// translation on and threshold 0 (cms::Runtime on the reference ISS with translator/'s
// region translator: every entry point is translated at its first execution, what the
// translator does not handle is interpreted), and compares the final state with the
// interpreter's (docs/differential-testing.md, "Translated replay"; issue 4 item 7).
//
// The interpreter is the reference here (Unicorn is the reference for the interpreter).
// Both machines start each sequence from the same RAM (the diff's fixed image, the code
// area with the sequence placed in HLT filler, the sequence's data area) and run it until
// the HLT after it (or the HLT of the fault stub the exception was delivered to). They
// must agree on the stop, the GPRs, EIP, the segment selectors, EFLAGS bits 003F7FD5h
// minus the flags the SDM leaves undefined at the end of the run, and the low fixed area,
// the code area and the data area (the fault frame's pushed flags masked the same way).
//
// Undefined flags: the interpreter computes them one way, translations may compute them
// another. The reference run tracks which arithmetic flags are undefined after every
// instruction. When an instruction reads one of them (Jcc, SETcc, ADC, PUSHF ...) the
// results may legitimately differ from there on; if the sequence then diverges, it is
// replayed again cut short at each such reader in turn (HLT written over it): the
// divergence is excused ("undefined-flag dependent") only if a cut run agrees and its
// undefined flags really differ; the rest of the sequence is then replayed once more with
// the runtime starting at that reader from the interpreter's state, and must agree. A cut
// run that diverges, or no cut that explains it, is a divergence.
#pragma once
#include <codemorph/x86/decoder.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "layout.h"
#include "sequence_builder.h"

namespace codemorph::cms::diff {

struct CmsReplayStats {
  uint64_t sequences = 0;             // replayed
  uint64_t translatedSequences = 0;   // with at least one instruction executed translated
  uint64_t instructions = 0;          // retired by the runtime (interpreted + translated),
                                      // without the HLT that ends the run
  uint64_t translatedInstructions = 0;
  // Suffix replays: gear 1 interprets the rest of a basic block after an instruction the
  // translator does not handle (docs/cms-runtime.md 1), so each such point that is
  // followed by a translatable instruction is replayed again with the runtime starting
  // there (from the interpreter's state and memory at that point).
  uint64_t suffixReplays = 0, suffixInstructions = 0, suffixTranslated = 0;
  uint64_t faults = 0;                // sequences ending in an exception (compared)
  uint64_t undefinedDependent = 0;    // divergences excused: an undefined flag was read
  uint64_t divergences = 0;
  uint64_t limited = 0;               // still running after kMaxSteps instructions (compared there)
  // Executed instructions translator::isTranslatable() rejects (interpreted by design),
  // by mnemonic; the final HLT is not counted.
  std::map<std::string, uint64_t> untranslatable;
  double seconds = 0;
  std::vector<std::string> reports;   // the first maxReports divergences, in full
  std::string summary() const;
  double overallTranslatedShare() const {  // main and suffix replays together
    const uint64_t n = instructions + suffixInstructions;
    return n ? static_cast<double>(translatedInstructions + suffixTranslated) / static_cast<double>(n) : 0.0;
  }
  double translatedShare() const {
    return instructions ? static_cast<double>(translatedInstructions) / static_cast<double>(instructions) : 0.0;
  }
};

// True when this build has translator/'s region translator (defaultRegionTranslator()).
bool cmsTranslatorAvailable();

class CmsReplay {
 public:
  CmsReplay(const Layout& layout, unsigned maxReports);
  ~CmsReplay();
  // Replays `q` (its instructions as placed, from its initial state and data). `listing`
  // gives the sequence's disassembly for a report; `reproduce` the command line that
  // regenerates it. `inject`: self-test, corrupt the runtime's EAX before comparing.
  void check(const Sequence& q, const std::function<std::string()>& listing, const std::string& reproduce,
             bool inject = false);
  const CmsReplayStats& stats() const;
  CmsReplayStats& stats();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The shift/rotate count an instruction sees before masking (undefinedFlags' `count`).
uint32_t shiftCountOf(const x86::DecodedInsn& d, const CpuState& pre);

}  // namespace codemorph::cms::diff
