// Private: the shape of one opcode-table entry and the tables themselves (one .cpp per
// opcode map: opcodes_onebyte.cpp, opcodes_twobyte_0f.cpp, groups.cpp, x87.cpp).
// Entries are built with I(mnemonic, operands...) in the SDM's notation; modifiers add
// flags (.lock(), .f(feature), ...). Derived properties (needs ModRM, memory-only,
// register-only, mod ignored) are computed here from the operand notation, so a table
// row never repeats what its operands already say.
#pragma once
#include <codemorph/x86/decoder.h>

#include <array>
#include <cstdint>

namespace codemorph::x86::detail {

enum class EntryKind : uint8_t {
  Invalid,  // #UD
  Normal,   // mnemonic + operands
  Group,    // operation chosen by ModRM.reg in kGroups[group]; operands may be inherited
  X87,      // ESC D8-DF: see x87.cpp
  Escape,   // 0F: two-byte map
  Prefix,   // handled by the prefix loop; never looked up as an opcode
};

enum EntryFlag : uint16_t {
  kEfLock = 1u << 0,        // lockable with a memory destination (SDM Vol. 2A LOCK)
  kEfUndoc = 1u << 1,       // undocumented but real (SALC, Grp2 /6, F6 /1, x87 aliases)
  kEfPmOnly = 1u << 2,      // #UD in real / virtual-8086 mode
  kEfBranch = 1u << 3,      // control transfer
  kEfPriv = 1u << 4,        // CPL 0 only
  kEfMmx = 1u << 5,         // MMX instruction
  kEfCond = 1u << 6,        // condition = low nibble of the opcode (Jcc, SETcc, CMOVcc)
  kEfModrm = 1u << 7,       // derived: has ModRM
  kEfMemOnly = 1u << 8,     // derived: an M operand, mod == 3 is #UD
  kEfRegOnly = 1u << 9,     // derived: an N operand, mod != 3 is #UD
  kEfModIgnored = 1u << 10, // derived: R/C/D operands, mod is treated as 3 (Vol. 2B MOV CRn)
  kEfImplicitLock = 1u << 11,
};

enum GroupId : uint8_t {
  kGrp1, kGrp1A, kGrp2, kGrp3b, kGrp3v, kGrp4, kGrp5, kGrp6, kGrp7, kGrp8, kGrp9,
  kGrp11, kGrp12, kGrp13, kGrp14, kGroupCount
};

constexpr uint16_t derivedFlags(Opnd o) {
  switch (opndInfo(o).method) {
    case AddrMethod::E: case AddrMethod::G: case AddrMethod::S: case AddrMethod::P:
    case AddrMethod::Q: case AddrMethod::StRm:
      return kEfModrm;
    case AddrMethod::M: return kEfModrm | kEfMemOnly;
    case AddrMethod::N: return kEfModrm | kEfRegOnly;
    case AddrMethod::R: case AddrMethod::C: case AddrMethod::D:
      return kEfModrm | kEfModIgnored;
    default: return 0;
  }
}

struct OpcodeEntry {
  Mnemonic mnemonic = Mnemonic::INVALID;
  Opnd ops[3] = {Opnd::None, Opnd::None, Opnd::None};
  EntryKind kind = EntryKind::Invalid;
  uint8_t group = 0;
  uint16_t flags = 0;
  uint16_t feature = kFeat8086;

  constexpr OpcodeEntry with(uint16_t fl) const { OpcodeEntry e = *this; e.flags |= fl; return e; }
  constexpr OpcodeEntry lock() const { return with(kEfLock); }
  constexpr OpcodeEntry undoc() const { return with(kEfUndoc); }
  constexpr OpcodeEntry pm() const { return with(kEfPmOnly); }
  constexpr OpcodeEntry br() const { return with(kEfBranch); }
  constexpr OpcodeEntry priv() const { return with(kEfPriv); }
  constexpr OpcodeEntry cc() const { return with(kEfCond); }
  constexpr OpcodeEntry mmx() const { OpcodeEntry e = with(kEfMmx); e.feature |= kFeatMmx; return e; }
  constexpr OpcodeEntry f(uint16_t feat) const { OpcodeEntry e = *this; e.feature |= feat; return e; }
  constexpr int numOps() const { return ops[0] == Opnd::None ? 0 : ops[1] == Opnd::None ? 1 : ops[2] == Opnd::None ? 2 : 3; }
};

// A normal entry: I(ADD, Eb, Gb).
constexpr OpcodeEntry I(Mnemonic m, Opnd a = Opnd::None, Opnd b = Opnd::None, Opnd c = Opnd::None) {
  OpcodeEntry e;
  e.mnemonic = m;
  e.ops[0] = a; e.ops[1] = b; e.ops[2] = c;
  e.kind = EntryKind::Normal;
  e.flags = derivedFlags(a) | derivedFlags(b) | derivedFlags(c);
  return e;
}
// A group escape with the operands its members inherit: Grp(kGrp1, Eb, Ib).
constexpr OpcodeEntry Grp(GroupId g, Opnd a = Opnd::None, Opnd b = Opnd::None) {
  OpcodeEntry e = I(Mnemonic::INVALID, a, b);
  e.kind = EntryKind::Group;
  e.group = g;
  e.flags |= kEfModrm;
  return e;
}
inline constexpr OpcodeEntry UD{};  // undefined opcode: #UD
inline constexpr OpcodeEntry PFX = [] { OpcodeEntry e; e.kind = EntryKind::Prefix; return e; }();
inline constexpr OpcodeEntry ESC87 = [] { OpcodeEntry e; e.kind = EntryKind::X87; e.flags = kEfModrm; return e; }();
inline constexpr OpcodeEntry ESC0F = [] { OpcodeEntry e; e.kind = EntryKind::Escape; e.feature = kFeat286; return e; }();

extern const OpcodeEntry kOneByteMap[];         // opcodes_onebyte.cpp (SDM Table A-2)
extern const OpcodeEntry kTwoByteMap[];         // opcodes_twobyte_0f.cpp (Tables)
extern const OpcodeEntry kGroups[kGroupCount][8];// groups.cpp (Table A-6), by ModRM.reg
extern const OpcodeEntry kX87Mem[8][8];          // x87.cpp: [opcode-D8][reg], mod != 3
extern const std::array<std::array<OpcodeEntry, 64>, 8> kX87Reg;  // x87.cpp: [opcode-D8][modrm-C0]

}  // namespace codemorph::x86::detail
