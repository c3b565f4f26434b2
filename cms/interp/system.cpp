// System and miscellaneous instructions: HLT, flag operations (CLC STC CMC CLD STD CLI
// STI), port I/O (IN OUT), the 286 system instructions usable in real mode (LGDT LIDT SGDT
// SIDT SMSW LMSW CLTS), MOV to/from CRn/DRn (386+), WAIT and ESC without a coprocessor.
// CLI/STI are IOPL-sensitive (Vol. 2A CLI: CPL > IOPL -> #GP(0); no VME/PVI); IN/OUT go
// through the I/O permission check of io_permission.cpp. CPL-0-only instructions are
// checked generically in Core::execute (the decoder's kInsnPrivileged). The 286 PM system
// instructions are system_tables.cpp; CPUID/RDTSC/MSRs cpuid_msr.cpp.
#include "core.h"

namespace codemorph::cms::detail {

using x86::Mnemonic;
using x86::OpKind;
using x86::Reg;

namespace {
constexpr uint32_t kCr4Tsd = 1u << 2, kCr4De = 1u << 3, kCr4Pse = 1u << 4;
// CR4 bits of the implemented features (TSD, DE: DR4/DR5 #UD only, PSE); others #GP(0).
constexpr uint32_t kCr4Implemented = kCr4Tsd | kCr4De | kCr4Pse;
}  // namespace

uint32_t Core::portIn(uint16_t port, unsigned size) {
  checkIoPermission(port, size);
  return bus.portIn(port, size) & sizeMask(size);
}

void Core::portOut(uint16_t port, unsigned size, uint32_t value) {
  checkIoPermission(port, size);
  bus.portOut(port, size, value & sizeMask(size));
}

void Core::execSystem(const x86::DecodedInsn& in) {
  const unsigned os = in.opSize;
  switch (in.mnemonic) {
    case Mnemonic::HLT: s.halted = true; return;
    case Mnemonic::CLC: setFlag(kCF, false); return;
    case Mnemonic::STC: setFlag(kCF, true); return;
    case Mnemonic::CMC: setFlag(kCF, !flag(kCF)); return;
    case Mnemonic::CLD: setFlag(kDF, false); return;
    case Mnemonic::STD: setFlag(kDF, true); return;
    case Mnemonic::CLI: case Mnemonic::STI:
      if (s.protectedMode() && s.cpl > iopl()) raise(kVecGP, 0);  // V86: CPL is 3
      if (in.mnemonic == Mnemonic::STI && !flag(kIF)) shadowNext = true;  // Vol. 2B STI
      setFlag(kIF, in.mnemonic == Mnemonic::STI);
      return;
    case Mnemonic::IN: {
      const auto port = static_cast<uint16_t>(readOperand(in, in.op[1]) & (in.op[1].kind == OpKind::Imm ? 0xFF : 0xFFFF));
      const unsigned size = in.op[0].size;
      setGpr(kEAX, size, portIn(port, size));
      return;
    }
    case Mnemonic::OUT: {
      const auto port = static_cast<uint16_t>(readOperand(in, in.op[0]) & (in.op[0].kind == OpKind::Imm ? 0xFF : 0xFFFF));
      const unsigned size = in.op[1].size;
      portOut(port, size, gpr(kEAX, size));
      return;
    }
    case Mnemonic::WAIT:
      // No pending x87 exceptions without an FPU; #NM if MP and TS (Vol. 3A 2.5, Table 2-2).
      if ((s.cr[0] & kCr0MP) && (s.cr[0] & kCr0TS)) raise(kVecNM);
      return;
    case Mnemonic::LGDT: case Mnemonic::LIDT: {
      const unsigned seg = segOf(in.op[0]);
      const uint32_t ea = effectiveAddress(in, in.op[0]);
      linear(seg, ea, 6, Access::Read);
      const auto limit = static_cast<uint16_t>(read(seg, ea, 2));
      uint32_t base = read(seg, ea + 2, 4);
      if (os == 2) base &= 0x00FFFFFFu;  // 24-bit base with 16-bit operands (Vol. 2A LGDT)
      TableRegister& t = in.mnemonic == Mnemonic::LGDT ? s.gdtr : s.idtr;
      t.base = base;
      t.limit = limit;
      return;
    }
    case Mnemonic::SGDT: case Mnemonic::SIDT: {
      const unsigned seg = segOf(in.op[0]);
      const uint32_t ea = effectiveAddress(in, in.op[0]);
      linear(seg, ea, 6, Access::Write);
      const TableRegister& t = in.mnemonic == Mnemonic::SGDT ? s.gdtr : s.idtr;
      uint32_t base = t.base;
      if (os == 2) base = (base & 0x00FFFFFFu) | (static_cast<uint32_t>(model.sgdtFillByte) << 24);
      write(seg, ea, 2, t.limit);
      write(seg, ea + 2, 4, base);
      return;
    }
    case Mnemonic::SMSW: {
      const uint32_t v = s.cr[0] | model.cr0Fixed1;
      writeOperand(in, in.op[0], in.op[0].kind == OpKind::Mem ? (v & 0xFFFF) : v);
      return;
    }
    case Mnemonic::LMSW: {
      // Loads PE MP EM TS; PE can be set but not cleared (Vol. 2A LMSW).
      const uint32_t v = readOperand(in, in.op[0]) & 0xF;
      s.cr[0] = (s.cr[0] & ~0xEu) | v | (s.cr[0] & kCr0PE);
      return;
    }
    case Mnemonic::CLTS: s.cr[0] &= ~kCr0TS; return;
    case Mnemonic::MOV: {  // 0F 20-23: MOV r32,CRn / CRn,r32 / r32,DRn / DRn,r32
      const Reg dst = in.op[0].reg, src = in.op[1].reg;
      const auto isCr = [](Reg r) { return r >= Reg::CR0 && r <= Reg::CR7; };
      const auto isDr = [](Reg r) { return r >= Reg::DR0 && r <= Reg::DR7; };
      if (isCr(src)) {
        const unsigned n = static_cast<unsigned>(src) - static_cast<unsigned>(Reg::CR0);
        setReg(dst, n == 0 ? (s.cr[0] | model.cr0Fixed1) : s.cr[n]);
      } else if (isCr(dst)) {
        const unsigned n = static_cast<unsigned>(dst) - static_cast<unsigned>(Reg::CR0);
        const uint32_t v = reg(src);
        if (n == 0) {
          if ((v & kCr0PG) && !(v & kCr0PE)) raise(kVecGP, 0);  // Vol. 3A 2.5
          if ((v & kCr0NW) && !(v & kCr0CD)) raise(kVecGP, 0);
          s.cr[0] = v | model.cr0Fixed1;
        } else if (n == 4) {
          if (v & ~kCr4Implemented) raise(kVecGP, 0);  // Vol. 3A 2.5: reserved bits
          s.cr[4] = v;
        } else if (n == 3) {
          s.cr[3] = v & 0xFFFFF018u;  // page-directory base, PCD, PWT (Vol. 3A 4.3)
        } else {
          s.cr[n] = v;
        }
        ++tlbFlushEvents;  // CR0/CR3/CR4 writes flush a real TLB (Vol. 3A 4.10.4.1)
      } else if (isDr(src)) {
        unsigned n = static_cast<unsigned>(src) - static_cast<unsigned>(Reg::DR0);
        if ((n == 4 || n == 5) && (s.cr[4] & kCr4De)) raise(kVecUD);  // Vol. 3A 17.2.2
        if (n == 4 || n == 5) n += 2;  // aliases of DR6/DR7 with CR4.DE = 0
        setReg(dst, n < 4 ? s.dr[n] : n == 6 ? s.dr6 : s.dr7);
      } else if (isDr(dst)) {
        unsigned n = static_cast<unsigned>(dst) - static_cast<unsigned>(Reg::DR0);
        if ((n == 4 || n == 5) && (s.cr[4] & kCr4De)) raise(kVecUD);
        if (n == 4 || n == 5) n += 2;
        const uint32_t v = reg(src);
        if (n < 4) s.dr[n] = v;
        else if (n == 6) s.dr6 = (v & 0x0000E00Fu) | 0xFFFF0FF0u;
        else s.dr7 = (v & 0xFFFF2BFFu) | 0x400u;
      } else {
        unimplemented("MOV form", &in);
      }
      return;
    }
    case Mnemonic::UD1: case Mnemonic::UD2: raise(kVecUD);
    case Mnemonic::LLDT: case Mnemonic::LTR: case Mnemonic::SLDT: case Mnemonic::STR:
    case Mnemonic::LAR: case Mnemonic::LSL: case Mnemonic::VERR: case Mnemonic::VERW:
    case Mnemonic::ARPL:
      execSystemTables(in); return;
    case Mnemonic::CPUID: case Mnemonic::RDTSC: case Mnemonic::RDMSR: case Mnemonic::WRMSR:
    case Mnemonic::RDPMC:
      execCpuidMsr(in); return;
    // No TLB and no caches are modelled: nothing to flush (paging.cpp walks every access);
    // INVLPG is counted for the CMS, whose host TLB caches translations (Vol. 3A 4.10.4.1).
    case Mnemonic::INVLPG: ++tlbFlushEvents; return;
    case Mnemonic::INVD: case Mnemonic::WBINVD: return;
    case Mnemonic::RSM: raise(kVecUD);  // not in SMM (Vol. 2B RSM); SMM is not modelled
    default: break;
  }
  // ESC D8-DF: without a coprocessor the CPU only forms and checks the memory address
  // (SST README; iAPX 286 PRM ESC). EM or TS set: #NM (Vol. 3A 2.5).
  if (in.flags & x86::kInsnX87) {
    if (model.hasFpu) unimplemented("x87 floating point", &in);
    if (s.cr[0] & (kCr0EM | kCr0TS)) raise(kVecNM);
    for (unsigned i = 0; i < in.numOperands; ++i) {
      const x86::Operand& op = in.op[i];
      if (op.kind == OpKind::Mem) linear(segOf(op), effectiveAddress(in, op), op.size ? op.size : 1, Access::Read);
    }
    return;
  }
  unimplemented("system instruction", &in);
}

}  // namespace codemorph::cms::detail
