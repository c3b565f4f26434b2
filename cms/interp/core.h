// Private to cms/interp: the interpreter core shared by the per-concern source files.
// Each .cpp implements one family of Core members (see the comment at each group below).
//
// Invariants of the hot path:
//  - An instruction either completes, or throws GuestFault before changing architectural
//    state other than memory bytes it already wrote and, for REP string instructions, the
//    completed iterations (both as on real CPUs). Register updates are done last.
//  - No heap allocation per instruction; memory goes through the direct RAM pointer when
//    the physical range lies inside GuestBus::ram().
#pragma once
#include <codemorph/cms/cpu_model.h>
#include <codemorph/cms/cpu_state.h>
#include <codemorph/cms/exceptions.h>
#include <codemorph/cms/guest_bus.h>
#include <codemorph/cms/time_source.h>
#include <codemorph/x86/decoder.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

namespace codemorph::cms::detail {

// Thrown (inside the core only) for an instruction or mode that is not implemented yet.
struct Unimplemented {
  std::string what;
};

enum class Access : uint8_t { Read, Write, Execute };

// One 8-byte segment or gate descriptor (SDM Vol. 3A 3.4.5, Figure 3-8; gates 5.8.3, 6.11).
struct Descriptor {
  uint32_t lo = 0, hi = 0;
  uint32_t base() const { return (lo >> 16) | ((hi & 0xFFu) << 16) | (hi & 0xFF000000u); }
  uint32_t limit() const {  // byte-granular effective limit (G scales by 4 KiB)
    const uint32_t l = (lo & 0xFFFFu) | (hi & 0xF0000u);
    return (hi & 0x800000u) ? ((l << 12) | 0xFFFu) : l;
  }
  unsigned type() const { return (hi >> 8) & 0xFu; }
  bool isSegment() const { return (hi & 0x1000u) != 0; }  // S = 1: code or data
  unsigned dpl() const { return (hi >> 13) & 3u; }
  bool present() const { return (hi & 0x8000u) != 0; }
  bool isCode() const { return isSegment() && (hi & 0x800u) != 0; }
  bool isData() const { return isSegment() && (hi & 0x800u) == 0; }
  bool conforming() const { return isCode() && (hi & 0x400u) != 0; }
  bool readable() const { return isData() || (isCode() && (hi & 0x200u) != 0); }
  bool writable() const { return isData() && (hi & 0x200u) != 0; }
  uint16_t accessRights() const { return static_cast<uint16_t>((hi >> 8) & 0xF0FFu); }
  // Gates: selector, offset (32-bit gates use the high word), parameter count.
  uint16_t gateSelector() const { return static_cast<uint16_t>(lo >> 16); }
  uint32_t gateOffset() const {
    return (lo & 0xFFFFu) | ((type() & 8u) ? (hi & 0xFFFF0000u) : 0u);
  }
  unsigned gateParams() const { return hi & 0x1Fu; }
};
// System descriptor types (Vol. 3A Table 3-2).
enum SysType : unsigned {
  kTss16Avail = 1, kLdtType = 2, kTss16Busy = 3, kCallGate16 = 4, kTaskGate = 5,
  kIntGate16 = 6, kTrapGate16 = 7, kTss32Avail = 9, kTss32Busy = 11, kCallGate32 = 12,
  kIntGate32 = 14, kTrapGate32 = 15,
};

inline constexpr uint32_t sizeMask(unsigned size) {
  return size == 1 ? 0xFFu : size == 2 ? 0xFFFFu : 0xFFFFFFFFu;
}
inline constexpr uint32_t signBit(unsigned size) { return 1u << (size * 8 - 1); }
inline constexpr uint32_t signExtend(uint32_t v, unsigned size) {
  return size == 1 ? static_cast<uint32_t>(static_cast<int8_t>(v))
         : size == 2 ? static_cast<uint32_t>(static_cast<int16_t>(v))
                     : v;
}

// One entry of the decoded-instruction cache (interpreter.cpp). Key: physical address
// of the first byte and the code size (CS.D); the CPU profile is fixed per Core. The
// entry also holds the instruction bytes it was decoded from (bytes & mask: the first
// `length` bytes); a lookup hits only if RAM still holds exactly those bytes.
struct DecodeCacheEntry {
  uint32_t pa = ~0u;  // ~0u: empty (no cached instruction can start there)
  bool code32 = false;
  uint8_t length = 0;
  uint64_t bytes[2] = {0, 0};
  uint64_t mask[2] = {0, 0};
  x86::DecodedInsn insn{};
};
inline constexpr unsigned kDecodeCacheEntries = 1024;  // direct-mapped, power of two

class Core {
 public:
  Core(GuestBus& bus, const CpuModel& model);

  CpuState s;
  GuestBus& bus;
  const CpuModel& model;
  const x86::ProfileInfo& decodeInfo;
  StopInfo stop;

  // External events (extension point: the platform's PIC drives these).
  bool intrLine = false;
  uint8_t intrVector = 0;
  bool nmiPending = false;
  bool interruptShadow = false;  // after MOV SS / POP SS / STI (Vol. 3A 6.8.3)

  StoreObserver* storeObserver = nullptr;
  TimeSource* timeSource = nullptr;  // RDTSC; null: retired-instruction count

  // Implicit supervisor-mode accesses (descriptor tables, IDT, TSS, and the inner stack
  // during a privilege change) ignore CPL for paging's U/S check (Vol. 3A 4.6).
  bool supervisorAccess = false;

  // Per-instruction context.
  uint32_t insnEip = 0;   // EIP of the instruction being executed (its first prefix)
  uint32_t nextEip = 0;   // EIP of the following instruction
  bool shadowNext = false;
  int softInt = -1;       // INT n / INT3 / INTO / INT1 to deliver after the instruction
  uint64_t retired = 0;   // instructions completed
  uint64_t tlbFlushEvents = 0;  // INVLPG and CR0/CR3/CR4 writes (Interpreter::tlbFlushEvents)

  // --- interpreter.cpp: fetch/decode/dispatch loop.
  std::unique_ptr<DecodeCacheEntry[]> decodeCache;  // kDecodeCacheEntries, see step()
  StopReason step();
  void execute(const x86::DecodedInsn& in);
  [[noreturn]] void unimplemented(const char* what, const x86::DecodedInsn* in = nullptr);

  // --- registers (inline below).
  uint32_t reg(x86::Reg r) const;
  void setReg(x86::Reg r, uint32_t v);
  uint32_t gpr(unsigned n, unsigned size) const;
  void setGpr(unsigned n, unsigned size, uint32_t v);
  bool flag(uint32_t bit) const { return (s.eflags & bit) != 0; }
  void setFlag(uint32_t bit, bool on) { s.eflags = on ? (s.eflags | bit) : (s.eflags & ~bit); }

  // Protected mode proper: PE = 1 and not virtual-8086 (descriptor-based segmentation).
  bool pm() const { return (s.cr[0] & kCr0PE) != 0 && (s.eflags & kVM) == 0; }
  unsigned iopl() const { return (s.eflags >> 12) & 3; }

  // --- segmentation.cpp: logical -> linear with limit and rights checks (Vol. 3A 3.4, 5.3-5.5).
  uint32_t linear(unsigned seg, uint32_t offset, unsigned size, Access acc);
  void loadSegment(unsigned seg, uint16_t selector);  // MOV/POP Sreg, LDS..., far jumps
  uint8_t limitFaultVector(unsigned seg) const;

  // --- descriptors.cpp: descriptor tables and protected-mode segment loads (Vol. 3A 3.4-3.5, 5.4-5.7).
  Descriptor readDescriptor(uint16_t selector, uint8_t vector, uint32_t ext);
  bool tryReadDescriptor(uint16_t selector, Descriptor& d);  // false: outside GDT/LDT
  void setAccessed(uint16_t selector, Descriptor& d);
  static void loadCache(SegmentCache& c, uint16_t selector, const Descriptor& d);
  void loadSegmentPm(unsigned seg, uint16_t selector);
  void loadStackSegment(uint16_t selector, unsigned newCpl, uint8_t vector, uint32_t ext);
  void nullDataSegmentsForCpl();  // after a return to an outer privilege level (Vol. 3A 5.8.6)
  void innerStackFromTss(unsigned dpl, uint16_t& ss, uint32_t& esp, uint32_t ext);
  // System accesses by linear address (implicitly supervisor).
  uint32_t readSys(uint32_t lin, unsigned size);
  void writeSys(uint32_t lin, unsigned size, uint32_t value);

  // --- system_tables.cpp: LLDT LTR SLDT STR LAR LSL VERR VERW ARPL (Vol. 2, 3A 3.5, 5.10).
  void execSystemTables(const x86::DecodedInsn& in);

  // --- far_transfer.cpp: protected-mode far JMP/CALL/RET/IRET, call gates, V86 IRET (Vol. 3A 5.8, 20.2).
  void farJumpPm(uint16_t selector, uint32_t offset, unsigned opSize);
  void farCallPm(uint16_t selector, uint32_t offset, unsigned opSize, uint32_t returnEip);
  void farReturnPm(unsigned opSize, uint32_t immBytes);
  void iretPm(unsigned opSize);
  void iretV86(unsigned opSize);
  void enterV86(uint32_t eflags, uint32_t eip, uint16_t cs, uint32_t spv);

  // --- memory.cpp: linear/physical accesses through the bus.
  uint32_t physical(uint32_t linearAddr, Access acc) {
    const uint32_t pa = (s.cr[0] & kCr0PG) ? translate(linearAddr, acc) : linearAddr;
    return s.a20 ? pa : (pa & ~(1u << 20));
  }
  // --- paging.cpp: 32-bit paging walk with 4 KiB/4 MiB pages, A/D bits, #PF (Vol. 3A 4.3-4.8).
  uint32_t translate(uint32_t linearAddr, Access acc);
  uint32_t readLinear(uint32_t lin, unsigned size);
  void writeLinear(uint32_t lin, unsigned size, uint32_t value);
  uint32_t read(unsigned seg, uint32_t offset, unsigned size) {
    return readLinear(linear(seg, offset, size, Access::Read), size);
  }
  void write(unsigned seg, uint32_t offset, unsigned size, uint32_t value) {
    writeLinear(linear(seg, offset, size, Access::Write), size, value);
  }

  // --- operands.cpp: decoded operands -> values.
  uint32_t effectiveAddress(const x86::DecodedInsn& in, const x86::Operand& op) const;
  // Register and immediate operands inline (the hot path), memory out of line.
  uint32_t readOperand(const x86::DecodedInsn& in, const x86::Operand& op) {
    if (op.kind == x86::OpKind::Reg) return reg(op.reg);
    if (op.kind == x86::OpKind::Imm) return op.value;
    return readOperandSlow(in, op);
  }
  void writeOperand(const x86::DecodedInsn& in, const x86::Operand& op, uint32_t v) {
    if (op.kind == x86::OpKind::Reg) return setReg(op.reg, v);
    writeOperandSlow(in, op, v);
  }
  uint32_t readOperandSlow(const x86::DecodedInsn& in, const x86::Operand& op);
  void writeOperandSlow(const x86::DecodedInsn& in, const x86::Operand& op, uint32_t v);
  static unsigned segOf(const x86::Operand& op) { return static_cast<unsigned>(op.seg); }

  // --- stack.cpp: pushes/pops against SS with SP or ESP by SS.B (Vol. 3A 6.2).
  bool stack32() const { return s.seg[kSS].bigDefault(); }
  uint32_t sp() const { return stack32() ? s.gpr[kESP] : (s.gpr[kESP] & 0xFFFF); }
  void setSp(uint32_t v);
  // Push/pop at an explicit stack pointer (callers commit it with setSp at the end).
  void pushAt(uint32_t& spv, unsigned size, uint32_t value);
  uint32_t popAt(uint32_t& spv, unsigned size);
  void push(unsigned size, uint32_t value);
  uint32_t pop(unsigned size);
  void execStack(const x86::DecodedInsn& in);  // PUSH POP PUSHA POPA ENTER LEAVE PUSHF POPF

  // --- flags.cpp / alu.cpp: arithmetic with exact flags (Vol. 1 3.4.3.1, Vol. 2).
  uint32_t add(uint32_t a, uint32_t b, uint32_t carry, unsigned size);
  uint32_t sub(uint32_t a, uint32_t b, uint32_t borrow, unsigned size);
  void logicFlags(uint32_t r, unsigned size);
  void szpFlags(uint32_t r, unsigned size);
  bool condition(unsigned cc) const;  // Vol. 1 App. B tttn
  void writeFlags(uint32_t value, uint32_t writableMask);  // POPF/IRET/SAHF rules
  void execAlu(const x86::DecodedInsn& in);      // ADD..CMP TEST INC DEC NEG NOT
  void execShift(const x86::DecodedInsn& in);    // ROL ROR RCL RCR SHL SHR SAL SAR SHLD SHRD
  void execMulDiv(const x86::DecodedInsn& in);   // MUL IMUL DIV IDIV
  void execBcd(const x86::DecodedInsn& in);      // DAA DAS AAA AAS AAM AAD
  void execBitOps(const x86::DecodedInsn& in);   // BT BTS BTR BTC BSF BSR

  // --- string_ops.cpp (Vol. 2 MOVS..., REP prefixes).
  void execString(const x86::DecodedInsn& in);

  // --- control.cpp: branches, calls, returns, INT/IRET (Vol. 2; Vol. 3A 6.4, 20.1.4).
  void execControl(const x86::DecodedInsn& in);
  void jumpNear(uint32_t target, unsigned opSize);
  void jumpFar(uint16_t selector, uint32_t offset);

  // --- data_move.cpp: MOV XCHG LEA LDS.. XLAT CBW CWD LAHF SAHF MOVSX MOVZX CMOV SETcc ...
  void execDataMove(const x86::DecodedInsn& in);

  // --- system.cpp: HLT CLI STI IN OUT flags ops, descriptor tables, CRn/DRn, ESC, CPUID.
  void execSystem(const x86::DecodedInsn& in);
  uint32_t portIn(uint16_t port, unsigned size);
  void portOut(uint16_t port, unsigned size, uint32_t value);
  // --- io_permission.cpp: IOPL and the TSS I/O permission bitmap (Vol. 1 18.5; Vol. 3A 20.2.8).
  void checkIoPermission(uint16_t port, unsigned size) {
    if ((s.cr[0] & kCr0PE) && (s.v86() || s.cpl > iopl())) checkIoBitmap(port, size);
  }
  void checkIoBitmap(uint16_t port, unsigned size);
  // --- cpuid_msr.cpp: CPUID, RDTSC, RDMSR, WRMSR, RDPMC (Vol. 2A CPUID; Vol. 3B 17.17).
  void execCpuidMsr(const x86::DecodedInsn& in);
  uint64_t timeStampCounter() const;

  // --- exceptions.cpp: delivery (real mode IVT now; IDT gates later), #DF, shutdown.
  [[noreturn]] static void raise(uint8_t vector) { throw GuestFault{vector, false, 0}; }
  [[noreturn]] static void raise(uint8_t vector, uint32_t errorCode) {
    throw GuestFault{vector, true, errorCode};
  }
  // Delivers an exception or interrupt; returnEip is what is pushed. Handles nesting into
  // #DF and shutdown; returns false if the machine shut down (stop is filled in).
  bool deliver(const GuestFault& f, uint32_t returnEip, bool software);
  void deliverOne(uint8_t vector, bool hasError, uint32_t errorCode, uint32_t returnEip,
                  bool software);
  // --- idt_delivery.cpp: protected-mode/V86 delivery through IDT gates (Vol. 3A 6.10-6.14, 20.3).
  void deliverPm(uint8_t vector, bool hasError, uint32_t errorCode, uint32_t returnEip,
                 bool software);
  // Set by deliver() for the delivery in progress: INT n/INT3/INTO (gate DPL is checked,
  // EXT = 0) versus exceptions and external interrupts (EXT = 1 in nested error codes).
  bool softwareDpl = false;
};

// ---- registers -----------------------------------------------------------------------
inline uint32_t Core::gpr(unsigned n, unsigned size) const {
  if (size == 1) return n < 4 ? (s.gpr[n] & 0xFF) : ((s.gpr[n - 4] >> 8) & 0xFF);
  return size == 2 ? (s.gpr[n] & 0xFFFF) : s.gpr[n];
}
inline void Core::setGpr(unsigned n, unsigned size, uint32_t v) {
  if (size == 1) {
    if (n < 4)
      s.gpr[n] = (s.gpr[n] & ~0xFFu) | (v & 0xFF);
    else
      s.gpr[n - 4] = (s.gpr[n - 4] & ~0xFF00u) | ((v & 0xFF) << 8);
  } else if (size == 2) {
    s.gpr[n] = (s.gpr[n] & 0xFFFF0000u) | (v & 0xFFFF);
  } else {
    s.gpr[n] = v;
  }
}
inline uint32_t Core::reg(x86::Reg r) const {
  using x86::Reg;
  const auto v = static_cast<unsigned>(r);
  if (v >= static_cast<unsigned>(Reg::AL) && v <= static_cast<unsigned>(Reg::BH))
    return gpr(v - static_cast<unsigned>(Reg::AL), 1);
  if (v >= static_cast<unsigned>(Reg::AX) && v <= static_cast<unsigned>(Reg::DI))
    return gpr(v - static_cast<unsigned>(Reg::AX), 2);
  if (v >= static_cast<unsigned>(Reg::EAX) && v <= static_cast<unsigned>(Reg::EDI))
    return s.gpr[v - static_cast<unsigned>(Reg::EAX)];
  if (v >= static_cast<unsigned>(Reg::ES) && v <= static_cast<unsigned>(Reg::GS))
    return s.seg[v - static_cast<unsigned>(Reg::ES)].selector;
  return 0;
}
inline void Core::setReg(x86::Reg r, uint32_t val) {
  using x86::Reg;
  const auto v = static_cast<unsigned>(r);
  if (v >= static_cast<unsigned>(Reg::AL) && v <= static_cast<unsigned>(Reg::BH))
    setGpr(v - static_cast<unsigned>(Reg::AL), 1, val);
  else if (v >= static_cast<unsigned>(Reg::AX) && v <= static_cast<unsigned>(Reg::DI))
    setGpr(v - static_cast<unsigned>(Reg::AX), 2, val);
  else if (v >= static_cast<unsigned>(Reg::EAX) && v <= static_cast<unsigned>(Reg::EDI))
    s.gpr[v - static_cast<unsigned>(Reg::EAX)] = val;
  else if (v >= static_cast<unsigned>(Reg::ES) && v <= static_cast<unsigned>(Reg::GS))
    loadSegment(v - static_cast<unsigned>(Reg::ES), static_cast<uint16_t>(val));
}

}  // namespace codemorph::cms::detail
