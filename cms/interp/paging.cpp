// 32-bit paging (SDM Vol. 3A 4.3): two-level walk from CR3 with 4 KiB pages and, with
// CR4.PSE, 4 MiB pages (PDE.PS); U/S and R/W rights with CR0.WP (4.6); accessed and dirty
// bits (4.8); page faults with CR2 and the error code P | W/R | U/S | RSVD (4.7). There is
// no TLB: every access walks the tables, which is one legal TLB (the SDM lets a CPU miss
// at any time), so INVLPG and CR3 loads need no flushing work. Only called with CR0.PG=1.
//
// Choices where the SDM leaves room (QEMU agrees with each): the accessed bit of a PDE
// that points to a page table is set while walking, before the PTE is checked; a leaf's
// A (and D for writes) is set only once the access is allowed. Reserved bits of a 4 MiB
// PDE are 21:13 (no PSE-36, as on a Pentium): set with CR4.PSE=1 -> #PF with RSVD and P.
#include "core.h"

namespace codemorph::cms::detail {

namespace {
constexpr uint32_t kP = 1u << 0, kRW = 1u << 1, kUS = 1u << 2, kA = 1u << 5, kD = 1u << 6,
                   kPS = 1u << 7;
constexpr uint32_t kPfPresent = 1u << 0, kPfWrite = 1u << 1, kPfUser = 1u << 2, kPfRsvd = 1u << 3;
constexpr uint32_t kCr4Pse = 1u << 4;
}  // namespace

uint32_t Core::translate(uint32_t lin, Access acc) {
  const bool write = acc == Access::Write;
  const bool user = s.cpl == 3 && !supervisorAccess;
  const uint32_t errBase = (write ? kPfWrite : 0u) | (user ? kPfUser : 0u);
  auto fault = [&](uint32_t bits) {
    s.cr[2] = lin;
    raise(kVecPF, errBase | bits);
  };
  auto readPhys = [&](uint32_t pa) {
    const auto ram = bus.ram();
    if (bus.directRead(pa, 4)) {
      uint32_t v;
      std::memcpy(&v, ram.data() + pa, 4);
      return v;
    }
    return bus.readPhysical(pa, 4);
  };
  auto writePhys = [&](uint32_t pa, uint32_t v) {
    const auto ram = bus.ram();
    if (bus.directWrite(pa, 4))
      std::memcpy(ram.data() + pa, &v, 4);
    else
      bus.writePhysical(pa, 4, v);
    if (storeObserver) storeObserver->onStore(pa, 4);
  };
  const bool wp = (s.cr[0] & kCr0WP) != 0;
  // Vol. 3A 4.6: user accesses need U/S=1 at both levels, user writes R/W=1 at both;
  // supervisor writes need R/W=1 only with CR0.WP=1.
  auto allowed = [&](uint32_t rights) {
    if (user && !(rights & kUS)) return false;
    if (write && !(rights & kRW) && (user || wp)) return false;
    return true;
  };

  const uint32_t pdeAddr = (s.cr[3] & 0xFFFFF000u) | ((lin >> 20) & 0xFFCu);
  uint32_t pde = readPhys(pdeAddr);
  if (!(pde & kP)) fault(0);
  if ((pde & kPS) && (s.cr[4] & kCr4Pse)) {
    if (pde & 0x003FE000u) fault(kPfPresent | kPfRsvd);
    if (!allowed(pde)) fault(kPfPresent);
    const uint32_t want = kA | (write ? kD : 0u);
    if ((pde & want) != want) writePhys(pdeAddr, pde | want);
    return (pde & 0xFFC00000u) | (lin & 0x003FFFFFu);
  }
  if (!(pde & kA)) {
    pde |= kA;
    writePhys(pdeAddr, pde);
  }
  const uint32_t pteAddr = (pde & 0xFFFFF000u) | ((lin >> 10) & 0xFFCu);
  const uint32_t pte = readPhys(pteAddr);
  if (!(pte & kP)) fault(0);
  if (!allowed(pde & pte)) fault(kPfPresent);
  const uint32_t want = kA | (write ? kD : 0u);
  if ((pte & want) != want) writePhys(pteAddr, pte | want);
  return (pte & 0xFFFFF000u) | (lin & 0xFFFu);
}

}  // namespace codemorph::cms::detail
