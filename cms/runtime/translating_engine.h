// The core-driven engine (docs/cms-runtime.md 1-6): the VLIW core runs the firmware and the
// translations; the firmware enters the CMS through service calls (services.cpp): gear 1
// inside a call, gear 2/3 translation, host-TLB fills, fault analysis with adaptive
// retranslation, self-modifying-code invalidation. This file's class owns the pieces;
// translating_engine.cpp runs the core and sets the machine up, services.cpp answers the
// firmware, translation_policy.cpp decides and makes translations.
#pragma once
#include <codemorph/cms/region_translator.h>
#include <codemorph/cms/runtime.h>
#include <codemorph/hostisa/iss/core_api.h>

#include <cstdint>
#include <map>
#include <optional>
#include <tuple>

#include "branch_profile.h"
#include "contexts.h"
#include "translation_cache.h"

namespace codemorph::cms::runtime {

// What the CMS remembers about one x86 entry point {context, EIP, physical address}.
struct EntryState {
  uint32_t executions = 0;        // gear-1 executions so far
  uint32_t faults = 0;            // rollbacks of its translations
  uint32_t smcInvalidations = 0;  // its translations invalidated by stores to their code
  uint32_t translations = 0;      // translations made (more than one: retranslations)
  unsigned maxInsns = 32;         // region size limit (SB_OVERFLOW and repeated faults halve it)
  bool noHoist = false;           // ALIAS seen: no loads above stores
  bool ioSafe = false;            // IO_SPACE seen: ldio/stio in program order
  bool selfCheck = false;         // rewritten code: self-checking translations (self_check.h)
  uint32_t selfCheckMisses = 0;   // its self-checking translations found their code changed
  bool interpretOnly = false;     // given up on translating it
};

class TranslatingEngine final : public hostisa::iss::ServiceHandler, public hostisa::iss::RunObserver {
 public:
  TranslatingEngine(Runtime::Impl& rt, RegionTranslator& translator);
  ~TranslatingEngine() override;
  RunOutcome run(uint64_t until);
  // x86 reset: every translation goes; the core reboots the firmware at the next run()
  // (or, inside a service call, continues with the new state).
  void reset();
  void invalidatePhysical(uint64_t base, uint64_t size);
  void setPhysicalIo(uint64_t base, uint64_t size, bool io);
  // x86 instructions retired by the translation running now (instruction time).
  uint64_t inFlightInstructions() const;
  // After an I/O-space access by the core (see translating_engine.cpp).
  void afterCoreIo();
  // A store by the interpreter (self-modifying code, docs/cms-runtime.md 6).
  void onInterpreterStore(uint64_t physical, unsigned size);

  uint64_t service(unsigned number, hostisa::iss::CoreApi& core) override;
  // A jump into the translation cache (RunAccounting): counts lookup and chain hits.
  void landed(uint32_t from, uint32_t to) override;

 private:
  class CoreIo;
  using EntryKey = std::tuple<uint32_t, uint32_t, uint32_t>;  // context, EIP, physical

  // ---- services.cpp
  void boot();
  void resumeWithCpuState();
  void accountTranslated();
  void onDispatch(bool mustInterpret);
  void onBudget();
  void onFault();
  void onPromote();
  bool onTlbFill();
  // After the work of a call: boundary checks, then the state back into the registers.
  void finishService();
  void stopRun(RunOutcome outcome);
  // The core stopped: the pending outcome at fw_halt, else a core error.
  RunOutcome stopped();
  // Interprets up to maxSteps instructions of the block at EIP (gear 1, profiling branch
  // directions), stopping early when control leaves the block or the run must stop.
  void interpretBlock(unsigned maxSteps);
  void checkLinearView();
  void setBudget();

  // ---- translation_policy.cpp
  EntryKey keyOf(uint32_t eip, uint32_t physical);
  bool translateEntry(const EntryKey& key, EntryState& entry, bool trace);
  void invalidateGranules(uint64_t physical, unsigned size);
  void demote(const TranslationRecord& r, EntryState& entry);
  bool giveUp(EntryState& entry);  // interpret-only from now on; returns false
  // INTERPRET at the entry of a self-checking translation whose code changed: drop it.
  void dropChangedSelfChecking(uint32_t eip, uint32_t physical);

  Runtime::Impl& rt_;
  hostisa::iss::CoreApi& core_;
  RegionTranslator& translator_;
  uint32_t regionBase_ = 0, regionBytes_ = 0;
  uint32_t fwHalt_ = 0;
  std::unique_ptr<CoreIo> io_;
  std::unique_ptr<TranslationCache> cache_;
  Contexts contexts_;
  BranchProfile branches_;
  std::map<EntryKey, EntryState> entries_;
  uint64_t until_ = 0;
  std::optional<RunOutcome> pending_;
  bool needBoot_ = true;
  int64_t lastBudget_ = 0;
  uint64_t lastTlbEvents_ = 0;
  bool lastA20_ = true;
  uint8_t lastCpl_ = 0;
  uint64_t serviceCyclesOfLastStep_ = 0;
  bool coreAccounts_ = false;  // the core attributes cycles and jumps (RunAccounting)
  uint64_t patchesCharged_ = 0, invalidationsCharged_ = 0;
};

}  // namespace codemorph::cms::runtime
