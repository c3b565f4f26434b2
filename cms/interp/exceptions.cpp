// Exception and interrupt delivery (SDM Vol. 3A chapter 6): the class table for double
// faults (Table 6-5), error-code vectors (Table 6-1), real-mode delivery through the IVT
// (Vol. 3A 20.1.4), nesting into #DF and shutdown (triple fault) with the chain recorded.
// Protected-mode and V86 delivery through IDT gates is idt_delivery.cpp. Each delivery
// attempt runs on a CpuState snapshot: a fault during delivery restores the registers
// (Vol. 3A 6.15 "Interrupt 8": the first event's frame is abandoned) before #DF.
#include "core.h"

#include <cstdio>

namespace codemorph::cms {

ExceptionClass exceptionClass(uint8_t vector) {
  switch (vector) {
    case kVecDE: case kVecTS: case kVecNP: case kVecSS: case kVecGP: return ExceptionClass::Contributory;
    case kVecPF: return ExceptionClass::PageFault;
    default: return ExceptionClass::Benign;
  }
}

bool pushesErrorCode(uint8_t vector) {
  return vector == kVecDF || vector == kVecTS || vector == kVecNP || vector == kVecSS || vector == kVecGP ||
         vector == kVecPF || vector == kVecAC;
}

namespace detail {

void Core::deliverOne(uint8_t vector, bool hasError, uint32_t errorCode, uint32_t returnEip,
                      bool software) {
  if (s.protectedMode()) {
    deliverPm(vector, hasError && pushesErrorCode(vector), errorCode, returnEip, software);
    return;
  }
  // Real mode (Vol. 3A 20.1.4; Vol. 2A INT n REAL-ADDRESS-MODE): 4-byte IVT entries at
  // IDTR.base, entry beyond IDTR.limit -> #GP; push FLAGS, CS, IP (16-bit); clear IF TF AC.
  const uint32_t entry = static_cast<uint32_t>(vector) * 4;
  if (entry + 3 > s.idtr.limit) raise(kVecGP, entry + 2);
  uint32_t spv = sp();
  pushAt(spv, 2, s.eflags & 0xFFFF);
  pushAt(spv, 2, s.seg[kCS].selector);
  pushAt(spv, 2, returnEip & 0xFFFF);
  const uint32_t ip = readLinear(s.idtr.base + entry, 2);
  const auto cs = static_cast<uint16_t>(readLinear(s.idtr.base + entry + 2, 2));
  setSp(spv);
  s.eflags &= ~(kIF | kTF | kAC | kRF);
  loadRealModeSegment(s.seg[kCS], cs);
  s.eip = ip;
  s.halted = false;
}

bool Core::deliver(const GuestFault& first, uint32_t returnEip, bool software) {
  std::vector<uint8_t>* chain = nullptr;  // allocated only on the (rare) nested path
  std::vector<uint8_t> local;
  GuestFault cur = first;
  uint32_t ret = returnEip;
  bool soft = software;
  for (int depth = 0;; ++depth) {
    const CpuState saved = s;
    try {
      // INT n / INT3 / INTO check the gate DPL; ICEBP (INT1) does not (Vol. 3A 6.12.1.1).
      softwareDpl = soft && cur.vector != kVecDB;
      deliverOne(cur.vector, cur.hasErrorCode, cur.errorCode, ret, soft);
      return true;
    } catch (const GuestFault& second) {
      const uint32_t cr2 = s.cr[2];
      s = saved;
      s.cr[2] = cr2;
      if (!chain) {
        chain = &local;
        local.push_back(first.vector);
      }
      local.push_back(second.vector);
      const ExceptionClass a = exceptionClass(cur.vector), b = exceptionClass(second.vector);
      const bool shutdown = cur.vector == kVecDF || depth > 8;
      if (shutdown) {
        stop.reason = StopReason::TripleFault;
        stop.cs = s.seg[kCS].selector;
        stop.eip = insnEip;
        stop.exceptionChain = local;
        std::string list;
        for (uint8_t v : local) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "%s%u", list.empty() ? "" : " -> ", v);
          list += buf;
        }
        char msg[160];
        std::snprintf(msg, sizeof msg, "triple fault (shutdown) at %04X:%08X, exception chain %s",
                      stop.cs, stop.eip, list.c_str());
        stop.message = msg;
        return false;
      }
      // Table 6-5: contributory+contributory, page fault+(contributory|page fault) -> #DF.
      const bool df = (a == ExceptionClass::Contributory && b == ExceptionClass::Contributory) ||
                      (a == ExceptionClass::PageFault && b != ExceptionClass::Benign);
      if (df) local.push_back(kVecDF);
      cur = df ? GuestFault{kVecDF, true, 0} : second;
      ret = insnEip;  // the interrupted instruction did not complete
      soft = false;
    }
  }
}

}  // namespace detail
}  // namespace codemorph::cms
