// The CMS x86 reference interpreter (gear 1): executes IA-32 instructions one at a time on
// a CpuState against a GuestBus, with exact flags and precise exceptions. It is the golden
// model that translated code is checked against and the place where faults inside
// translations are re-executed to find the precise x86 exception (ARCHITECTURE.md 3).
//
// Hot path: decode from a direct RAM pointer, switch on the decoder's Mnemonic, no heap
// allocation per instruction. The implementation lives in cms/interp/ (one concern per
// file); see docs/interpreter.md.
#pragma once
#include <codemorph/cms/cpu_model.h>
#include <codemorph/cms/cpu_state.h>
#include <codemorph/cms/exceptions.h>
#include <codemorph/cms/guest_bus.h>
#include <codemorph/cms/time_source.h>

#include <cstdint>
#include <memory>

namespace codemorph::cms {

namespace detail {
class Core;
}

// Result of Interpreter::translateLinear.
struct LinearTranslation {
  bool ok = false;
  uint32_t physical = 0;     // ok: the physical address (A20 applied)
  uint32_t pfErrorCode = 0;  // !ok: the #PF error code the access would raise (Vol. 3A 4.7)
};

struct RunResult {
  StopReason reason = StopReason::None;
  uint64_t instructions = 0;  // instructions retired (an instruction that faults is not)
};

class Interpreter {
 public:
  Interpreter(GuestBus& bus, const CpuModel& model = defaultCpuModel());
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  CpuState& state();
  const CpuState& state() const;
  const CpuModel& model() const;

  // Power-on/RESET state (SDM Vol. 3A 9.1.1, Table 9-1): real mode, CS:EIP F000:FFF0 with
  // CS base FFFF0000.
  void reset();
  // Puts the CPU in real mode with 64 KiB limits and every segment base = selector * 16
  // (what a test harness wants after loading selectors).
  void setRealModeSegments();

  // Executes up to maxInstructions; stops early on HLT, shutdown or an unimplemented
  // instruction. A halted CPU stays halted (returns Halted immediately) until an interrupt.
  RunResult run(uint64_t maxInstructions);
  // One instruction (or one exception delivery).
  StopReason step();

  // External interrupt line (INTR, with the vector the PIC would supply) and NMI.
  void setIntr(bool asserted, uint8_t vector = 0);
  void raiseNmi();
  // True when an INTR asserted now would be delivered before the next instruction:
  // EFLAGS.IF = 1, no interrupt shadow after MOV SS/POP SS/STI (SDM Vol. 3A 6.8.3) and no
  // shutdown. The CMS acknowledges the PIC only then (the acknowledge cycle must happen
  // at delivery), then asserts setIntr(true, vector) for one step().
  bool interruptWindowOpen() const;
  // INVLPG and MOV CR0/CR3/CR4 executed so far: events at which a real CPU flushes (part
  // of) its TLB (SDM Vol. 3A 4.10.4.1). The interpreter walks the page tables on every
  // access; the CMS flushes its host TLB and lookup table when this count changes.
  uint64_t tlbFlushEvents() const;
  // The physical address the CPU would use now for a data read/write (or an instruction
  // fetch) at a linear address: the same paging walk as the interpreter's accesses, with
  // its accessed/dirty updates and A20 masking (SDM Vol. 3A 4.3-4.8). A page fault is not
  // delivered and CR2 is left unchanged; the result carries its error code. The CMS fills
  // its host TLB and finds translated code with it.
  enum class Access : uint8_t { Read, Write, Execute };
  LinearTranslation translateLinear(uint32_t linear, Access access);

  // Observer of physical stores (nullptr: none).
  void setStoreObserver(StoreObserver* observer);
  // Time source of RDTSC (nullptr: the retired-instruction count). Not owned.
  void setTimeSource(TimeSource* source);
  // Instructions retired since construction.
  uint64_t retired() const;

  // Details of the last stop (shutdown chain, unimplemented instruction ...).
  const StopInfo& stopInfo() const;

 private:
  std::unique_ptr<detail::Core> core_;
};

}  // namespace codemorph::cms
