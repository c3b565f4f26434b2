// The disassembler (see disassembler.h). Operand order and spelling come from the same
// per-format operand lists as the assembler's (syntax.h), so the two cannot drift apart.
#include "codemorph/hostisa/disassembler.h"

#include <algorithm>
#include <cstdio>

#include "syntax.h"

namespace codemorph::hostisa {
namespace {

using asmsyntax::Operand;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string hex8(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

uint32_t wordAt(std::span<const uint8_t> b, size_t i) {
  return uint32_t{b[i]} | uint32_t{b[i + 1]} << 8 | uint32_t{b[i + 2]} << 16 | uint32_t{b[i + 3]} << 24;
}

std::string operandText(const Atom& a, Format fmt, Operand kind, uint32_t address) {
  switch (kind) {
    case Operand::Rd: return asmsyntax::registerName(a.rd);
    case Operand::Rs1: return asmsyntax::registerName(a.rs1);
    case Operand::Rs2: return asmsyntax::registerName(a.rs2);
    case Operand::Cond: return std::string(kCondNames[a.cond & 15u]);
    case Operand::Simm: return std::to_string(a.imm);
    case Operand::Uimm: return fmt == Format::U ? hex(static_cast<uint32_t>(a.imm)) : std::to_string(a.imm);
    case Operand::Mem: return std::to_string(a.imm) + "(" + asmsyntax::registerName(a.rs1) + ")";
    case Operand::MemNoDisp: return std::string("(").append(asmsyntax::registerName(a.rs1)).append(")");
    case Operand::Areg: return std::string("a").append(std::to_string(a.aux));
    case Operand::Mask: return hex(a.aux);
    case Operand::Target:
      // Addresses wrap at 2^32 (the assembler takes offsets modulo 2^32 as well).
      return hex(static_cast<uint32_t>(address + static_cast<uint32_t>(a.imm) * kMoleculeAlign));
    case Operand::Seg: return std::string(asmsyntax::segmentName(a.aux));
    case Operand::Sreg: {
      const SregInfo* s = sregInfo(a.aux);
      return s ? std::string(s->name) : std::to_string(a.aux);
    }
  }
  return "?";
}

}  // namespace

std::string disassembleAtom(const Atom& atom, uint32_t moleculeAddress) {
  if (static_cast<unsigned>(atom.op) >= kNumOps) return "<invalid atom>";
  const AtomInfo& info = atomInfo(atom.op);
  const asmsyntax::OperandList& list = asmsyntax::operandList(info.format);
  std::string s(info.mnemonic);
  if (list.hasWidth) s.append(".").append(std::to_string(atom.width * 8u));
  for (unsigned i = 0; i < list.count; ++i) {
    s += i == 0 ? " " : ", ";
    s += operandText(atom, info.format, list.items[i], moleculeAddress);
  }
  return s;
}

std::string disassembleMolecule(const Molecule& molecule, uint32_t address) {
  std::string s = "{ ";
  const unsigned n = molecule.numAtoms <= kMaxAtoms ? molecule.numAtoms : kMaxAtoms;
  for (unsigned i = 0; i < n; ++i) {
    if (i > 0) s += " ; ";
    s += disassembleAtom(molecule.atoms[i], address);
  }
  s += " }";
  if (molecule.commit) s += " commit";
  return s;
}

DisasmUnit disassembleAt(std::span<const uint8_t> bytes, uint32_t address, unsigned maxAtoms) {
  DisasmUnit u;
  u.address = address;
  // Molecules sit on 8-byte boundaries; bytes before the next one are data.
  const unsigned misalign = address % kMoleculeAlign;
  if (misalign != 0 || bytes.size() < kMoleculeAlign) {
    const size_t n = std::min<size_t>(bytes.size(), misalign != 0 ? kMoleculeAlign - misalign : bytes.size());
    u.bytes = static_cast<unsigned>(n);
    u.decode.error = MoleculeError::Truncated;
    if (n > 0) u.text = ".byte ";
    for (size_t i = 0; i < n; ++i) u.text += (i ? ", " : "") + hex(bytes[i]);
    return u;
  }
  u.decode = decodeMolecule(bytes, maxAtoms >= 8 ? 8 : 4);
  if (u.decode.error == MoleculeError::None) {
    u.valid = true;
    u.bytes = u.decode.molecule.bytes();
    u.text = disassembleMolecule(u.decode.molecule, address);
  } else {
    u.bytes = kMoleculeAlign;
    char buf[48];
    std::snprintf(buf, sizeof buf, ".word 0x%08x, 0x%08x", wordAt(bytes, 0), wordAt(bytes, 4));
    u.text = buf;
  }
  return u;
}

std::string listingLine(const DisasmUnit& unit, std::span<const uint8_t> unitBytes) {
  std::string s = hex8(unit.address) + ":  ";
  std::string words;
  if (unitBytes.size() >= 4 && unitBytes.size() % 4 == 0) {
    for (size_t i = 0; i + 4 <= unitBytes.size(); i += 4) words += hex8(wordAt(unitBytes, i)) + " ";
  } else {
    char buf[4];
    for (uint8_t b : unitBytes) {
      std::snprintf(buf, sizeof buf, "%02x ", b);
      words += buf;
    }
  }
  words.resize(std::max<size_t>(words.size(), 36), ' ');
  s += words + " " + unit.text;
  if (!unit.valid && unit.bytes == kMoleculeAlign) s += "   # " + std::string(moleculeErrorText(unit.decode.error));
  return s;
}

std::string disassembleImage(std::span<const uint8_t> bytes, const DisasmOptions& options) {
  std::string out;
  if (options.reassemblable) {
    out += "# cm-dis output: assemble with cm-as";
    out += options.maxAtoms >= 8 ? " --max-atoms 8\n" : "\n";
    out += ".section .text, " + hex(options.baseAddress) + "\n";
  }
  size_t offset = 0;
  while (offset < bytes.size()) {
    const uint32_t address = static_cast<uint32_t>(options.baseAddress + offset);
    const std::span<const uint8_t> rest = bytes.subspan(offset);
    const DisasmUnit u = disassembleAt(rest, address, options.maxAtoms);
    if (u.bytes == 0) break;
    if (options.reassemblable) {
      out += "    " + u.text;
      if (!u.valid && u.bytes == kMoleculeAlign) out += "   # " + std::string(moleculeErrorText(u.decode.error));
    } else {
      out += listingLine(u, rest.first(u.bytes));
    }
    out += "\n";
    offset += u.bytes;
  }
  return out;
}

}  // namespace codemorph::hostisa
