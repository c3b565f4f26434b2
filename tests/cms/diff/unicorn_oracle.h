// Unicorn (QEMU TCG) as the reference machine of the differential tests: one engine per
// mode, loaded from our CpuState and memory image, stepped one x86 instruction at a time.
//
// Unicorn quirks handled here (docs/differential-testing.md, "Oracle quirks"):
//  - `count` counts translated-instruction executions: each iteration of a REP string
//    instruction is one (QEMU re-enters the instruction per iteration), so a REP
//    instruction is stepped until EIP leaves it.
//  - Writing EFLAGS does not reset QEMU's lazy condition-code state (cc_op); every
//    sequence starts from a context saved right after engine creation (cc_op = EFLAGS).
//  - Translated blocks survive uc_mem_write: the code area's blocks are dropped before each
//    sequence, and those over each newly placed instruction (an earlier block may have
//    translated the HLT filler there) before it runs (uc_ctl_remove_cache).
//  - Real mode: reading EIP in UC_MODE_16 after a count-limited run returns CS*16+IP in
//    2.0.1 (the pushed return address shows IP); after an exception stop it returns IP
//    or (seen after ~480,000 sequences in one engine) CS*16+IP, so the runner accepts
//    either for the faulting instruction. How `begin` and EIP are taken is probed at
//    construction.
//  - Translation blocks run until an instruction that ends them: the code area is filled
//    with HLT so that each step translates only the few instructions of the sequence.
//  - A UC_HOOK_MEM_WRITE hook changes QEMU's results: with one installed, Unicorn 2.0.1
//    computes CF = 1 for SHL word [bx],CL with CL = 12 and [bx] = 14E7h (correct: 0, bit 4).
//    No memory hooks are used: only the data area is mapped writable (other stores stop
//    with UC_ERR_WRITE_PROT) and the data area is compared after every instruction.
//  - Engines age (a crash in cpu_restore_state after ~870,000 sequences): the runner
//    creates a fresh engine every 50,000 sequences.
//  - Exceptions are not delivered through the IVT/IDT: an interrupt hook records the vector
//    and stops (EIP is then at the faulting instruction).
#pragma once
#include <codemorph/cms/cpu_state.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "layout.h"

struct uc_struct;
struct uc_context;

namespace codemorph::cms::diff {

// The registers compared after each instruction.
struct RegState {
  uint32_t gpr[8];
  uint32_t eip;
  uint32_t eflags;
};

class UnicornOracle {
 public:

  explicit UnicornOracle(const Layout& layout);
  ~UnicornOracle();
  UnicornOracle(const UnicornOracle&) = delete;
  UnicornOracle& operator=(const UnicornOracle&) = delete;

  void writeMemory(const std::vector<uint8_t>& ram, uint32_t begin, uint32_t size);
  void readMemory(uint32_t begin, void* out, uint32_t size);
  void flushCode(uint32_t begin, uint32_t size);  // drop translated blocks over these bytes
  void setState(const CpuState& s);  // GPRs, EIP, EFLAGS; real mode: segment selectors
  // afterFault: the step stopped in the interrupt hook (2.0.1 then reports IP, not CS*16+IP).
  RegState regs(bool afterFault = false);
  void setGpr(unsigned n, uint32_t v);  // self-test: inject a disagreement

  struct StepResult {
    int error = 0;            // uc_err; 0 = ok
    int intno = -1;           // exception vector raised, or -1
    bool badAccess = false;   // access to unmapped memory
    uint64_t badAddress = 0;
    unsigned iterations = 0;  // uc_emu_start calls (REP iterations)
    std::string errorText() const;
  };
  // Executes one instruction at EIP `startEip` (all iterations of a REP string instruction).
  StepResult step(uint32_t startEip, bool repString);

 private:
  const Layout& l_;
  uc_struct* uc_ = nullptr;
  uc_context* baseline_ = nullptr;
  StepResult* current_ = nullptr;
  uint32_t csBase_ = 0;  // real mode: CS * 16
  bool beginIsLinear_ = true;    // UC_MODE_16: uc_emu_start(begin) takes CS*16+IP
  bool eipReadsLinear_ = false;  // UC_MODE_16: reading EIP returns CS*16+IP
  void probeRealMode();
  uint32_t ip();  // EIP as the architecture defines it
  friend struct OracleHooks;
};

}  // namespace codemorph::cms::diff
