// Emits docs/isa.md, the host ISA reference, from the ISA description. The prose here
// explains the tables; every number and encoding comes from isa.h and the .def files.
#include <iomanip>
#include <sstream>
#include <string>

#include "codemorph/hostisa/isa.h"
#include "isa_gen.h"

namespace codemorph::hostisa::gen {
namespace {

std::string hex(uint64_t v, int digits) {
  std::ostringstream os;
  os << "0x" << std::hex << std::uppercase << std::setw(digits) << std::setfill('0') << v;
  return os.str();
}

std::string fieldName(FieldKind k) {
  switch (k) {
    case FieldKind::Rd: return "rd";
    case FieldKind::Rs1: return "rs1";
    case FieldKind::Rs2: return "rs2";
    case FieldKind::Width: return "w";
    case FieldKind::Cond: return "cond";
    case FieldKind::Simm: return "simm";
    case FieldKind::Uimm: return "imm";
    case FieldKind::Areg: return "a";
    case FieldKind::Mask: return "mask";
    case FieldKind::Off: return "off";
    case FieldKind::Seg: return "s";
    case FieldKind::Sreg: return "sreg";
  }
  return "?";
}

std::string operandsText(uint32_t ops, bool reads) {
  std::string out;
  auto add = [&](const char* s) { out += (out.empty() ? "" : ", ") + std::string(s); };
  if (reads) {
    if (ops & kR1) add("rs1");
    if (ops & kR2) add("rs2");
    if (ops & kRd) add("rd");
    if (ops & kRf) add("F");
    if (ops & kLoad) add(ops & kGuest ? "guest mem" : "host mem");
  } else {
    if (ops & kWd) add("rd");
    if (ops & kLink) add("r63");
    if (ops & kWf) add("F");
    if (ops & kStore) add(ops & kIo ? "guest mem (now)" : ops & kGuest ? "store buffer" : "host mem");
    if (ops & kBranch) add("pc");
  }
  return out.empty() ? "-" : out;
}

void molecules(std::ostream& o) {
  o << "## Molecules\n\n"
       "A molecule is 2, 4 or 8 atoms (64, 128 or 256 bits), each atom one little-endian 32-bit\n"
       "word, atom 0 at the lowest address. Molecules are "
    << kMoleculeAlign
    << "-byte aligned; branch offsets count\n"
       "8-byte units from the address of the molecule holding the branch.\n\n"
       "| bits | where | meaning |\n|---|---|---|\n"
       "| [31:30] | atom 0 | size code: 0 = 2 atoms, 1 = 4 atoms, 2 = 8 atoms (only with `hostisa.max_atoms=8`), 3 = reserved |\n"
       "| [31] | atom 1 | commit bit: the molecule is a commit point |\n"
       "| [30] | atom 1 | reserved, 0 |\n"
       "| [31:30] | atoms 2..7 | reserved, 0 |\n"
       "| [29:23] | every atom | opcode |\n"
       "| [22:0] | every atom | operand fields, laid out by the atom's format |\n\n"
       "A molecule issues whole, in order, in one cycle unless the scoreboard stalls it. All\n"
       "atoms read their sources before any atom of the molecule writes, and a molecule is\n"
       "precise: if any atom faults, none of its effects happen. After the molecule's effects,\n"
       "a set commit bit drains the gated store buffer to memory, copies the working shadowed\n"
       "registers to their shadows and clears the alias registers.\n\n"
       "Rules every molecule must satisfy (the decoder reports a violation as an illegal\n"
       "molecule, the assembler as an error): each atom sits in a slot whose unit can execute\n"
       "it; no two atoms write the same register or xflags (r0 excepted); at most one atom that\n"
       "may change the pc (branches, traps, service calls, halt, eret, rollback).\n\n"
       "### Slots\n\n| molecule | slot | units |\n|---|---|---|\n";
  for (unsigned n : {2u, 4u, 8u}) {
    for (unsigned s = 0; s < n; ++s) {
      std::string units;
      for (unsigned u = 0; u < static_cast<unsigned>(Unit::Any); ++u) {
        if (slotAccepts(n, s, static_cast<Unit>(u))) {
          units += (units.empty() ? "" : ", ") + std::string(unitName(static_cast<Unit>(u)));
        }
      }
      o << "| " << n << " atoms | " << s << " | " << units << " (and nop) |\n";
    }
  }
  o << "\nUnit `ALU` atoms run on ALU0 or ALU1; `ALU0` atoms need the single multiplier/divider.\n"
       "There are no FPU/media atoms yet (x87 comes later): slot 0 of a 4-atom molecule also\n"
       "takes ALU atoms, and slot 7 of an 8-atom molecule holds nop until FPU atoms exist.\n\n";
}

void registers(std::ostream& o) {
  o << "## Registers\n\n"
       "| registers | role |\n|---|---|\n"
       "| r0 | reads as zero; writes are dropped |\n"
       "| r" << kFirstShadowed << "-r" << kLastShadowed
    << " | **shadowed**: the x86-visible state and whatever a translation keeps live across "
       "commit points; commit copies working to shadow, rollback restores working from shadow |\n"
       "| r32-r63 | unshadowed temporaries; their values after a rollback are unspecified to software |\n"
       "| r" << kStackReg << " | firmware stack pointer (convention, `sp`) |\n"
       "| r" << kLinkReg << " | link register written by `call` (`lr`) |\n\n"
       "`F` below is the special register `xflags`: the x86 arithmetic flags at their EFLAGS bit\n"
       "positions (CF 0, PF 2, AF 4, ZF 6, SF 7, DF 10, OF 11). It is shadowed and is a\n"
       "scoreboarded operand like a register.\n\n"
       "### Special registers (`mfsr`/`mtsr`)\n\n| number | name | shadowed | writable | meaning |\n|---|---|---|---|---|\n";
  for (const SregInfo& s : sregTable()) {
    o << "| " << hex(s.number, 2) << " | `" << s.name << "` | " << (s.shadowed ? "yes" : "no") << " | "
      << (s.writable ? "yes" : "no") << " | " << s.description << " |\n";
  }
  o << "\n";
}

void formats(std::ostream& o) {
  o << "## Formats\n\nFields of bits [22:0]; bits no field covers are reserved and must be zero.\n"
       "`simm`/`off` are sign-extended; `w` is 0 = 8, 1 = 16, 2 = 32 bits (3 reserved), written\n"
       "as a mnemonic suffix `.8`/`.16`/`.32`; `cond` is an x86 condition (below).\n\n"
       "| format | assembler operands | fields | reserved mask |\n|---|---|---|---|\n";
  for (const FormatInfo& f : formatTable()) {
    std::string fields;
    for (unsigned i = 0; i < f.numFields; ++i) {
      const FieldSpec& fs = f.fields[i];
      fields += (i ? ", " : "") + fieldName(fs.kind) + "[" + std::to_string(fs.lo + fs.width - 1) + ":" +
                std::to_string(fs.lo) + "]";
    }
    o << "| " << f.name << " | `" << (f.syntax.empty() ? "-" : std::string(f.syntax)) << "` | "
      << (fields.empty() ? "-" : fields) << " | " << hex(f.reservedMask, 6) << " |\n";
  }
  o << "\nConditions (`cond`, Intel SDM Vol. 1 Appendix B): ";
  for (unsigned i = 0; i < kCondNames.size(); ++i) o << (i ? ", " : "") << i << " = `" << kCondNames[i] << "`";
  o << ".\n\n";
}

void atoms(std::ostream& o) {
  o << "## Atoms\n\n| opcode | mnemonic | format | unit | timing | reads | writes | semantics |\n"
       "|---|---|---|---|---|---|---|---|\n";
  for (const AtomInfo& a : atomTable()) {
    o << "| " << hex(a.opcode, 2) << " | `" << a.mnemonic << "` | " << formatInfo(a.format).name << " | "
      << unitName(a.unit) << " | " << timingClassName(a.timing) << " | " << operandsText(a.operands, true) << " | "
      << operandsText(a.operands, false) << " | " << a.summary << " |\n";
  }
  o << "\nHost accesses (`ld*`/`st*`) use host physical addresses and are not gated; guest\n"
       "accesses (`ldg*`/`stg*`, `ldp*`/`stc*`, `ldio*`/`stio*`) use x86 linear addresses\n"
       "through the host TLB. Guest stores other than `stio*` go to the gated store buffer and\n"
       "reach memory at the next commit; guest loads forward from it. The exact rules (faults,\n"
       "forwarding, timing) are in docs/iss.md.\n\n";
}

void traps(std::ostream& o) {
  o << "## Traps\n\nA fault makes its whole molecule void; the core records `tpc` (the molecule), `tcause`,\n"
       "`tval` and `tinfo`, sets `tstatus` bit 0 and continues at `tvec`. A fault while `tstatus`\n"
       "bit 0 is set is a double trap and stops the core. Traps never roll back by themselves.\n\n"
       "| cause | name | raised when |\n|---|---|---|\n";
  for (const TrapCauseInfo& t : trapCauseTable()) {
    o << "| " << static_cast<unsigned>(t.cause) << " | `" << t.name << "` | " << t.description << " |\n";
  }
  o << "\n";
}

void features(std::ostream& o) {
  struct Knob {
    const char* key;
    bool IsaFeatures::*member;
    const char* what;
  };
  const Knob knobs[] = {
      {"hostisa.x86_flags", &IsaFeatures::x86Flags, "x86 condition codes computed by atoms"},
      {"hostisa.partial_regs", &IsaFeatures::partialRegs, "8/16-bit x86 register insert/extract"},
      {"hostisa.seg_agen", &IsaFeatures::segAgen, "segment-base address generation with limit check"},
      {"hostisa.host_tlb", &IsaFeatures::hostTlb, "host TLB keyed by x86 linear address (off: linear = physical)"},
      {"hostisa.alias_hw", &IsaFeatures::aliasHw, "alias registers for load hoisting"},
  };
  o << "## Co-designed features and their knobs\n\n"
       "Each x86-assist feature can be switched off for studies. Its atoms then raise an\n"
       "`illegal` trap, and the translator must not emit them.\n\n"
       "| knob | feature | atoms it enables |\n|---|---|---|\n";
  for (const Knob& k : knobs) {
    IsaFeatures f;
    f.*(k.member) = false;
    std::string list;
    for (const AtomInfo& a : atomTable()) {
      if (!featureEnabled(f, a.op)) list += (list.empty() ? "`" : ", `") + std::string(a.mnemonic) + "`";
    }
    o << "| `" << k.key << "` | " << k.what << " | " << list << " |\n";
  }
  o << "| `hostisa.max_atoms` | 8-atom (256-bit) molecules, Efficeon-like | size code 2 |\n\n";
}

}  // namespace

void writeIsaDoc(std::ostream& o) {
  o << "<!-- Generated by hostisa/gen/isa_gen from hostisa/include/codemorph/hostisa/*.def.\n"
       "     Do not edit; refresh with: cmake --build build/default --target update-isa-doc -->\n"
       "# codemorph host ISA reference\n\n"
       "The VLIW host ISA of codemorph, the processor that runs the Code Morphing Software and\n"
       "the x86 translations it makes (ARCHITECTURE.md section 2). This page is generated from\n"
       "the ISA's one description; the assembler syntax is in docs/assembler.md, the exact\n"
       "execution, fault and timing rules of the reference ISS in docs/iss.md.\n\n";
  molecules(o);
  registers(o);
  formats(o);
  atoms(o);
  traps(o);
  features(o);
}

}  // namespace codemorph::hostisa::gen
