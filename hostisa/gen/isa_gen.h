// Emitters of the ISA generator (isa_gen.cpp is the command-line front end).
#pragma once

#include <ostream>

namespace codemorph::hostisa::gen {

// The SystemVerilog package codemorph_isa_pkg: layout constants, enums, the per-opcode
// format/unit/timing/operand tables, reserved-bit masks, slot rules and an atom decoder.
void writeSvPackage(std::ostream& out);
// docs/isa.md, the reference a firmware developer reads.
void writeIsaDoc(std::ostream& out);

}  // namespace codemorph::hostisa::gen
