// The ISS outside its hot loop: construction and reset, special registers, memory and
// page attributes, the speculation hardware's commit/rollback/TLB operations, the CoreApi
// wrapper and checkpoints. Stats registration is in stats.cpp, the hot loop in
// execute.cpp. Rules: docs/iss.md.
#include "codemorph/hostisa/iss/iss.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>

#include "codemorph/support/serialize.h"
#include "iss_core.h"

namespace codemorph::hostisa::iss {

std::string_view stopReasonName(StopReason r) {
  switch (r) {
    case StopReason::Running: return "running";
    case StopReason::Halted: return "halted";
    case StopReason::DoubleTrap: return "double-trap";
    case StopReason::UnhandledTrap: return "unhandled-trap";
    case StopReason::UnhandledService: return "unhandled-service";
  }
  return "?";
}

// ---- IssCore ----------------------------------------------------------------------------------
IssCore::IssCore(const IssConfig& cfg)
    : cfg_((cfg.validate(), cfg)),
      memBytes_(cfg.memBytes),
      memPages_(static_cast<unsigned>(cfg.memBytes >> kPageShift)),
      tbitShift_(static_cast<unsigned>(std::countr_zero(cfg.tbitGranule))) {
  for (const SregInfo& s : sregTable()) {
    if (s.shadowed && s.id != Sreg::XFLAGS) shadowedSregs_.push_back(s.number);
    if (s.number < sregKind_.size() && !(sregKind_[s.number] & kSregDefined))  // first entry, as sregInfo()
      sregKind_[s.number] = static_cast<uint8_t>(kSregDefined | (s.writable ? kSregWritable : 0));
  }
  sb_.resize(cfg_.storeBufferEntries);
  tlb_.resize(cfg_.tlbEntries);
  mem_ = std::vector<uint8_t, ZeroedAllocator<uint8_t>>(memBytes_);  // zeroed, without a memset
  tbits_.assign(memPages_, 0);
  ioBits_.assign((1u << (32 - kPageShift)) / 64, 0);
  code_.resize(memPages_);
  crossInto_.assign(memPages_ + 1, 0);
  reset(0);
}

void IssCore::reset(uint32_t pc) {
  regs_.fill(0);
  shadow_.fill(0);
  sregs_.fill(0);
  shadowSregs_.fill(0);
  pc_ = pc;
  stop_ = {};
  sbCount_ = 0;
  sbLo_ = UINT64_MAX;
  sbHi_ = 0;
  for (AliasReg& a : alias_) a = {};
  for (TlbEntry& e : tlb_) e = {};
  tlbNext_ = 0;
  tlbHint_.fill(0);
  now_ = 0;
  ready_.fill(0);
  producer_.fill(0);
}

void IssCore::writeSregArch(unsigned n, uint32_t v) {
  if (n >= sregKind_.size() || !(sregKind_[n] & kSregWritable)) return;  // read-only: ignored (sregs.def)
  if (n == static_cast<unsigned>(Sreg::XFLAGS))
    regs_[kFlagsRegIndex] = v & kXflagsMask;
  else
    sregs_[n] = v;
}

void IssCore::writeSregHost(unsigned n, uint32_t v) {
  if (!sregDefined(n)) return;
  switch (n) {
    case static_cast<unsigned>(Sreg::CYCLE_LO):
    case static_cast<unsigned>(Sreg::CYCLE_HI):
    case static_cast<unsigned>(Sreg::SBCOUNT): return;
    case static_cast<unsigned>(Sreg::XFLAGS): regs_[kFlagsRegIndex] = v & kXflagsMask; return;
    default: sregs_[n] = v;
  }
}

void IssCore::invalidateCode(uint32_t paddr, uint32_t len) {
  if (len == 0) return;
  const uint64_t lastByte = std::min<uint64_t>(uint64_t{paddr} + len - 1, memBytes_ - 1);
  for (uint64_t p = paddr >> kPageShift; p <= (lastByte >> kPageShift); ++p) {
    auto bump = [&](uint64_t q) {
      CodePage* cp = code_[q].get();
      if (!cp) return;
      if (++cp->gen == 0) {  // generation wrap: forget every molecule of the page
        for (DecodedMolecule& m : cp->mols) m.gen = 0;
        cp->gen = 1;
      }
    };
    bump(p);
    if (p > 0 && crossInto_[p]) bump(p - 1);
  }
}

void IssCore::writeMem(uint32_t paddr, const void* src, uint32_t len) {
  std::memcpy(mem_.data() + paddr, src, len);
  invalidateCode(paddr, len);
}

void IssCore::drainStoreBuffer() {
  for (unsigned i = 0; i < sbCount_; ++i) writeMem(sb_[i].paddr, &sb_[i].value, sb_[i].size);
  sbCount_ = 0;
  sbLo_ = UINT64_MAX;
  sbHi_ = 0;
}

void IssCore::commit() {
  drainStoreBuffer();
  std::copy(regs_.begin() + kFirstShadowed, regs_.begin() + kLastShadowed + 1, shadow_.begin() + kFirstShadowed);
  shadow_[kFlagsRegIndex] = regs_[kFlagsRegIndex];
  for (uint8_t n : shadowedSregs_) shadowSregs_[n] = sregs_[n];
  for (AliasReg& a : alias_) a.valid = false;
}

void IssCore::rollback() {
  std::copy(shadow_.begin() + kFirstShadowed, shadow_.begin() + kLastShadowed + 1, regs_.begin() + kFirstShadowed);
  regs_[kFlagsRegIndex] = shadow_[kFlagsRegIndex];
  for (uint8_t n : shadowedSregs_) sregs_[n] = shadowSregs_[n];
  sbCount_ = 0;
  sbLo_ = UINT64_MAX;
  sbHi_ = 0;
  for (AliasReg& a : alias_) a.valid = false;
}

void IssCore::tlbWrite(uint32_t linear, uint32_t value) {
  const uint32_t vpn = linear >> kPageShift;
  value &= ~kPageMask | kTlbValid | kTlbWritable | kTlbDirtyOk;
  for (TlbEntry& e : tlb_) {
    if ((e.value & kTlbValid) && e.vpn == vpn) {
      e.value = value;  // replace (or, without kTlbValid, remove) the page's entry
      return;
    }
  }
  if (!(value & kTlbValid)) return;
  tlb_[tlbNext_] = {vpn, value};
  tlbNext_ = (tlbNext_ + 1) % static_cast<unsigned>(tlb_.size());
}

void IssCore::tlbFlushAll() {
  for (TlbEntry& e : tlb_) e = {};
  tlbNext_ = 0;
}

// ---- Iss: the CoreApi wrapper -------------------------------------------------------------------
Iss::Iss(const IssConfig& config) : core_(std::make_unique<IssCore>(config)) { core_->api_ = this; }
Iss::~Iss() = default;

const IssConfig& Iss::config() const { return core_->cfg_; }
void Iss::reset(uint32_t resetPc) { core_->reset(resetPc); }
bool Iss::step() { return core_->step(); }
RunResult Iss::run(uint64_t maxCycles, uint64_t maxSteps) { return core_->run(maxCycles, maxSteps); }
bool Iss::stopped() const { return core_->stop_.reason != StopReason::Running; }
StopInfo Iss::stopInfo() const { return core_->stop_; }
void Iss::resume() { core_->stop_ = {}; }
uint64_t Iss::cycles() const { return core_->now_; }
void Iss::advanceCycles(uint64_t n) { core_->now_ += n; }
uint32_t Iss::pc() const { return core_->pc_; }
void Iss::setPc(uint32_t pc) { core_->pc_ = pc; }

uint32_t Iss::reg(unsigned index) const { return index < kNumRegs ? core_->regs_[index] : 0; }
void Iss::setReg(unsigned index, uint32_t value) {
  if (index != kZeroReg && index < kNumRegs) core_->regs_[index] = value;
}
uint32_t Iss::shadowReg(unsigned index) const { return isShadowed(index) ? core_->shadow_[index] : 0; }
void Iss::setShadowReg(unsigned index, uint32_t value) {
  if (isShadowed(index)) core_->shadow_[index] = value;
}
uint32_t Iss::sreg(unsigned number) const { return core_->sregDefined(number) ? core_->readSreg(number, core_->now_) : 0; }
void Iss::setSreg(unsigned number, uint32_t value) { core_->writeSregHost(number, value); }
uint32_t Iss::shadowSreg(unsigned number) const {
  const SregInfo* info = sregInfo(number);
  if (!info || !info->shadowed) return 0;
  if (number == static_cast<unsigned>(Sreg::XFLAGS)) return core_->shadow_[kFlagsRegIndex];
  return core_->shadowSregs_[number];
}

uint64_t Iss::memorySize() const { return core_->memBytes_; }

static void checkRange(uint64_t paddr, uint64_t len, uint64_t size) {
  if (paddr + len > size) throw std::out_of_range("codemorph ISS: physical range outside memory");
}

void Iss::readMemory(uint32_t paddr, std::span<uint8_t> out) const {
  checkRange(paddr, out.size(), core_->memBytes_);
  if (!out.empty()) std::memcpy(out.data(), core_->mem_.data() + paddr, out.size());
}

void Iss::writeMemory(uint32_t paddr, std::span<const uint8_t> data) {
  checkRange(paddr, data.size(), core_->memBytes_);
  if (!data.empty()) core_->writeMem(paddr, data.data(), static_cast<uint32_t>(data.size()));
}

std::span<uint8_t> Iss::directMemory() { return {core_->mem_.data(), static_cast<size_t>(core_->memBytes_)}; }

void Iss::setTranslated(uint32_t paddr, uint32_t len, bool translated) {
  checkRange(paddr, len, core_->memBytes_);
  if (len == 0) return;
  const unsigned shift = core_->tbitShift_;
  for (uint64_t g = paddr >> shift; g <= (uint64_t{paddr} + len - 1) >> shift; ++g) {
    const uint64_t byte = g << shift;
    uint64_t& bits = core_->tbits_[byte >> kPageShift];
    const uint64_t bit = uint64_t{1} << ((byte & kPageMask) >> shift);
    bits = translated ? bits | bit : bits & ~bit;
  }
}

bool Iss::isTranslated(uint32_t paddr) const {
  if (paddr >= core_->memBytes_) return false;
  return (core_->tbits_[paddr >> kPageShift] >> ((paddr & kPageMask) >> core_->tbitShift_)) & 1u;
}

void Iss::setIoSpace(uint32_t paddr, uint32_t len, bool io) {
  if (len == 0) return;
  const uint64_t last = std::min<uint64_t>(uint64_t{paddr} + len - 1, 0xFFFFFFFFull);
  for (uint64_t p = paddr >> kPageShift; p <= (last >> kPageShift); ++p) {
    uint64_t& w = core_->ioBits_[p >> 6];
    w = io ? w | (uint64_t{1} << (p & 63)) : w & ~(uint64_t{1} << (p & 63));
    // Cached fetch decisions depend on the attribute.
    if ((p << kPageShift) < core_->memBytes_) core_->invalidateCode(static_cast<uint32_t>(p << kPageShift), kPageSize);
  }
}

bool Iss::isIoSpace(uint32_t paddr) const { return core_->ioPage(paddr >> kPageShift); }
void Iss::tlbInsert(uint32_t linear, uint32_t entry) { core_->tlbWrite(linear, entry); }
void Iss::tlbFlush() { core_->tlbFlushAll(); }
unsigned Iss::storeBufferOccupancy() const { return core_->sbCount_; }
void Iss::setServiceHandler(ServiceHandler* handler) { core_->service_ = handler; }
void Iss::setIoBus(IoBus* bus) { core_->bus_ = bus; }
void Iss::setMemoryTiming(MemoryTiming* timing) { core_->memTiming_ = timing; }
bool Iss::setRunAccounting(const RunAccounting* accounting) {
  core_->acctOn_ = accounting != nullptr;
  core_->acct_ = accounting ? *accounting : RunAccounting{};
  return true;
}

Iss::AliasState Iss::aliasRegister(unsigned index) const {
  const AliasReg& a = core_->alias_.at(index);
  return {a.valid, a.lo, a.len, a.lo2, a.len2};
}

uint64_t Iss::readyCycle(unsigned index) const { return core_->ready_.at(index); }

// ---- checkpoints -----------------------------------------------------------------------------------
namespace {
constexpr uint32_t kCheckpointVersion = 1;

template <typename T, size_t N>
void putArray(support::OutArchive& out, const std::array<T, N>& a) {
  for (const T& v : a) out.put(v);
}
template <typename T, size_t N>
void getArray(support::InArchive& in, std::array<T, N>& a) {
  for (T& v : a) in.get(v);
}
// Structs with padding are written field by field so checkpoint files are byte-for-byte
// reproducible.
void putStop(support::OutArchive& out, const StopInfo& s) {
  out.put(static_cast<uint8_t>(s.reason));
  out.put(static_cast<uint8_t>(s.cause));
  out.put(s.pc);
  out.put(s.tval);
  out.put(s.service);
}
StopInfo getStop(support::InArchive& in) {
  StopInfo s;
  s.reason = static_cast<StopReason>(in.get<uint8_t>());
  s.cause = static_cast<TrapCause>(in.get<uint8_t>());
  in.get(s.pc);
  in.get(s.tval);
  in.get(s.service);
  return s;
}
void putAlias(support::OutArchive& out, const AliasReg& a) {
  out.put<uint8_t>(a.valid ? 1 : 0);
  out.put(a.lo);
  out.put(a.len);
  out.put(a.lo2);
  out.put(a.len2);
}
AliasReg getAlias(support::InArchive& in) {
  AliasReg a;
  a.valid = in.get<uint8_t>() != 0;
  in.get(a.lo);
  in.get(a.len);
  in.get(a.lo2);
  in.get(a.len2);
  return a;
}
}  // namespace

void Iss::saveCheckpoint(support::OutArchive& out) const {
  const IssCore& c = *core_;
  out.beginSection("iss", kCheckpointVersion);
  // Configuration fingerprint: the shape of the state that follows.
  out.put<uint64_t>(c.memBytes_);
  out.put<uint32_t>(c.cfg_.storeBufferEntries);
  out.put<uint32_t>(c.cfg_.aliasRegisters);
  out.put<uint32_t>(c.cfg_.tlbEntries);
  out.put<uint32_t>(c.cfg_.tbitGranule);
  // Architectural state.
  putArray(out, c.regs_);
  putArray(out, c.shadow_);
  putArray(out, c.sregs_);
  putArray(out, c.shadowSregs_);
  out.put(c.pc_);
  putStop(out, c.stop_);
  // Speculation hardware.
  out.put<uint32_t>(c.sbCount_);
  for (unsigned i = 0; i < c.sbCount_; ++i) {
    out.put(c.sb_[i].paddr);
    out.put(c.sb_[i].value);
    out.put(c.sb_[i].size);
  }
  for (const AliasReg& a : c.alias_) putAlias(out, a);
  for (const TlbEntry& e : c.tlb_) out.put(e);
  out.put<uint32_t>(c.tlbNext_);
  // Timing and stats.
  out.put(c.now_);
  putArray(out, c.ready_);
  putArray(out, c.producer_);
  out.put(c.stats_);
  // Memory and attributes.
  out.beginSection("iss.memory", kCheckpointVersion);
  out.putBytes(c.mem_);
  for (uint64_t w : c.tbits_) out.put(w);
  for (uint64_t w : c.ioBits_) out.put(w);
}

void Iss::loadCheckpoint(support::InArchive& in) {
  IssCore& c = *core_;
  in.beginSection("iss", kCheckpointVersion);
  if (in.get<uint64_t>() != c.memBytes_ || in.get<uint32_t>() != c.cfg_.storeBufferEntries ||
      in.get<uint32_t>() != c.cfg_.aliasRegisters || in.get<uint32_t>() != c.cfg_.tlbEntries ||
      in.get<uint32_t>() != c.cfg_.tbitGranule) {
    throw support::CheckpointError("ISS checkpoint: configuration differs from this core's");
  }
  getArray(in, c.regs_);
  getArray(in, c.shadow_);
  getArray(in, c.sregs_);
  getArray(in, c.shadowSregs_);
  in.get(c.pc_);
  c.stop_ = getStop(in);
  const uint32_t sbCount = in.get<uint32_t>();
  if (sbCount > c.sb_.size()) throw support::CheckpointError("ISS checkpoint: store buffer overflow");
  c.sbCount_ = sbCount;
  c.sbLo_ = UINT64_MAX;
  c.sbHi_ = 0;
  for (unsigned i = 0; i < sbCount; ++i) {
    in.get(c.sb_[i].paddr);
    in.get(c.sb_[i].value);
    in.get(c.sb_[i].size);
    if (c.sb_[i].size < 1 || c.sb_[i].size > 4) throw support::CheckpointError("ISS checkpoint: bad store buffer entry");
    c.sbLo_ = std::min<uint64_t>(c.sbLo_, c.sb_[i].paddr);
    c.sbHi_ = std::max<uint64_t>(c.sbHi_, uint64_t{c.sb_[i].paddr} + c.sb_[i].size);
  }
  for (AliasReg& a : c.alias_) a = getAlias(in);
  for (TlbEntry& e : c.tlb_) in.get(e);
  c.tlbNext_ = in.get<uint32_t>() % static_cast<uint32_t>(c.tlb_.size());
  c.tlbHint_.fill(0);
  in.get(c.now_);
  getArray(in, c.ready_);
  getArray(in, c.producer_);
  in.get(c.stats_);
  in.beginSection("iss.memory", kCheckpointVersion);
  in.getBytes(c.mem_);
  for (uint64_t& w : c.tbits_) in.get(w);
  for (uint64_t& w : c.ioBits_) in.get(w);
  c.regs_[0] = 0;
  for (uint8_t& p : c.producer_) p = static_cast<uint8_t>(p % kNumTimingClasses);
  // Every pre-decoded molecule is stale now.
  for (auto& page : c.code_) page.reset();
  std::fill(c.crossInto_.begin(), c.crossInto_.end(), 0);
}

}  // namespace codemorph::hostisa::iss
