// Disassembler: exact text of atoms and molecules, listings, undecodable units as .word,
// and reassemblable output that cm-as turns back into identical bytes.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "codemorph/hostisa/assembler.h"
#include "codemorph/hostisa/disassembler.h"
#include "codemorph/hostisa/isa.h"

namespace codemorph::hostisa {
namespace {

std::vector<uint8_t> image(const std::string& src, uint32_t base = 0) {
  AsmOptions opt;
  opt.baseAddress = base;
  const AsmResult r = assemble(src, opt);
  EXPECT_TRUE(r.ok) << r.errorText();
  return r.image;
}

TEST(Disassembler, AtomText) {
  Atom a;
  a.op = Op::ADD_CC;
  a.rd = 1;
  a.rs1 = 2;
  a.rs2 = 3;
  a.width = 2;
  EXPECT_EQ(disassembleAtom(a, 0), "add.cc.16 r1, r2, r3");
  Atom b;
  b.op = Op::BEQ;
  b.rs1 = 4;
  b.rs2 = 5;
  b.imm = -2;
  EXPECT_EQ(disassembleAtom(b, 0x1000), "beq r4, r5, 0xff0");
  Atom m;
  m.op = Op::STC16;
  m.rs1 = 7;
  m.rs2 = 8;
  m.aux = 0x81;
  EXPECT_EQ(disassembleAtom(m, 0), "stc16 r8, (r7), 0x81");
  Atom s;
  s.op = Op::MTSR;
  s.rs1 = 9;
  s.aux = 0x13;
  EXPECT_EQ(disassembleAtom(s, 0), "mtsr segbase3, r9");
  Atom g;
  g.op = Op::AGEN;
  g.rd = 1;
  g.rs1 = 2;
  g.aux = 3;
  g.width = 4;
  EXPECT_EQ(disassembleAtom(g, 0), "agen.32 r1, r2, ds");
  Atom l;
  l.op = Op::LI;
  l.rd = 1;
  l.imm = 0xFFFF;
  EXPECT_EQ(disassembleAtom(l, 0), "li r1, 0xffff");
  Atom bad;
  bad.op = static_cast<Op>(250);
  EXPECT_EQ(disassembleAtom(bad, 0), "<invalid atom>");
}

TEST(Disassembler, MoleculeText) {
  const std::vector<uint8_t> img = image("{ ldp16s r1, -3(r2), a5 ; sel r3, r4, r5, le ; svc 42 } commit");
  const MoleculeDecode d = decodeMolecule(img);
  ASSERT_EQ(d.error, MoleculeError::None);
  EXPECT_EQ(disassembleMolecule(d.molecule, 0), "{ sel r3, r4, r5, le ; nop ; ldp16s r1, -3(r2), a5 ; svc 42 } commit");
}

TEST(Disassembler, ListingAndUndecodableUnits) {
  std::vector<uint8_t> img = image(".section .text, 0x100\n{ add r1, r2, r3 } commit\n.word 0xFFFFFFFF, 0x12345678\n.byte 1, 2, 3");
  DisasmOptions opt;
  opt.baseAddress = 0x100;
  const std::string listing = disassembleImage(img, opt);
  EXPECT_EQ(listing,
            "00000100:  00821060 80000000                    { add r1, r2, r3 ; nop } commit\n"
            "00000108:  ffffffff 12345678                    .word 0xffffffff, 0x12345678   # reserved or disabled molecule size\n"
            "00000110:  01 02 03                             .byte 0x1, 0x2, 0x3\n");
  opt.reassemblable = true;
  const std::string src = disassembleImage(img, opt);
  EXPECT_EQ(src,
            "# cm-dis output: assemble with cm-as\n"
            ".section .text, 0x100\n"
            "    { add r1, r2, r3 ; nop } commit\n"
            "    .word 0xffffffff, 0x12345678   # reserved or disabled molecule size\n"
            "    .byte 0x1, 0x2, 0x3\n");
  const AsmResult again = assemble(src);
  ASSERT_TRUE(again.ok) << again.errorText();
  EXPECT_EQ(again.imageBase, 0x100u);
  EXPECT_EQ(again.image, img);
}

TEST(Disassembler, DisassembleAtForTracePrinters) {
  const std::vector<uint8_t> img = image("{ add r1, r2, r3 ; ld32 r4, 0(r5) ; j 0 }");
  const DisasmUnit u = disassembleAt(img, 0x40, 4);
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.bytes, 16u);
  EXPECT_EQ(u.decode.molecule.numAtoms, 4);
  EXPECT_EQ(u.text, "{ add r1, r2, r3 ; nop ; ld32 r4, 0(r5) ; j 0x40 }");  // offset 0 seen from 0x40
  const DisasmUnit t = disassembleAt(std::span(img).first(8), 0, 4);
  EXPECT_FALSE(t.valid);
  EXPECT_EQ(t.decode.error, MoleculeError::Truncated);
  EXPECT_EQ(t.bytes, 8u);
}

TEST(Disassembler, EightAtomMoleculesNeedTheKnob) {
  AsmOptions a;
  a.maxAtoms = 8;
  const AsmResult r = assemble("{ ld32 r1, 0(r2) ; ld32 r3, 0(r4) }", a);
  ASSERT_TRUE(r.ok) << r.errorText();
  ASSERT_EQ(r.image.size(), 32u);
  DisasmOptions wide;
  wide.maxAtoms = 8;
  wide.reassemblable = true;
  EXPECT_NE(disassembleImage(r.image, wide).find("{ nop ; nop ; ld32 r1, 0(r2) ; nop ; nop ; nop ; ld32 r3, 0(r4) ; nop }"),
            std::string::npos);
  DisasmOptions narrow;
  narrow.reassemblable = true;
  const std::string src = disassembleImage(r.image, narrow);  // 4-atom view: data words
  EXPECT_NE(src.find(".word"), std::string::npos);
  const AsmResult back = assemble(src);
  ASSERT_TRUE(back.ok) << back.errorText();
  EXPECT_EQ(back.image, r.image);
}

TEST(Disassembler, RandomImagesReassembleToIdenticalBytes) {
  std::mt19937 rng(12345);
  for (int iter = 0; iter < 200; ++iter) {
    std::vector<uint8_t> bytes(1 + rng() % 200);
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
    DisasmOptions opt;
    opt.baseAddress = static_cast<uint32_t>(rng() % 0x10000);
    opt.reassemblable = true;
    const std::string src = disassembleImage(bytes, opt);
    AsmOptions aopt;
    const AsmResult r = assemble(src, aopt);
    ASSERT_TRUE(r.ok) << src << r.errorText();
    EXPECT_EQ(r.imageBase, opt.baseAddress);
    EXPECT_EQ(r.image, bytes) << src;
  }
}

}  // namespace
}  // namespace codemorph::hostisa
