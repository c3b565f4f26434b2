// Names and operand syntax shared by the assembler and the disassembler: register,
// condition, segment and alias-register names, and each format's operand list, read from
// the syntax strings of formats.def (so a format's syntax is spelled in one place).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "codemorph/hostisa/isa.h"

namespace codemorph::hostisa::asmsyntax {

// One operand of a format's syntax string.
enum class Operand : uint8_t {
  Rd, Rs1, Rs2,   // "rd", "rs1", "rs2"
  Cond,           // "cond"
  Simm,           // "simm11", "simm9": signed expression
  Uimm,           // "imm16": unsigned expression (also -32768..-1)
  Mem,            // "simm8(rs1)": optional displacement, base register rs1
  MemNoDisp,      // "(rs1)"
  Areg,           // "aN"
  Mask,           // "mask8": integer expression
  Target,         // "target": absolute address, encoded as an Off field
  Seg,            // "sN"
  Sreg,           // "sreg"
};

struct OperandList {
  std::array<Operand, 6> items{};
  unsigned count = 0;
  bool hasWidth = false;  // ".w": the mnemonic takes a width suffix
  bool valid = false;     // false if the syntax string had an item this file does not know
};

const OperandList& operandList(Format format);
// The field of the given kind in a format, or nullptr.
const FieldSpec* findField(Format format, FieldKind kind);
// Inclusive value range accepted for an operand of this format (Simm/Uimm/Mask/Target).
struct Range {
  int64_t lo;
  int64_t hi;
};
Range operandRange(Format format, Operand operand);

std::optional<unsigned> parseRegister(std::string_view name);   // r0..r63, zero, sp, lr
std::optional<unsigned> parseCond(std::string_view name);       // kCondNames + aliases
std::optional<unsigned> parseSegment(std::string_view name);    // s0..s7, es..gs
std::optional<unsigned> parseAliasReg(std::string_view name);   // a0..a7
std::string registerName(unsigned reg);                         // "r5"
std::string_view segmentName(unsigned seg);                     // "ds", "s6"

}  // namespace codemorph::hostisa::asmsyntax
