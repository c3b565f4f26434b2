// Operand notation of the x86 decode tables (Intel SDM Vol. 2, Appendix A.2 "Key to
// Abbreviations": addressing method letter + operand type letters), plus the register
// and segment enums of decoded operands.
//
// A table entry says e.g. {ADD, Eb, Gb} exactly as the manual's opcode map does. Each Opnd
// value is one (method, type) pair; its meaning is in kOpndInfo (operands.cpp-free: the
// table below is constexpr so the decoder folds it).
//
// Deliberate deviations from the SDM notation (also in docs/x86-decoder.md):
//  - Ibs: "Ib, sign-extended to the operand size" (83 /r, 6A, 6B). The SDM writes plain
//    "Ib" and says "sign-extended" only on the instruction pages.
//  - RvMw: "Rv/Mw" as used by the SDM's Grp6/Grp7 rows, also used for 8C (MOV Ev,Sw in
//    the map) because a memory destination of MOV Sreg is always 16 bits (Vol. 2B MOV).
//  - Me / Mst: the x87 environment (14/28 bytes) and state (94/108 bytes) images, which
//    A.4 names "14/28 bytes" and "98/108 bytes"; sized by the operand size.
//  - Mt: 80-bit memory operand (A.4 "extended real", "packed BCD").
//  - eAX..eDI are written for the "rAX/r8"-style register columns of the one-byte map
//    (there is no 64-bit mode here). STi is "ST(i)", ST0 is "ST(0)".
#pragma once
#include <cstdint>

namespace codemorph::x86 {

// Addressing methods (SDM A.2.1), plus the implicit-operand kinds the map spells out.
enum class AddrMethod : uint8_t {
  None,
  E,       // ModRM r/m: general register or memory
  G,       // ModRM reg: general register
  M,       // ModRM r/m: memory only (mod == 3 -> #UD)
  R,       // ModRM r/m: general register only; mod is ignored (MOV CRn/DRn, SDM Vol. 2B)
  C,       // ModRM reg: control register
  D,       // ModRM reg: debug register
  S,       // ModRM reg: segment register
  P,       // ModRM reg: MMX register
  Q,       // ModRM r/m: MMX register or memory
  N,       // ModRM r/m: MMX register only (mod != 3 -> #UD)
  I,       // immediate
  Is,      // immediate byte sign-extended to the operand size (deviation, see above)
  J,       // relative offset added to the next instruction pointer
  A,       // direct far pointer (ptr16:16 / ptr16:32)
  O,       // moffs: offset of address size, no ModRM
  X,       // string source DS:[rSI] (segment overridable)
  Y,       // string destination ES:[rDI] (never overridden)
  Fixed,   // a register named by the map (AL, eAX, DX, ES, ...)
  One,     // the constant 1 (shift group D0/D1)
  StTop,   // ST(0)
  StRm,    // ST(i), i = ModRM.rm
};

// Operand types (SDM A.2.2).
enum class OpType : uint8_t {
  None,
  b,    // byte
  w,    // word
  d,    // doubleword
  q,    // quadword
  v,    // word or doubleword by operand size
  z,    // word for 16-bit operand size, doubleword otherwise
  a,    // two words or two doublewords in memory (BOUND)
  p,    // 32- or 48-bit far pointer by operand size
  s,    // 6-byte pseudo-descriptor
  t,    // 10 bytes (x87 extended real / packed BCD)
  env,  // x87 environment: 14 or 28 bytes by operand size
  st,   // x87 state: 94 or 108 bytes by operand size
  vw,   // "Rv/Mw": v for a register, w for memory
  m,    // memory with no access size (LEA, INVLPG "Mb" is an address only)
};

// Register file classes, and every register a decoded operand can name.
enum class Reg : uint8_t {
  None,
  AL, CL, DL, BL, AH, CH, DH, BH,
  AX, CX, DX, BX, SP, BP, SI, DI,
  EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI,
  ES, CS, SS, DS, FS, GS,
  CR0, CR1, CR2, CR3, CR4, CR5, CR6, CR7,
  DR0, DR1, DR2, DR3, DR4, DR5, DR6, DR7,
  ST0, ST1, ST2, ST3, ST4, ST5, ST6, ST7,
  MM0, MM1, MM2, MM3, MM4, MM5, MM6, MM7,
};

constexpr Reg gpr8(unsigned n) { return static_cast<Reg>(static_cast<unsigned>(Reg::AL) + n); }
constexpr Reg gpr16(unsigned n) { return static_cast<Reg>(static_cast<unsigned>(Reg::AX) + n); }
constexpr Reg gpr32(unsigned n) { return static_cast<Reg>(static_cast<unsigned>(Reg::EAX) + n); }
constexpr Reg sreg(unsigned n) { return static_cast<Reg>(static_cast<unsigned>(Reg::ES) + n); }
constexpr Reg creg(unsigned n) { return static_cast<Reg>(static_cast<unsigned>(Reg::CR0) + n); }
constexpr Reg dreg(unsigned n) { return static_cast<Reg>(static_cast<unsigned>(Reg::DR0) + n); }
constexpr Reg streg(unsigned n) { return static_cast<Reg>(static_cast<unsigned>(Reg::ST0) + n); }
constexpr Reg mmreg(unsigned n) { return static_cast<Reg>(static_cast<unsigned>(Reg::MM0) + n); }
// Register number within its class (AL/AX/EAX -> 0 ... BH/DI/EDI -> 7, ES -> 0, CR3 -> 3).
constexpr unsigned regIndex(Reg r) {
  const auto v = static_cast<unsigned>(r);
  if (v >= static_cast<unsigned>(Reg::ES) && v <= static_cast<unsigned>(Reg::GS))
    return v - static_cast<unsigned>(Reg::ES);
  return (v - 1u) & 7u;
}

// Segment registers in ModRM.reg / prefix order (SDM Vol. 2 3.1.1.1 "Sreg").
enum class Seg : uint8_t { ES, CS, SS, DS, FS, GS, None };

// The operand specifications of the decode tables, named as in the manual.
enum class Opnd : uint8_t {
  None,
  Eb, Ew, Ed, Ev, Gb, Gw, Gd, Gv, Gz, RvMw,
  M, Ma, Mp, Mq, Ms, Mw, Md, Mt, Me, Mst,
  Rd, Cd, Dd, Sw,
  Pq, Pd, Qq, Qd, Nq,
  Ib, Ibs, Iw, Iz, Iv, Jb, Jz, Ap, Ob, Ov,
  Xb, Xv, Xz, Yb, Yv, Yz,
  AL, CL, DL, BL, AH, CH, DH, BH,
  eAX, eCX, eDX, eBX, eSP, eBP, eSI, eDI,
  DX,  // the 16-bit port register of IN/OUT
  AX,  // FNSTSW AX
  ES, CS, SS, DS, FS, GS,
  One, ST0, STi,
  OpndCount
};

struct OpndInfo {
  AddrMethod method;
  OpType type;
  Reg fixed;  // for AddrMethod::Fixed: the register (eXX given as its 32-bit name)
};

inline constexpr OpndInfo kOpndInfo[] = {
    {AddrMethod::None, OpType::None, Reg::None},
    // Eb .. RvMw
    {AddrMethod::E, OpType::b, Reg::None}, {AddrMethod::E, OpType::w, Reg::None},
    {AddrMethod::E, OpType::d, Reg::None}, {AddrMethod::E, OpType::v, Reg::None},
    {AddrMethod::G, OpType::b, Reg::None}, {AddrMethod::G, OpType::w, Reg::None},
    {AddrMethod::G, OpType::d, Reg::None}, {AddrMethod::G, OpType::v, Reg::None},
    {AddrMethod::G, OpType::z, Reg::None}, {AddrMethod::E, OpType::vw, Reg::None},
    // M .. Mst
    {AddrMethod::M, OpType::m, Reg::None}, {AddrMethod::M, OpType::a, Reg::None},
    {AddrMethod::M, OpType::p, Reg::None}, {AddrMethod::M, OpType::q, Reg::None},
    {AddrMethod::M, OpType::s, Reg::None}, {AddrMethod::M, OpType::w, Reg::None},
    {AddrMethod::M, OpType::d, Reg::None}, {AddrMethod::M, OpType::t, Reg::None},
    {AddrMethod::M, OpType::env, Reg::None}, {AddrMethod::M, OpType::st, Reg::None},
    // Rd Cd Dd Sw
    {AddrMethod::R, OpType::d, Reg::None}, {AddrMethod::C, OpType::d, Reg::None},
    {AddrMethod::D, OpType::d, Reg::None}, {AddrMethod::S, OpType::w, Reg::None},
    // Pq Pd Qq Qd Nq
    {AddrMethod::P, OpType::q, Reg::None}, {AddrMethod::P, OpType::d, Reg::None},
    {AddrMethod::Q, OpType::q, Reg::None}, {AddrMethod::Q, OpType::d, Reg::None},
    {AddrMethod::N, OpType::q, Reg::None},
    // Ib Ibs Iw Iz Iv Jb Jz Ap Ob Ov
    {AddrMethod::I, OpType::b, Reg::None}, {AddrMethod::Is, OpType::b, Reg::None},
    {AddrMethod::I, OpType::w, Reg::None}, {AddrMethod::I, OpType::z, Reg::None},
    {AddrMethod::I, OpType::v, Reg::None}, {AddrMethod::J, OpType::b, Reg::None},
    {AddrMethod::J, OpType::z, Reg::None}, {AddrMethod::A, OpType::p, Reg::None},
    {AddrMethod::O, OpType::b, Reg::None}, {AddrMethod::O, OpType::v, Reg::None},
    // Xb Xv Xz Yb Yv Yz
    {AddrMethod::X, OpType::b, Reg::None}, {AddrMethod::X, OpType::v, Reg::None},
    {AddrMethod::X, OpType::z, Reg::None}, {AddrMethod::Y, OpType::b, Reg::None},
    {AddrMethod::Y, OpType::v, Reg::None}, {AddrMethod::Y, OpType::z, Reg::None},
    // AL .. BH
    {AddrMethod::Fixed, OpType::b, Reg::AL}, {AddrMethod::Fixed, OpType::b, Reg::CL},
    {AddrMethod::Fixed, OpType::b, Reg::DL}, {AddrMethod::Fixed, OpType::b, Reg::BL},
    {AddrMethod::Fixed, OpType::b, Reg::AH}, {AddrMethod::Fixed, OpType::b, Reg::CH},
    {AddrMethod::Fixed, OpType::b, Reg::DH}, {AddrMethod::Fixed, OpType::b, Reg::BH},
    // eAX .. eDI
    {AddrMethod::Fixed, OpType::v, Reg::EAX}, {AddrMethod::Fixed, OpType::v, Reg::ECX},
    {AddrMethod::Fixed, OpType::v, Reg::EDX}, {AddrMethod::Fixed, OpType::v, Reg::EBX},
    {AddrMethod::Fixed, OpType::v, Reg::ESP}, {AddrMethod::Fixed, OpType::v, Reg::EBP},
    {AddrMethod::Fixed, OpType::v, Reg::ESI}, {AddrMethod::Fixed, OpType::v, Reg::EDI},
    // DX AX
    {AddrMethod::Fixed, OpType::w, Reg::DX}, {AddrMethod::Fixed, OpType::w, Reg::AX},
    // ES .. GS
    {AddrMethod::Fixed, OpType::w, Reg::ES}, {AddrMethod::Fixed, OpType::w, Reg::CS},
    {AddrMethod::Fixed, OpType::w, Reg::SS}, {AddrMethod::Fixed, OpType::w, Reg::DS},
    {AddrMethod::Fixed, OpType::w, Reg::FS}, {AddrMethod::Fixed, OpType::w, Reg::GS},
    // One ST0 STi
    {AddrMethod::One, OpType::b, Reg::None}, {AddrMethod::StTop, OpType::t, Reg::ST0},
    {AddrMethod::StRm, OpType::t, Reg::None},
};
static_assert(sizeof(kOpndInfo) / sizeof(kOpndInfo[0]) == static_cast<unsigned>(Opnd::OpndCount),
              "kOpndInfo must list every Opnd in order");

constexpr const OpndInfo& opndInfo(Opnd o) { return kOpndInfo[static_cast<unsigned>(o)]; }

}  // namespace codemorph::x86
