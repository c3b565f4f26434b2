// The translator's one entry point: a region of decoded x86 instructions -> VLIW code for
// the translation cache (docs/cms-runtime.md section 4 states the rules every translation
// obeys; docs/translator.md how the pipeline works). The CMS decodes the instructions and
// decides the region (basic block, or a trace along biased branches); the translator owns
// x86 -> IR, the IR passes, scheduling, register allocation and emission.
//
// Thread-safety: translate() is a pure function of its request (no global state), so two
// translations of the same request are byte-identical (determinism).
#pragma once
#include <codemorph/x86/decoder.h>

#include <cstdint>
#include <string>
#include <vector>

namespace codemorph::translator {

// One x86 instruction of the region, in execution order along the region's path.
struct RegionInsn {
  uint32_t eip = 0;           // offset in CS of the instruction's first byte
  x86::DecodedInsn insn{};    // decoded in the region's mode
  // For a conditional branch (Jcc, LOOPcc, JECXZ): true if the trace continues at the
  // branch target, false if it continues at the fall-through. The other direction becomes a
  // side exit. For the region's last instruction it names the likely direction, which
  // becomes the final (inline) exit; the other one is a side exit (both are Direct).
  bool followTaken = false;
};

// Which gear asks (docs/cms-runtime.md section 1): gear 2 translates quickly (IR ->
// allocation -> emission, flag liveness only); gear 3 runs every optimization pass.
enum class Gear : uint8_t { Quick = 2, Optimized = 3 };

struct TranslateOptions {
  Gear gear = Gear::Quick;
  unsigned maxAtoms = 4;          // molecule width: 2, 4 (default) or 8 (hostisa.max_atoms)
  bool aliasHoisting = true;      // hoist loads above stores with ldp/stc (gear 3)
  bool ioSafe = false;            // every guest access is ldio/stio, in program order
  bool chainable = true;          // direct exits end in a patchable `j` (else `j fw_dispatch` only)
  unsigned maxStores = 32;        // store-buffer bound per region (rule 4)
  bool seg_agen = true;           // hostisa.seg_agen: agen atoms available
  bool x86Flags = true;           // hostisa.x86_flags: *.cc atoms available
  bool partialRegs = true;        // hostisa.partial_regs
  unsigned aliasRegisters = 8;    // iss.alias_registers: alias registers load hoisting may use
  // Gear 3: guest-register writes after a side exit go to temporaries (plus a copy), so
  // they may be scheduled above the exit; kept only where the translation gets shorter.
  bool exitRenaming = true;
  // Run each pass's IR verifier (always on in debug builds; tests turn it on too).
  bool verifyIr = false;
};

// Where the code goes and which firmware entry points exits use (host addresses).
struct Placement {
  uint32_t hostBase = 0;          // address of the translation's first molecule (8-aligned)
  uint32_t fwDispatch = 0;        // direct exit, not chained yet (r9 = next EIP)
  uint32_t fwDispatchIndirect = 0;// indirect exit (r9 = computed EIP)
  uint32_t fwInterpret = 0;       // exit before an instruction the translator does not handle
  uint32_t fwExitBudget = 0;      // entry check failed (rolled back, r9 = entry EIP)
};

struct RegionMode {
  bool code32 = true;             // CS.D
  bool stack32 = true;            // SS.B (ESP vs SP)
  x86::CpuProfile profile = x86::CpuProfile::PentiumII;
  // CS limit (part of the CMS's translation context): an indirect near transfer whose new
  // EIP exceeds it raises #GP(0) at the transfer (SDM Vol. 2 RET, JMP, CALL), so the
  // translation checks such targets when a target of that width can exceed the limit.
  uint32_t csLimit = 0xFFFFFFFFu;
};

struct TranslateRequest {
  std::vector<RegionInsn> insns;  // at least one
  RegionMode mode;
  TranslateOptions options;
  Placement placement;
};

enum class ExitKind : uint8_t {
  Direct,     // known target EIP; patchable (chaining)
  Indirect,   // computed target (RET, JMP/CALL r/m) -> fwDispatchIndirect
  Interpret,  // the next instruction is not translated -> fwInterpret
};

struct Exit {
  ExitKind kind = ExitKind::Direct;
  uint32_t targetEip = 0;         // Direct/Interpret: the EIP execution continues at
  uint32_t jumpOffset = 0;        // byte offset (from hostBase) of the molecule holding the
                                  // exit's final `j`, which is its only control atom
  uint32_t retired = 0;           // x86 instructions retired when leaving through this exit
};

struct Translation {
  std::vector<uint8_t> code;      // encoded molecules, to be placed at placement.hostBase
  std::vector<Exit> exits;
  uint32_t x86Instructions = 0;   // instructions translated (= N of the entry check)
  uint32_t molecules = 0;
  uint32_t atoms = 0;             // non-nop atoms
  uint32_t stores = 0;            // guest stores on the longest path
  uint32_t hoistedLoads = 0;      // loads moved above a store under alias protection
};

// Result of translate(): a translation, or why none was made (e.g. the first instruction is
// not handled; too many stores even for one instruction) as one line.
struct TranslateResult {
  bool ok = false;
  Translation translation;
  std::string error;
};

TranslateResult translate(const TranslateRequest& request);

// True if the translator handles this instruction in this mode (the CMS uses it to decide
// where a region ends before calling translate()).
bool isTranslatable(const x86::DecodedInsn& insn, const RegionMode& mode);

}  // namespace codemorph::translator
