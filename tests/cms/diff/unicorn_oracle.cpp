// Unicorn wrapper of the differential tests (see unicorn_oracle.h).
#include "unicorn_oracle.h"

#include <unicorn/unicorn.h>

#include <stdexcept>

namespace codemorph::cms::diff {

namespace {
void check(uc_err e, const char* what) {
  if (e != UC_ERR_OK) throw std::runtime_error(std::string("unicorn: ") + what + ": " + uc_strerror(e));
}
}  // namespace

struct OracleHooks {
  static void intr(uc_engine* uc, uint32_t intno, void* self) {
    auto* o = static_cast<UnicornOracle*>(self);
    if (o->current_) o->current_->intno = static_cast<int>(intno);
    uc_emu_stop(uc);
  }
  static bool invalid(uc_engine*, uc_mem_type, uint64_t address, int, int64_t, void* self) {
    auto* o = static_cast<UnicornOracle*>(self);
    if (o->current_) {
      o->current_->badAccess = true;
      o->current_->badAddress = address;
    }
    return false;
  }
};

UnicornOracle::UnicornOracle(const Layout& layout) : l_(layout) {
  check(uc_open(UC_ARCH_X86, l_.mode == Mode::Flat32 ? UC_MODE_32 : UC_MODE_16, &uc_), "uc_open");
  // The modelled CPU is a Pentium II (docs/x86-decoder.md); give QEMU the same model.
  check(uc_ctl_set_cpu_model(uc_, UC_CPU_X86_PENTIUM2), "cpu model");
  // Only the data area is writable: a store anywhere else stops with UC_ERR_WRITE_PROT
  // (memory-write hooks are not used, they change QEMU's flag results, see the header).
  check(uc_mem_map(uc_, 0, l_.dataBase, UC_PROT_READ | UC_PROT_EXEC), "uc_mem_map");
  check(uc_mem_map(uc_, l_.dataBase, l_.dataSize, UC_PROT_ALL), "uc_mem_map");
  check(uc_mem_map(uc_, l_.dataBase + l_.dataSize, l_.ramSize - l_.dataBase - l_.dataSize,
                   UC_PROT_READ | UC_PROT_EXEC),
        "uc_mem_map");
  uc_hook h;
  check(uc_hook_add(uc_, &h, UC_HOOK_INTR, reinterpret_cast<void*>(&OracleHooks::intr), this, 1, 0), "hook intr");
  check(uc_hook_add(uc_, &h, UC_HOOK_MEM_INVALID, reinterpret_cast<void*>(&OracleHooks::invalid), this, 1, 0),
        "hook invalid");
  if (l_.mode == Mode::Real16) probeRealMode();
  check(uc_context_alloc(uc_, &baseline_), "context alloc");
  check(uc_context_save(uc_, baseline_), "context save");
}

// Real mode (UC_MODE_16): depending on the Unicorn release, uc_emu_start's `begin` is
// CS*16+IP or IP, and reading EIP returns IP or CS*16+IP (2.0.1: linear for both). Probe
// both with CS = 0100h and a CALL $+3 at linear 1010h and 2010h: the pushed return IP
// (13h or 1013h) tells how `begin` was taken, EIP read back tells how it is reported.
void UnicornOracle::probeRealMode() {
  const uint16_t cs = 0x0100, ss = static_cast<uint16_t>(l_.dataBase >> 4), sp = 0x800;  // stack: data area
  const uint8_t call[4] = {0xE8, 0x00, 0x00, 0xF4};
  check(uc_reg_write(uc_, UC_X86_REG_CS, &cs), "probe cs");
  check(uc_reg_write(uc_, UC_X86_REG_SS, &ss), "probe ss");
  check(uc_reg_write(uc_, UC_X86_REG_SP, &sp), "probe sp");
  check(uc_mem_write(uc_, 0x1010, call, 4), "probe write");  // uc_mem_write ignores protection
  check(uc_mem_write(uc_, 0x2010, call, 4), "probe write");
  check(uc_emu_start(uc_, 0x1010, 0xFFFFFFFFFFFFull, 0, 1), "probe run");
  uint16_t pushed = 0;
  uint32_t eip = 0;
  check(uc_mem_read(uc_, l_.dataBase + 0x7FE, &pushed, 2), "probe read");
  check(uc_reg_read(uc_, UC_X86_REG_EIP, &eip), "probe eip");
  beginIsLinear_ = pushed == 0x13;
  eipReadsLinear_ = eip == 0x1000u + pushed;
  const uint8_t zeros[4] = {0, 0, 0, 0};
  check(uc_mem_write(uc_, 0x1010, zeros, 4), "probe clean");
  check(uc_mem_write(uc_, 0x2010, zeros, 4), "probe clean");
  check(uc_mem_write(uc_, l_.dataBase + 0x7FE, zeros, 2), "probe clean");
  check(uc_ctl_remove_cache(uc_, 0x1000, 0x3000), "probe cache");
}

// Only valid after uc_emu_start (2.0.1 reports back a written EIP unchanged).
uint32_t UnicornOracle::ip() {
  uint32_t eip = 0;
  check(uc_reg_read(uc_, UC_X86_REG_EIP, &eip), "eip read");
  return eipReadsLinear_ ? eip - csBase_ : eip;
}

UnicornOracle::~UnicornOracle() {
  if (baseline_) uc_context_free(baseline_);
  if (uc_) uc_close(uc_);
}

void UnicornOracle::writeMemory(const std::vector<uint8_t>& ram, uint32_t begin, uint32_t size) {
  check(uc_mem_write(uc_, begin, ram.data() + begin, size), "mem write");
}

void UnicornOracle::readMemory(uint32_t begin, void* out, uint32_t size) {
  check(uc_mem_read(uc_, begin, out, size), "mem read");
}

void UnicornOracle::flushCode(uint32_t begin, uint32_t size) {
  check(uc_ctl_remove_cache(uc_, static_cast<uint64_t>(begin), static_cast<uint64_t>(begin) + size), "remove cache");
}

void UnicornOracle::setState(const CpuState& s) {
  check(uc_context_restore(uc_, baseline_), "context restore");
  static constexpr int kGpr[8] = {UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_EBX,
                                  UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI};
  if (l_.mode == Mode::Real16) {
    static constexpr int kSeg[kNumSegs] = {UC_X86_REG_ES, UC_X86_REG_CS, UC_X86_REG_SS,
                                           UC_X86_REG_DS, UC_X86_REG_FS, UC_X86_REG_GS};
    for (unsigned i = 0; i < kNumSegs; ++i) {
      uint16_t sel = s.seg[i].selector;
      check(uc_reg_write(uc_, kSeg[i], &sel), "segment write");
    }
    csBase_ = static_cast<uint32_t>(s.seg[kCS].selector) << 4;
  }
  for (unsigned i = 0; i < 8; ++i) {
    uint32_t v = s.gpr[i];
    check(uc_reg_write(uc_, kGpr[i], &v), "gpr write");
  }
  uint32_t f = s.eflags, ip = s.eip;
  check(uc_reg_write(uc_, UC_X86_REG_EFLAGS, &f), "eflags write");
  check(uc_reg_write(uc_, UC_X86_REG_EIP, &ip), "eip write");
}

RegState UnicornOracle::regs(bool afterFault) {
  static int ids[10] = {UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_EBX, UC_X86_REG_ESP,
                        UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI, UC_X86_REG_EIP, UC_X86_REG_EFLAGS};
  RegState r{};
  void* ptrs[10];
  for (unsigned i = 0; i < 8; ++i) ptrs[i] = &r.gpr[i];
  ptrs[8] = &r.eip;
  ptrs[9] = &r.eflags;
  check(uc_reg_read_batch(uc_, ids, ptrs, 10), "reg read");
  if (eipReadsLinear_ && !afterFault) r.eip -= csBase_;
  return r;
}

void UnicornOracle::setGpr(unsigned n, uint32_t v) {
  static constexpr int kGpr[8] = {UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_EBX,
                                  UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI};
  check(uc_reg_write(uc_, kGpr[n], &v), "gpr write");
}

std::string UnicornOracle::StepResult::errorText() const {
  return uc_strerror(static_cast<uc_err>(error));
}

UnicornOracle::StepResult UnicornOracle::step(uint32_t startEip, bool repString) {
  StepResult r;
  current_ = &r;
  const uint32_t start = startEip;
  uint32_t eip = start;
  constexpr uint64_t kUntil = 0xFFFFFFFFFFFFull;  // never reached: stop by count only
  for (;;) {
    const uint64_t pc = (beginIsLinear_ ? static_cast<uint64_t>(csBase_) : 0u) + eip;
    const uc_err e = uc_emu_start(uc_, pc, kUntil, 0, 1);
    ++r.iterations;
    if (e != UC_ERR_OK) {
      r.error = static_cast<int>(e);
      break;
    }
    if (r.intno >= 0 || r.badAccess || !repString) break;
    eip = ip();
    if (eip != start || r.iterations > 1u << 20) break;
  }
  current_ = nullptr;
  return r;
}

}  // namespace codemorph::cms::diff
