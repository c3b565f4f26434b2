// The translator's IR: one region (a trace of x86 instructions) as a straight-line list of
// instructions with side exits. Operations are the rows of ops.def; condition codes are
// explicit (the *CC ops write the x86 flags, SetCC/Sel/ExitIf read them).
//
// Values are virtual registers (VReg):
//   0..63   pinned host registers: r0 (zero), r1..r8 = x86 EAX..EDI, r9 = EIP, r30 = budget
//           (docs/cms-runtime.md section 3). They are variables: written any number of times.
//   >= 64   temporaries, each defined exactly once (tied ops such as Ins8L on a temporary
//           define a new temporary from the old one), mapped to r10..r29 / r48..r62 by the
//           register allocator.
// Invariant (checked by the verifier): temporaries are defined before use, once.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "codemorph/hostisa/isa.h"
#include "codemorph/translator/translate.h"

namespace codemorph::translator::ir {

using VReg = uint16_t;
inline constexpr VReg kZero = 0;
inline constexpr VReg kEip = 9;
inline constexpr VReg kBudget = 30;
inline constexpr VReg kFirstTemp = 64;
inline constexpr VReg gprReg(unsigned x86Index) { return static_cast<VReg>(1 + x86Index); }
inline constexpr bool isTemp(VReg r) { return r >= kFirstTemp; }
inline constexpr bool isGuestGpr(VReg r) { return r >= 1 && r <= 8; }

enum OpFlag : uint32_t {
  kNone = 0,
  kImm = 1u << 0,
  kTied = 1u << 1,
  kRF = 1u << 2,
  kWF = 1u << 3,
  kLoad = 1u << 4,
  kStore = 1u << 5,
  kExit = 1u << 6,
  kSide = 1u << 7,
  kPure = 1u << 8,
  kComm = 1u << 9,
};

enum class Op : uint8_t {
#define IR_OP(name, host, flags, plain) name,
#include "ops.def"
#undef IR_OP
  None
};

struct OpInfo {
  const char* name;
  hostisa::Op host;
  uint32_t flags;
  Op plain;
};
const OpInfo& opInfo(Op op);
inline bool hasFlag(Op op, uint32_t f) { return (opInfo(op).flags & f) != 0; }

// How a Load/Store reaches memory (chosen by load_hoisting / the ioSafe option).
enum class MemKind : uint8_t { Plain, Protected, Checked, Io };

struct Inst {
  Op op = Op::Copy;
  uint8_t width = 4;       // bytes, for *CC, Agen, Load, Store
  uint8_t cond = 0;        // SetCC/Sel/ExitIf condition (SDM Vol. 1 App. B tttn)
  uint8_t seg = 0;         // Agen: segment 0..5 (ES CS SS DS FS GS)
  bool sign = false;       // Load: sign-extend
  MemKind mem = MemKind::Plain;
  uint8_t aliasReg = 0;    // Load Protected: alias register
  uint8_t aliasMask = 0;   // Store Checked: alias registers it is checked against
  VReg dst = kZero;
  VReg a = kZero, b = kZero, c = kZero;  // sources; Store: a = address, b = value
  int32_t imm = 0;
  int32_t exit = -1;       // exit ops: index into Function::exits
  uint16_t x86Index = 0;   // the region instruction this came from
};

// An exit of the region (translate.h Exit, before code addresses are known).
struct ExitInfo {
  ExitKind kind = ExitKind::Direct;
  uint32_t targetEip = 0;  // Direct/Interpret; Indirect: r9 already holds the target
  uint32_t retired = 0;
  // Leaves through `rollback` instead of a commit (kind Interpret, target = entry EIP,
  // retired 0): the interpreter then redoes the region and raises the x86 exception.
  bool rollback = false;
};

struct Function {
  std::vector<Inst> insts;
  std::vector<ExitInfo> exits;
  uint32_t x86Instructions = 0;  // N of the entry budget check
  VReg nextTemp = kFirstTemp;
  VReg newTemp() { return nextTemp++; }
};

// Registers an instruction reads, in operand order (r0 excluded), including the tied
// destination; flags are not listed (see OpFlag).
unsigned sourceRegs(const Inst& inst, VReg out[4]);
// True if the instruction writes dst (r0 excluded).
inline bool writesReg(const Inst& inst) {
  return inst.dst != kZero && !hasFlag(inst.op, kStore | kExit) && inst.op != Op::BudgetCheck;
}
std::string toString(const Inst& inst);
std::string toString(const Function& fn);

}  // namespace codemorph::translator::ir
