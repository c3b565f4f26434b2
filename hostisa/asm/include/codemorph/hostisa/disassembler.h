// The host-ISA disassembler. Its text is exactly the assembler's syntax (docs/assembler.md):
// every molecule is written in braces with all of its slots (nop included) and the commit
// keyword, branch targets as absolute addresses, so that assembling the output gives back
// identical bits. Also the entry points a trace printer needs: one atom, one molecule, or
// "the molecule at this address" from raw bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "codemorph/hostisa/isa.h"

namespace codemorph::hostisa {

// "add.cc.32 r1, r2, r3", "beq r1, r2, 0x1040". moleculeAddress resolves branch offsets.
std::string disassembleAtom(const Atom& atom, uint32_t moleculeAddress);
// "{ ld32 r1, 8(r2) ; add r3, r4, r5 } commit"
std::string disassembleMolecule(const Molecule& molecule, uint32_t address);

// One unit of an image: a molecule, or an 8-byte (or shorter, at the end) undecodable unit.
struct DisasmUnit {
  uint32_t address = 0;
  unsigned bytes = 0;          // bytes consumed: molecule size, 8, or the tail (< 8)
  bool valid = false;          // decoded as a molecule
  MoleculeDecode decode;       // the decoder's answer (error says why when !valid)
  std::string text;            // molecule syntax, or ".word 0x..., 0x..." / ".byte ..."
};
// Decode and print the unit at the start of bytes (which sits at address).
DisasmUnit disassembleAt(std::span<const uint8_t> bytes, uint32_t address,
                         unsigned maxAtoms = 4);

struct DisasmOptions {
  uint32_t baseAddress = 0;   // address of bytes[0]
  unsigned maxAtoms = 4;      // 4 or 8, as the assembler's option
  bool reassemblable = false; // no address/hex columns; starts with a .section line
};
// A listing: "0000001000:  hex words  text" per unit, or (reassemblable) source that cm-as
// turns back into identical bytes (given the same maxAtoms).
std::string disassembleImage(std::span<const uint8_t> bytes, const DisasmOptions& options = {});
// One listing line (no trailing newline) for a unit.
std::string listingLine(const DisasmUnit& unit, std::span<const uint8_t> unitBytes);

}  // namespace codemorph::hostisa
