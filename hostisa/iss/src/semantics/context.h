// The execution-context interface the atom semantics are written against (gem5's
// ExecContext, Spike's processor_t): the semantics files (alu.h, cc.h, mem.h, branch.h,
// sys.h) contain one small function per atom, `template <class X> void ID(X& x, const Atom& a)`,
// named exactly like the Op in isa.def, and touch state only through X. The ISS's
// context (execute.cpp) implements X with deferred effects so that a molecule is precise;
// a checker or another model can supply its own X.
//
// What X must provide (all reads see the state from before the molecule):
//   uint32_t r(unsigned reg)                 source register (r0 = 0)
//   void     w(unsigned reg, uint32_t v)     deferred register write (r0 dropped)
//   uint32_t flags()                         xflags before the molecule
//   void     wflags(uint32_t f)              deferred xflags write (full value)
//   uint32_t pc(), next()                    this molecule's and the next one's address
//   void     jump(uint32_t target)           taken control transfer
//   void     fault(TrapCause c, uint32_t tval)
//   uint32_t sreg(unsigned n)                special register read
//   void     wsreg(unsigned n, uint32_t v)   deferred mtsr
//   void     loadHost(rd, addr, size, bool sign)
//   void     storeHost(addr, size, value)
//   void     loadGuest(rd, linear, size, bool sign, GuestKind kind, unsigned areg)
//   void     storeGuest(linear, size, value, GuestKind kind, unsigned mask)
//   void     svc(imm), trap(imm), halt(), rollback(), eret(), tlbWrite(lin, v), tlbFlush()
#pragma once

#include <cstdint>

#include "codemorph/hostisa/isa.h"

namespace codemorph::hostisa::iss {

// How a guest (x86 linear) access behaves; see docs/iss.md "Memory".
enum class GuestKind : uint8_t {
  Plain,    // ldg*/stg*: speculative; stores gated
  Protect,  // ldp*: as Plain, and sets an alias register
  Checked,  // stc*: as Plain, after an alias check against a mask
  Io,       // ldio*/stio*: non-speculative, may touch I/O space; stores not gated
};

// Shorthands for the semantics files (Spike style: one line per atom where possible).
#define CM_SEM(ID) template <class X> inline void ID(X& x, const Atom& a)
#define CM_RS1 x.r(a.rs1)
#define CM_RS2 x.r(a.rs2)
#define CM_IMM static_cast<uint32_t>(a.imm)

namespace sem {
inline uint32_t sext(uint32_t v, unsigned bytes) {
  return bytes == 1 ? static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(v)))
         : bytes == 2 ? static_cast<uint32_t>(static_cast<int32_t>(static_cast<int16_t>(v)))
                      : v;
}
inline uint32_t widthMask(unsigned bytes) { return bytes >= 4 ? 0xFFFFFFFFu : (1u << (8 * bytes)) - 1u; }
inline uint32_t rotl32(uint32_t v, unsigned n) { n &= 31; return n ? (v << n) | (v >> (32 - n)) : v; }
inline uint32_t rotr32(uint32_t v, unsigned n) { n &= 31; return n ? (v >> n) | (v << (32 - n)) : v; }
}  // namespace sem

}  // namespace codemorph::hostisa::iss
