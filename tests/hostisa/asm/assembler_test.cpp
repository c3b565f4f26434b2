// Assembler: the operand syntax of every format, registers/conditions/segments/special
// registers by name, expressions (precedence, %hi/%lo, '.', char literals), branch target
// encoding and the commit keyword.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "codemorph/hostisa/assembler.h"
#include "codemorph/hostisa/isa.h"

namespace codemorph::hostisa {
namespace {

// Assembles src (which must hold exactly one molecule at address 0) and decodes it.
Molecule one(const std::string& src, unsigned maxAtoms = 4) {
  AsmOptions opt;
  opt.maxAtoms = maxAtoms;
  const AsmResult r = assemble(src, opt);
  EXPECT_TRUE(r.ok) << src << "\n" << r.errorText();
  const MoleculeDecode d = decodeMolecule(r.image, 8);
  EXPECT_EQ(d.error, MoleculeError::None) << src;
  EXPECT_EQ(r.image.size(), d.molecule.bytes()) << src;
  return d.molecule;
}

// The single non-nop atom of a one-atom source line.
Atom atom(const std::string& src) {
  const Molecule m = one(src);
  for (unsigned i = 0; i < m.numAtoms; ++i) {
    if (m.atoms[i].op != Op::NOP) return m.atoms[i];
  }
  return m.atoms[0];
}

Atom make(Op op, uint8_t rd, uint8_t rs1, uint8_t rs2, uint8_t width = 0, uint8_t cond = 0, uint8_t aux = 0,
          int32_t imm = 0) {
  Atom a;
  a.op = op;
  a.rd = rd;
  a.rs1 = rs1;
  a.rs2 = rs2;
  a.width = width;
  a.cond = cond;
  a.aux = aux;
  a.imm = imm;
  return a;
}

int64_t constant(const std::string& expr) {
  const AsmResult r = assemble(".equ X, " + expr + "\n");
  EXPECT_TRUE(r.ok) << expr << "\n" << r.errorText();
  for (const AsmSymbol& s : r.symbols) {
    if (s.name == "X") return s.value;
  }
  ADD_FAILURE() << "no symbol X";
  return 0;
}

TEST(AsmFormats, EveryFormatsOperandSyntax) {
  EXPECT_EQ(atom("halt"), make(Op::HALT, 0, 0, 0));                                           // N
  EXPECT_EQ(atom("add r1, r2, r3"), make(Op::ADD, 1, 2, 3));                                  // R
  EXPECT_EQ(atom("zext8 r4, r5"), make(Op::ZEXT8, 4, 5, 0));                                  // R1
  EXPECT_EQ(atom("jalr zero, lr"), make(Op::JALR, 0, 63, 0));                                 // R1
  EXPECT_EQ(atom("tlbwr r1, r2"), make(Op::TLBWR, 0, 1, 2));                                  // R2
  EXPECT_EQ(atom("add.cc.16 r1, r2, r3"), make(Op::ADD_CC, 1, 2, 3, 2));                      // RW
  EXPECT_EQ(atom("inc.cc.8 r1, r2"), make(Op::INC_CC, 1, 2, 0, 1));                           // R1W
  EXPECT_EQ(atom("setcc r1, nz"), make(Op::SETCC, 1, 0, 0, 0, 5));                            // RC
  EXPECT_EQ(atom("sel r1, r2, r3, nle"), make(Op::SEL, 1, 2, 3, 0, 15));                      // RRC
  EXPECT_EQ(atom("addi r1, r2, -1024"), make(Op::ADDI, 1, 2, 0, 0, 0, 0, -1024));             // I
  EXPECT_EQ(atom("addi r1, r2, 1023"), make(Op::ADDI, 1, 2, 0, 0, 0, 0, 1023));
  EXPECT_EQ(atom("subi.cc.32 r1, r2, -256"), make(Op::SUBI_CC, 1, 2, 0, 4, 0, 0, -256));      // IW
  EXPECT_EQ(atom("li r1, -1"), make(Op::LI, 1, 0, 0, 0, 0, 0, 0xFFFF));                       // U
  EXPECT_EQ(atom("lih r1, 65535"), make(Op::LIH, 1, 0, 0, 0, 0, 0, 0xFFFF));
  EXPECT_EQ(atom("ld32 r1, -8(r2)"), make(Op::LD32, 1, 2, 0, 0, 0, 0, -8));                   // M
  EXPECT_EQ(atom("ldg8s r1, (r2)"), make(Op::LDG8S, 1, 2, 0));
  EXPECT_EQ(atom("ld16u r1, (4+4)(r2)"), make(Op::LD16U, 1, 2, 0, 0, 0, 0, 8));
  EXPECT_EQ(atom("st32 r3, 12(sp)"), make(Op::ST32, 0, 62, 3, 0, 0, 0, 12));                  // MS
  EXPECT_EQ(atom("ldp8u r1, 127(r2), a7"), make(Op::LDP8U, 1, 2, 0, 0, 0, 7, 127));           // MP
  EXPECT_EQ(atom("ldp32 r1, (r2), a0"), make(Op::LDP32, 1, 2, 0, 0, 0, 0, 0));
  EXPECT_EQ(atom("stc8 r1, (r2), 255"), make(Op::STC8, 0, 2, 1, 0, 0, 255));                  // MC
  EXPECT_EQ(atom("beq r1, r2, 0x40"), make(Op::BEQ, 0, 1, 2, 0, 0, 0, 8));                    // B
  EXPECT_EQ(atom("bnz r9, 0"), make(Op::BNZ, 0, 9, 0));                                       // BZ
  EXPECT_EQ(atom("bcc c, 0x10"), make(Op::BCC, 0, 0, 0, 0, 2, 0, 2));                         // BC
  EXPECT_EQ(atom("j -8"), make(Op::J, 0, 0, 0, 0, 0, 0, -1));                                 // J
  EXPECT_EQ(atom("agen.32 r1, r2, gs"), make(Op::AGEN, 1, 2, 0, 4, 0, 5));                    // SG
  EXPECT_EQ(atom("agen.8 r1, r2, s7"), make(Op::AGEN, 1, 2, 0, 1, 0, 7));
  EXPECT_EQ(atom("mfsr r1, seglim3"), make(Op::MFSR, 1, 0, 0, 0, 0, 0x1B));                    // MFS
  EXPECT_EQ(atom("mtsr tvec, r2"), make(Op::MTSR, 0, 2, 0, 0, 0, 0x01));                      // MTS
  EXPECT_EQ(atom("svc 65535"), make(Op::SVC, 0, 0, 0, 0, 0, 0, 65535));                       // K
  EXPECT_EQ(atom("trap 0"), make(Op::TRAP, 0, 0, 0));
}

TEST(AsmFormats, RegisterConditionAndSegmentNames) {
  EXPECT_EQ(atom("add zero, sp, lr"), make(Op::ADD, 0, 62, 63));
  EXPECT_EQ(atom("add r63, r0, r10"), make(Op::ADD, 63, 0, 10));
  const char* conds[][2] = {{"o", "0"},   {"no", "1"},  {"b", "2"},   {"c", "2"},   {"nae", "2"}, {"ae", "3"},
                            {"nb", "3"},  {"nc", "3"},  {"e", "4"},   {"z", "4"},   {"ne", "5"},  {"nz", "5"},
                            {"be", "6"},  {"na", "6"},  {"a", "7"},   {"nbe", "7"}, {"s", "8"},   {"ns", "9"},
                            {"p", "10"},  {"pe", "10"}, {"np", "11"}, {"po", "11"}, {"l", "12"},  {"nge", "12"},
                            {"ge", "13"}, {"nl", "13"}, {"le", "14"}, {"ng", "14"}, {"g", "15"},  {"nle", "15"}};
  for (const auto& [name, value] : conds) {
    EXPECT_EQ(atom(std::string("setcc r1, ") + name).cond, std::stoi(value)) << name;
  }
  const char* segs[] = {"es", "cs", "ss", "ds", "fs", "gs", "s6", "s7"};
  for (unsigned i = 0; i < 8; ++i) {
    EXPECT_EQ(atom(std::string("agen.32 r1, r2, ") + segs[i]).aux, i);
    EXPECT_EQ(atom("agen.32 r1, r2, s" + std::to_string(i)).aux, i);
  }
  for (const SregInfo& s : sregTable()) {
    EXPECT_EQ(atom("mfsr r1, " + std::string(s.name)).aux, s.number) << s.name;
  }
}

TEST(AsmExpressions, PrecedenceAndOperators) {
  EXPECT_EQ(constant("1 + 2 * 3"), 7);
  EXPECT_EQ(constant("(1 + 2) * 3"), 9);
  EXPECT_EQ(constant("1 << 4 + 1"), 32);  // + binds tighter than <<, as in C
  EXPECT_EQ(constant("0xF0 | 0x0F & 0x3"), 0xF3);
  EXPECT_EQ(constant("6 ^ 3 | 8"), 13);
  EXPECT_EQ(constant("-7 / 2"), -3);
  EXPECT_EQ(constant("-7 % 2"), -1);
  EXPECT_EQ(constant("~0"), -1);
  EXPECT_EQ(constant("- -5"), 5);
  EXPECT_EQ(constant("-16 >> 2"), -4);
  EXPECT_EQ(constant("0b1011"), 11);
  EXPECT_EQ(constant("'A' + '\\n'"), 65 + 10);
  EXPECT_EQ(constant("'\\x41'"), 0x41);
  EXPECT_EQ(constant("0xFFFFFFFFFFFFFFFF"), -1);
  EXPECT_EQ(constant("0x7FFFFFFFFFFFFFFF + 1"), INT64_MIN);  // wraps, no UB
  EXPECT_EQ(constant("(0-0x7FFFFFFFFFFFFFFF-1) / -1"), INT64_MIN);
  EXPECT_EQ(constant("((((((((((1))))))))))"), 1);
}

TEST(AsmExpressions, HiLoLoadAny32BitValue) {
  EXPECT_EQ(constant("%hi(0x12345678)"), 0x1234);
  EXPECT_EQ(constant("%lo(0x12345678)"), 0x5678);
  EXPECT_EQ(constant("%hi(0xFFFF8000)"), 0xFFFF);
  EXPECT_EQ(constant("%lo(-1)"), 0xFFFF);
  // li sign-extends imm16 and lih replaces the upper half, so the pair loads any value.
  const AsmResult r = assemble(".equ V, 0x8765ABCD\n li r1, %lo(V)\n lih r1, %hi(V)\n");
  ASSERT_TRUE(r.ok) << r.errorText();
  const MoleculeDecode lo = decodeMolecule(r.image);
  const MoleculeDecode hi = decodeMolecule(std::span(r.image).subspan(8));
  EXPECT_EQ(lo.molecule.atoms[0], make(Op::LI, 1, 0, 0, 0, 0, 0, 0xABCD));
  EXPECT_EQ(hi.molecule.atoms[0], make(Op::LIH, 1, 0, 0, 0, 0, 0, 0x8765));
}

TEST(AsmExpressions, SymbolsDotAndForwardReferences) {
  const AsmResult r = assemble(
      ".equ A, B + 1\n"     // forward reference to a constant
      ".equ B, end - start\n"
      "start: nop\n"
      "       nop\n"
      "end:   .word .\n");
  ASSERT_TRUE(r.ok) << r.errorText();
  std::map<std::string, int64_t> v;
  for (const AsmSymbol& s : r.symbols) v[s.name] = s.value;
  EXPECT_EQ(v["start"], 0);
  EXPECT_EQ(v["end"], 16);
  EXPECT_EQ(v["B"], 16);
  EXPECT_EQ(v["A"], 17);
  ASSERT_EQ(r.image.size(), 20u);
  EXPECT_EQ(r.image[16], 16);  // '.' is the address of the .word
}

TEST(AsmBranches, TargetsAreAbsoluteAndEncodedRelative) {
  const AsmResult r = assemble(
      ".section .text, 0x1000\n"
      "top:  nop\n"
      "      { beq r1, r2, top ; add r3, r3, r3 }\n"   // at 0x1008: offset -1
      "      j top + 0x100\n"                          // at 0x1010: offset +0x1E
      "      { call . }\n");                           // at 0x1018: offset 0
  ASSERT_TRUE(r.ok) << r.errorText();
  ASSERT_EQ(r.image.size(), 32u);
  const auto at = [&](unsigned off) { return decodeMolecule(std::span(r.image).subspan(off)).molecule; };
  EXPECT_EQ(at(8).atoms[1], make(Op::BEQ, 0, 1, 2, 0, 0, 0, -1));
  EXPECT_EQ(at(8).atoms[0], make(Op::ADD, 3, 3, 3));
  EXPECT_EQ(at(16).atoms[1], make(Op::J, 0, 0, 0, 0, 0, 0, 0x1E));
  EXPECT_EQ(at(24).atoms[1], make(Op::CALL, 0, 0, 0));
}

TEST(AsmBranches, RangeLimits) {
  // B has an 11-bit offset: -1024..1023 molecules.
  EXPECT_TRUE(assemble("beq r1, r2, 1023*8").ok);
  EXPECT_FALSE(assemble("beq r1, r2, 1024*8").ok);
  EXPECT_TRUE(assemble(".section .text, 0x10000\n beq r1, r2, 0x10000 - 1024*8").ok);
  EXPECT_FALSE(assemble(".section .text, 0x10000\n beq r1, r2, 0x10000 - 1025*8").ok);
  EXPECT_TRUE(assemble("j 0x1FFFFF8").ok);  // J: 23 bits, +-2^22 molecules
  EXPECT_FALSE(assemble("j 0x2000000").ok);
  EXPECT_FALSE(assemble("j 4").ok);         // not 8-aligned
  // Addresses wrap at 2^32: a jump from 0 to 0xFFFFFFF8 is one molecule back.
  const AsmResult r = assemble("j 0xFFFFFFF8");
  ASSERT_TRUE(r.ok) << r.errorText();
  EXPECT_EQ(decodeMolecule(r.image).molecule.atoms[1].imm, -1);
}

TEST(AsmCommit, BracedAndBareMolecules) {
  EXPECT_TRUE(one("{ add r1, r2, r3 } commit").commit);
  EXPECT_FALSE(one("{ add r1, r2, r3 }").commit);
  EXPECT_TRUE(one("halt commit").commit);
  EXPECT_TRUE(one("add r1, r2, r3 commit").commit);
  EXPECT_FALSE(one("halt").commit);
  EXPECT_TRUE(one("{\n  add r1, r2, r3\n  ld32 r4, 0(r5)\n} commit").commit);
}

TEST(AsmCommit, MoleculeSpanningLinesEqualsOneLine) {
  const AsmResult a = assemble("{ add r1, r2, r3 ; ld32 r4, 4(r5) ; j 0 }");
  const AsmResult b = assemble("{\n  add r1, r2, r3   # comment\n\n  ld32 r4, 4(r5) // more\n  j 0\n}");
  ASSERT_TRUE(a.ok && b.ok) << a.errorText() << b.errorText();
  EXPECT_EQ(a.image, b.image);
}

}  // namespace
}  // namespace codemorph::hostisa
