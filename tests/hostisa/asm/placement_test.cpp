// Slot placement: the smallest molecule that holds the atoms, written order kept when it is
// legal and complete, reordering otherwise, 8-atom molecules only with maxAtoms 8.
#include <gtest/gtest.h>

#include <string>

#include "codemorph/hostisa/assembler.h"
#include "codemorph/hostisa/disassembler.h"
#include "codemorph/hostisa/isa.h"

namespace codemorph::hostisa {
namespace {

// The molecule assembled from src, disassembled (one molecule at address 0).
std::string placed(const std::string& src, unsigned maxAtoms = 4) {
  AsmOptions opt;
  opt.maxAtoms = maxAtoms;
  const AsmResult r = assemble(src, opt);
  if (!r.ok) return "error: " + r.errors.front().message;
  const MoleculeDecode d = decodeMolecule(r.image, 8);
  EXPECT_EQ(d.error, MoleculeError::None);
  EXPECT_EQ(d.molecule.bytes(), r.image.size());
  return disassembleMolecule(d.molecule, 0);
}

TEST(AsmPlacement, TwoAtomsWhenTheyFit) {
  EXPECT_EQ(placed("add r1, r2, r3"), "{ add r1, r2, r3 ; nop }");
  EXPECT_EQ(placed("ld32 r1, 0(r2)"), "{ ld32 r1, 0(r2) ; nop }");
  EXPECT_EQ(placed("j 0"), "{ nop ; j 0x0 }");
  EXPECT_EQ(placed("mul r1, r2, r3"), "{ mul r1, r2, r3 ; nop }");
  EXPECT_EQ(placed("{ ld32 r1, 0(r2) ; bz r1, 0 }"), "{ ld32 r1, 0(r2) ; bz r1, 0x0 }");
  EXPECT_EQ(placed("{ add r1, r2, r3 ; add r4, r5, r6 }"), "{ add r1, r2, r3 ; add r4, r5, r6 }");
}

TEST(AsmPlacement, ReordersIntoLegalSlots) {
  EXPECT_EQ(placed("{ j 0 ; ld32 r1, 0(r2) }"), "{ ld32 r1, 0(r2) ; j 0x0 }");
  EXPECT_EQ(placed("{ add r1, r2, r3 ; ld32 r4, 0(r5) }"), "{ ld32 r4, 0(r5) ; add r1, r2, r3 }");
  EXPECT_EQ(placed("{ j 0 ; ld32 r1, 0(r2) ; add r3, r4, r5 }"),
            "{ add r3, r4, r5 ; nop ; ld32 r1, 0(r2) ; j 0x0 }");
  EXPECT_EQ(placed("{ add r3, r4, r5 ; mul r1, r2, r6 ; ld32 r7, 0(r8) }"),
            "{ mul r1, r2, r6 ; add r3, r4, r5 ; ld32 r7, 0(r8) ; nop }");
}

TEST(AsmPlacement, WrittenOrderKeptWhenLegalAndFull) {
  // nop is accepted everywhere, so a written nop keeps its position.
  EXPECT_EQ(placed("{ nop ; add r1, r2, r3 }"), "{ nop ; add r1, r2, r3 }");
  EXPECT_EQ(placed("{ add r1, r2, r3 ; nop ; nop ; nop }"), "{ add r1, r2, r3 ; nop ; nop ; nop }");
  EXPECT_EQ(placed("{ nop ; add r1, r2, r3 ; nop ; nop }"), "{ nop ; add r1, r2, r3 ; nop ; nop }");
  // Same atoms, one short of full: placed into the lowest legal slots.
  EXPECT_EQ(placed("{ nop ; add r1, r2, r3 ; nop }"), "{ nop ; add r1, r2, r3 ; nop ; nop }");
}

TEST(AsmPlacement, FourWhenTwoCannotHoldThem) {
  EXPECT_EQ(placed("{ ld32 r1, 0(r2) ; mul r3, r4, r5 }"), "{ mul r3, r4, r5 ; nop ; ld32 r1, 0(r2) ; nop }");
  EXPECT_EQ(placed("{ add r1, r2, r3 ; add r4, r5, r6 ; add r7, r8, r9 }"),
            "error: too many ALU atoms: 3, a 4-atom molecule has 2 ALU slots");
  EXPECT_EQ(placed("{ ld32 r1, 0(r2) ; ld32 r3, 0(r4) }"),
            "error: too many LSU atoms: 2, a 4-atom molecule has 1 LSU slot");
}

TEST(AsmPlacement, EightOnlyWithTheKnob) {
  const std::string src = "{ add r1, r2, r3 ; add r4, r5, r6 ; add r7, r8, r9 ; ld32 r10, 0(r11) ; ld32 r12, 0(r13) }";
  EXPECT_EQ(placed(src, 8),
            "{ add r1, r2, r3 ; add r4, r5, r6 ; ld32 r10, 0(r11) ; nop ; add r7, r8, r9 ; nop ; ld32 r12, 0(r13) ; nop }");
  EXPECT_EQ(placed(src, 4).substr(0, 6), "error:");
  // With the knob, small molecules still use the smallest size.
  EXPECT_EQ(placed("add r1, r2, r3", 8), "{ add r1, r2, r3 ; nop }");
  EXPECT_EQ(placed("{ nop ; nop ; nop ; nop ; nop ; nop ; nop ; nop }", 8),
            "{ nop ; nop ; nop ; nop ; nop ; nop ; nop ; nop }");
}

TEST(AsmPlacement, SizeDoesNotDependOnSymbolValues) {
  // Same atoms with a forward and a backward target: same molecule size.
  AsmOptions opt;
  const AsmResult r = assemble("back: { add r1, r2, r3 ; bnz r1, fwd }\n{ add r1, r2, r3 ; bnz r1, back }\nfwd: nop\n", opt);
  ASSERT_TRUE(r.ok) << r.errorText();
  EXPECT_EQ(r.image.size(), 24u);
}

}  // namespace
}  // namespace codemorph::hostisa
