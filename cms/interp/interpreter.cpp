// The fetch/decode/execute loop and the dispatch switch on the decoder's Mnemonic, plus
// the public Interpreter facade. Event priorities at an instruction boundary follow SDM
// Vol. 3A 6.9 (Table 6-2): traps of the previous instruction (single-step), NMI, INTR,
// then fetch; faults of the instruction itself are raised as GuestFault and delivered with
// EIP rolled back to the instruction.
#include <codemorph/cms/interpreter.h>

#include <cstdio>

#include "core.h"

namespace codemorph::cms {
namespace detail {

using x86::Mnemonic;

Core::Core(GuestBus& b, const CpuModel& m)
    : bus(b),
      model(m),
      decodeInfo(x86::profileInfo(m.decodeProfile)),
      decodeCache(std::make_unique<DecodeCacheEntry[]>(kDecodeCacheEntries)) {}

namespace {
inline unsigned decodeCacheIndex(uint32_t pa) {
  return (pa ^ (pa >> 10) ^ (pa >> 20)) & (kDecodeCacheEntries - 1);
}
}  // namespace

void Core::unimplemented(const char* what, const x86::DecodedInsn* in) {
  std::string msg = what;
  if (in) {
    msg += " (";
    msg += x86::mnemonicName(in->mnemonic);
    msg += ")";
  }
  throw Unimplemented{std::move(msg)};
}

void Core::execute(const x86::DecodedInsn& in) {
  if ((in.flags & x86::kInsnPmOnly) && (!s.protectedMode() || s.v86())) raise(kVecUD);
  if ((in.flags & x86::kInsnPrivileged) && s.cpl != 0) raise(kVecGP, 0);
  switch (in.mnemonic) {
    case Mnemonic::ADD: case Mnemonic::ADC: case Mnemonic::SUB: case Mnemonic::SBB:
    case Mnemonic::CMP: case Mnemonic::AND: case Mnemonic::OR: case Mnemonic::XOR:
    case Mnemonic::TEST: case Mnemonic::INC: case Mnemonic::DEC: case Mnemonic::NEG:
    case Mnemonic::NOT:
      execAlu(in); return;
    case Mnemonic::ROL: case Mnemonic::ROR: case Mnemonic::RCL: case Mnemonic::RCR:
    case Mnemonic::SHL: case Mnemonic::SAL: case Mnemonic::SHR: case Mnemonic::SAR:
    case Mnemonic::SHLD: case Mnemonic::SHRD:
      execShift(in); return;
    case Mnemonic::MUL: case Mnemonic::IMUL: case Mnemonic::DIV: case Mnemonic::IDIV:
      execMulDiv(in); return;
    case Mnemonic::DAA: case Mnemonic::DAS: case Mnemonic::AAA: case Mnemonic::AAS:
    case Mnemonic::AAM: case Mnemonic::AAD: case Mnemonic::SALC:
      execBcd(in); return;
    case Mnemonic::BT: case Mnemonic::BTS: case Mnemonic::BTR: case Mnemonic::BTC:
    case Mnemonic::BSF: case Mnemonic::BSR:
      execBitOps(in); return;
    case Mnemonic::MOVS: case Mnemonic::CMPS: case Mnemonic::SCAS: case Mnemonic::LODS:
    case Mnemonic::STOS: case Mnemonic::INS: case Mnemonic::OUTS:
      execString(in); return;
    case Mnemonic::JCC: case Mnemonic::JMP: case Mnemonic::JMPF: case Mnemonic::CALL:
    case Mnemonic::CALLF: case Mnemonic::RET: case Mnemonic::RETF: case Mnemonic::LOOP:
    case Mnemonic::LOOPE: case Mnemonic::LOOPNE: case Mnemonic::JCXZ: case Mnemonic::INT:
    case Mnemonic::INT3: case Mnemonic::INT1: case Mnemonic::INTO: case Mnemonic::IRET:
    case Mnemonic::BOUND:
      execControl(in); return;
    case Mnemonic::PUSH: case Mnemonic::POP: case Mnemonic::PUSHA: case Mnemonic::POPA:
    case Mnemonic::PUSHF: case Mnemonic::POPF: case Mnemonic::ENTER: case Mnemonic::LEAVE:
      execStack(in); return;
    case Mnemonic::MOV:
      if (in.map == 1) execSystem(in); else execDataMove(in);  // 0F 20-23: CRn/DRn
      return;
    case Mnemonic::NOP: case Mnemonic::XCHG: case Mnemonic::LEA: case Mnemonic::LDS:
    case Mnemonic::LES: case Mnemonic::LSS: case Mnemonic::LFS: case Mnemonic::LGS:
    case Mnemonic::XLAT: case Mnemonic::CBW: case Mnemonic::CWD: case Mnemonic::LAHF:
    case Mnemonic::SAHF: case Mnemonic::MOVSX: case Mnemonic::MOVZX: case Mnemonic::CMOVCC:
    case Mnemonic::SETCC: case Mnemonic::BSWAP: case Mnemonic::XADD: case Mnemonic::CMPXCHG:
    case Mnemonic::CMPXCHG8B:
      execDataMove(in); return;
    default:
      execSystem(in); return;  // system, I/O, flag ops, ESC; reports what is unimplemented
  }
}

StopReason Core::step() {
  if (stop.reason == StopReason::TripleFault) return StopReason::TripleFault;
  const bool shadow = interruptShadow;
  interruptShadow = false;
  // External events at the instruction boundary (Vol. 3A 6.9).
  if (!shadow && (nmiPending || (intrLine && flag(kIF)))) {
    insnEip = s.eip;
    const bool nmi = nmiPending;
    nmiPending = false;
    try {
      if (!deliver(GuestFault{nmi ? static_cast<uint8_t>(kVecNMI) : intrVector, false, 0}, s.eip, false))
        return StopReason::TripleFault;
    } catch (const Unimplemented& u) {
      stop = StopInfo{StopReason::Unimplemented, s.seg[kCS].selector, s.eip, {}, u.what};
      return StopReason::Unimplemented;
    }
    return StopReason::None;
  }
  if (s.halted) return StopReason::Halted;

  insnEip = s.eip;
  shadowNext = false;
  softInt = -1;
  const bool singleStep = flag(kTF);
  try {
    // Fetch: at most the length limit, never beyond the CS limit (a longer instruction is
    // a #GP on the limit, Vol. 3A 5.3; segmentation is checked before paging). With paging
    // the first decode attempt stops at the page end; only an instruction that really
    // continues on the next page translates it (and may #PF there, CR2 = that page).
    const SegmentCache& cs = s.seg[kCS];
    const unsigned maxLen = decodeInfo.maxLength;
    unsigned avail = 0;
    if (insnEip <= cs.limit) {
      const uint64_t room = static_cast<uint64_t>(cs.limit) - insnEip + 1;
      avail = room < maxLen ? static_cast<unsigned>(room) : maxLen;
    }
    if (avail == 0) raise(kVecGP, 0);
    const uint32_t lin = cs.base + insnEip;
    unsigned first = avail;
    if (s.cr[0] & kCr0PG) {
      const unsigned pageRoom = 0x1000u - (lin & 0xFFFu);
      if (first > pageRoom) first = pageRoom;
    }
    const uint32_t pa = physical(lin, Access::Execute);
    const auto ram = bus.ram();
    const bool code32 = cs.bigDefault();
    // Decoded-instruction cache (docs/interpreter.md "Decoded-instruction cache"). The
    // fetch above (CS limit, linear -> physical with its #PF and A bits) is unchanged; the
    // cache only replaces decode(). An entry is used only if RAM at `pa` still holds the
    // bytes it was decoded from, so no store (by this CPU, the host, DMA or a harness
    // writing ram() directly) can make it stale, and only if the whole instruction fits
    // in what this fetch may read (`first`: CS limit, length limit, page end), so a
    // shorter CS limit or a page boundary takes the normal path and its fault.
    const bool cacheable = s.a20 && bus.directRead(pa, 16);
    DecodeCacheEntry& ce = decodeCache[decodeCacheIndex(pa)];
    uint64_t raw[2] = {0, 0};
    const x86::DecodedInsn* insn;
    x86::DecodedInsn in;
    if (cacheable) std::memcpy(raw, ram.data() + pa, 16);
    if (cacheable && ce.pa == pa && ce.code32 == code32 && ce.length <= first &&
        (((raw[0] ^ ce.bytes[0]) & ce.mask[0]) | ((raw[1] ^ ce.bytes[1]) & ce.mask[1])) == 0) {
      insn = &ce.insn;
    } else {
      uint8_t buf[16];
      const uint8_t* bytes;
      if (s.a20 && bus.directRead(pa, first)) {
        bytes = ram.data() + pa;
      } else {
        for (unsigned i = 0; i < first; ++i) buf[i] = static_cast<uint8_t>(readLinear(lin + i, 1));
        bytes = buf;
      }
      const x86::DecodeMode mode{static_cast<uint8_t>(code32 ? 32 : 16), model.decodeProfile};
      x86::DecodeStatus st = x86::decode({bytes, first}, mode, in);
      if (st == x86::DecodeStatus::NeedMore && first < avail) {
        if (bytes != buf) std::memcpy(buf, bytes, first);
        for (unsigned i = first; i < avail; ++i) buf[i] = static_cast<uint8_t>(readLinear(lin + i, 1));
        bytes = buf;
        st = x86::decode({buf, avail}, mode, in);
      }
      if (st != x86::DecodeStatus::Ok) {
        if (st == x86::DecodeStatus::NeedMore) raise(kVecGP, 0);  // ran into the CS limit
        raise(x86::exceptionVector(st, model.decodeProfile));
      }
      // Cache only instructions decoded in place from RAM that do not cross a 4 KiB page
      // (so one translation covers them: a hit never skips a second page's #PF).
      if (cacheable && bytes != buf && (pa & 0xFFFu) + in.length <= 0x1000u) {
        ce.pa = pa;
        ce.code32 = code32;
        ce.length = in.length;
        ce.mask[0] = in.length >= 8 ? ~0ull : ((1ull << (8 * in.length)) - 1);
        ce.mask[1] = in.length >= 16 ? ~0ull : in.length <= 8 ? 0ull : ((1ull << (8 * (in.length - 8))) - 1);
        ce.bytes[0] = raw[0] & ce.mask[0];
        ce.bytes[1] = raw[1] & ce.mask[1];
        ce.insn = in;
        insn = &ce.insn;
      } else {
        insn = &in;
      }
    }
    const x86::DecodedInsn& decoded = *insn;
    nextEip = insnEip + decoded.length;
    if (!code32) nextEip &= 0xFFFF;
    execute(decoded);
    s.eip = nextEip;
    ++retired;
    interruptShadow = shadowNext;
    if (softInt >= 0) {
      if (!deliver(GuestFault{static_cast<uint8_t>(softInt), false, 0}, nextEip, true))
        return StopReason::TripleFault;
    } else if (singleStep) {
      s.dr6 |= 1u << 14;  // BS
      if (!deliver(GuestFault{kVecDB, false, 0}, s.eip, false)) return StopReason::TripleFault;
    }
    return s.halted ? StopReason::Halted : StopReason::None;
  } catch (const GuestFault& f) {
    s.eip = insnEip;
    s.halted = false;
    try {
      if (!deliver(f, insnEip, false)) return StopReason::TripleFault;
    } catch (const Unimplemented& u) {
      stop = StopInfo{StopReason::Unimplemented, s.seg[kCS].selector, insnEip, {}, u.what};
      return StopReason::Unimplemented;
    }
    return StopReason::None;
  } catch (const Unimplemented& u) {
    s.eip = insnEip;
    stop = StopInfo{StopReason::Unimplemented, s.seg[kCS].selector, insnEip, {}, u.what};
    char buf[64];
    std::snprintf(buf, sizeof buf, "unimplemented at %04X:%08X: ", stop.cs, stop.eip);
    stop.message = buf + stop.message;
    return StopReason::Unimplemented;
  }
}

}  // namespace detail

// ---- Interpreter facade ----------------------------------------------------------------

Interpreter::Interpreter(GuestBus& bus, const CpuModel& model)
    : core_(std::make_unique<detail::Core>(bus, model)) {
  reset();
}
Interpreter::~Interpreter() = default;

CpuState& Interpreter::state() { return core_->s; }
const CpuState& Interpreter::state() const { return core_->s; }
const CpuModel& Interpreter::model() const { return core_->model; }
const StopInfo& Interpreter::stopInfo() const { return core_->stop; }

void Interpreter::reset() {
  CpuState& s = core_->s;
  s = CpuState{};
  // SDM Vol. 3A 9.1.1, Table 9-1.
  s.eflags = kFixed1;
  s.eip = 0xFFF0;
  for (auto& sc : s.seg) sc = SegmentCache{0, 0x0093, 0, 0xFFFF};
  s.seg[kCS] = SegmentCache{0xF000, 0x009B, 0xFFFF0000u, 0xFFFF};
  s.cr[0] = 0x60000010u & (core_->model.has32 ? 0xFFFFFFFFu : 0u);
  s.idtr = TableRegister{0, 0x3FF};
  s.gdtr = TableRegister{0, 0xFFFF};
  s.ldtr = SegmentCache{0, 0x0082, 0, 0xFFFF};
  s.tr = SegmentCache{0, 0x008B, 0, 0xFFFF};
  core_->stop = StopInfo{};
  core_->intrLine = false;
  core_->nmiPending = false;
  core_->interruptShadow = false;
}

void Interpreter::setRealModeSegments() {
  for (auto& sc : core_->s.seg) {
    sc.base = static_cast<uint32_t>(sc.selector) << 4;
    sc.limit = 0xFFFF;
    sc.access = sc.access == 0 ? 0x0093 : sc.access;
  }
  core_->s.seg[kCS].access = 0x009B;
  core_->s.cpl = 0;
}

StopReason Interpreter::step() { return core_->step(); }

RunResult Interpreter::run(uint64_t maxInstructions) {
  RunResult r;
  const uint64_t start = core_->retired;
  for (uint64_t i = 0; i < maxInstructions; ++i) {
    const StopReason st = core_->step();
    if (st != StopReason::None) {
      r.reason = st;
      break;
    }
  }
  r.instructions = core_->retired - start;
  return r;
}

void Interpreter::setIntr(bool asserted, uint8_t vector) {
  core_->intrLine = asserted;
  core_->intrVector = vector;
}
void Interpreter::setStoreObserver(StoreObserver* observer) { core_->storeObserver = observer; }
void Interpreter::setTimeSource(TimeSource* source) { core_->timeSource = source; }
uint64_t Interpreter::retired() const { return core_->retired; }
void Interpreter::raiseNmi() { core_->nmiPending = true; }
uint64_t Interpreter::tlbFlushEvents() const { return core_->tlbFlushEvents; }
LinearTranslation Interpreter::translateLinear(uint32_t linear, Access access) {
  CpuState& s = core_->s;
  const uint32_t cr2 = s.cr[2];
  const detail::Access acc = access == Access::Write     ? detail::Access::Write
                             : access == Access::Execute ? detail::Access::Execute
                                                         : detail::Access::Read;
  try {
    return {true, core_->physical(linear, acc), 0};
  } catch (const GuestFault& f) {
    s.cr[2] = cr2;
    return {false, 0, f.errorCode};
  }
}
bool Interpreter::interruptWindowOpen() const {
  return (core_->s.eflags & kIF) != 0 && !core_->interruptShadow &&
         core_->stop.reason != StopReason::TripleFault;
}

}  // namespace codemorph::cms
