// Assembler directives: sections and their placement, .org, .align, data (.byte .half
// .word .ascii .asciz), .space, .equ/.set, .global, the base-address option and molecule
// auto-alignment.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "codemorph/hostisa/assembler.h"

namespace codemorph::hostisa {
namespace {

AsmResult ok(const std::string& src, uint32_t base = 0) {
  AsmOptions opt;
  opt.baseAddress = base;
  AsmResult r = assemble(src, opt);
  EXPECT_TRUE(r.ok) << src << "\n" << r.errorText();
  return r;
}

std::map<std::string, AsmSymbol> symbols(const AsmResult& r) {
  std::map<std::string, AsmSymbol> m;
  for (const AsmSymbol& s : r.symbols) m[s.name] = s;
  return m;
}

using Bytes = std::vector<uint8_t>;

TEST(AsmDirectives, DataLittleEndianAndRangeChecked) {
  EXPECT_EQ(ok(".byte 1, 255, -1, 'a'").image, (Bytes{1, 255, 255, 'a'}));
  EXPECT_EQ(ok(".half 0x1234, -1").image, (Bytes{0x34, 0x12, 0xFF, 0xFF}));
  EXPECT_EQ(ok(".word 0x12345678, -2").image, (Bytes{0x78, 0x56, 0x34, 0x12, 0xFE, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(ok(".word 0xFFFFFFFF, -0x80000000").image, (Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0x80}));
  EXPECT_FALSE(assemble(".word 0x100000000").ok);
  EXPECT_FALSE(assemble(".word -0x80000001").ok);
  EXPECT_FALSE(assemble(".half 65536").ok);
  EXPECT_FALSE(assemble(".byte -129").ok);
}

TEST(AsmDirectives, Strings) {
  EXPECT_EQ(ok(".ascii \"ab\", \"c\"").image, (Bytes{'a', 'b', 'c'}));
  EXPECT_EQ(ok(".asciz \"a\\n\\t\\x41\\101\\0\\\\\\\"\"").image, (Bytes{'a', '\n', '\t', 0x41, 0x41, 0, '\\', '"', 0}));
  EXPECT_EQ(ok(".asciz \"# not a comment\"").image.size(), 16u);
}

TEST(AsmDirectives, SpaceAndAlign) {
  EXPECT_EQ(ok(".byte 1\n.space 3\n.byte 2").image, (Bytes{1, 0, 0, 0, 2}));
  EXPECT_EQ(ok(".space 2, 0xAA\n.byte 1").image, (Bytes{0xAA, 0xAA, 1}));
  EXPECT_EQ(ok(".byte 1\n.align 4\n.byte 2").image, (Bytes{1, 0, 0, 0, 2}));
  EXPECT_EQ(ok(".align 4\n.byte 2").image, (Bytes{2}));
  EXPECT_EQ(ok(".byte 1\n.align 1\n.byte 2").image, (Bytes{1, 2}));
}

TEST(AsmDirectives, MoleculesAreAlignedToEightBytes) {
  const AsmResult r = ok(".byte 1\nhere: nop\n.byte 2\nthere: { nop } commit\n");
  ASSERT_EQ(r.image.size(), 32u);
  EXPECT_EQ(symbols(r)["here"].value, 8);   // label binds to the aligned molecule
  EXPECT_EQ(symbols(r)["there"].value, 24);
  EXPECT_EQ(r.image[1], 0);                 // padding is zero
  EXPECT_EQ(r.image[16], 2);
  EXPECT_EQ(r.image[17], 0);
}

TEST(AsmDirectives, OrgIsAbsolute) {
  const AsmResult r = ok(".byte 1\n.org 4\n.byte 2\nx: .org 8\nnop", 0);
  EXPECT_EQ(r.image, (Bytes{1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(symbols(r)["x"].value, 5);
  const AsmResult b = ok(".org 0x1010\nstart: .byte 7", 0x1000);
  EXPECT_EQ(b.imageBase, 0x1000u);
  EXPECT_EQ(b.image.size(), 0x11u);
  EXPECT_EQ(symbols(b)["start"].value, 0x1010);
  EXPECT_FALSE(assemble(".byte 1\n.org 0").ok);
}

TEST(AsmDirectives, BaseAddressOption) {
  const AsmResult r = ok("start: nop\nj start", 0x8000);
  EXPECT_EQ(r.imageBase, 0x8000u);
  EXPECT_EQ(r.image.size(), 16u);
  EXPECT_EQ(symbols(r)["start"].value, 0x8000);
}

TEST(AsmDirectives, DataFollowsTextAlignedTo16) {
  const AsmResult r = ok(".data\nd: .byte 9\n.text\nt: nop\n.byte 1\n", 0x100);
  const auto s = symbols(r);
  EXPECT_EQ(s.at("t").value, 0x100);
  EXPECT_EQ(s.at("d").value, 0x110);  // .text is 9 bytes: .data at the next 16-byte boundary
  EXPECT_EQ(r.imageBase, 0x100u);
  ASSERT_EQ(r.image.size(), 0x11u);
  EXPECT_EQ(r.image[0x10], 9);
  ASSERT_EQ(r.sections.size(), 2u);
  EXPECT_EQ(r.sections[1].name, ".data");
  EXPECT_EQ(r.sections[1].start, 0x110u);
  EXPECT_EQ(r.sections[1].size, 1u);
}

TEST(AsmDirectives, NamedSectionsWithAddressesAndGaps) {
  const AsmResult r = ok(".section .vectors, 0x20\n.word 0xAABBCCDD\n.section .boot, 0x10\n.byte 1\n.text\n.byte 2\n");
  EXPECT_EQ(r.imageBase, 0u);  // lowest section start (.text at 0)
  ASSERT_EQ(r.image.size(), 0x24u);
  EXPECT_EQ(r.image[0], 2);
  EXPECT_EQ(r.image[0x10], 1);
  EXPECT_EQ(r.image[0x11], 0);
  EXPECT_EQ(r.image[0x20], 0xDD);
  // An empty .text does not take part in the image extent.
  const AsmResult hi = ok(".section .rom, 0xFFFF0\n.byte 5\n");
  EXPECT_EQ(hi.imageBase, 0xFFFF0u);
  EXPECT_EQ(hi.image, (Bytes{5}));
  // Switching back to a section continues where it stopped.
  const AsmResult back = ok(".data\n.byte 1\n.text\nnop\n.data\n.byte 2\n");
  EXPECT_EQ(back.image.size(), 0x12u);
  EXPECT_EQ(back.image[0x10], 1);
  EXPECT_EQ(back.image[0x11], 2);
}

TEST(AsmDirectives, EquSetAndGlobal) {
  const AsmResult r = ok(
      ".global main, K\n"
      ".equ K, 3\n"
      ".set v, 1\n"
      ".byte v\n"
      ".set v, v + 1\n"
      ".byte v, K\n"
      "main: nop\n");
  EXPECT_EQ(r.image[0], 1);
  EXPECT_EQ(r.image[1], 2);
  EXPECT_EQ(r.image[2], 3);
  const auto s = symbols(r);
  EXPECT_TRUE(s.at("main").global);
  EXPECT_TRUE(s.at("main").isLabel);
  EXPECT_TRUE(s.at("K").global);
  EXPECT_FALSE(s.at("K").isLabel);
  EXPECT_FALSE(s.at("v").global);
  EXPECT_EQ(s.at("v").value, 2);
  EXPECT_FALSE(assemble(".equ a, 1\n.set a, 2").ok);  // .equ cannot be redefined
}

TEST(AsmDirectives, EquUsedInLayoutWhenDefinedEarlier) {
  const AsmResult r = ok(".equ N, 4\n.space N * 2, 1\n.align N\n.section .d, 0x40 + N\n.byte 1\n");
  EXPECT_EQ(r.image.size(), 0x45u);
  EXPECT_EQ(r.image[7], 1);
  EXPECT_EQ(r.image[0x44], 1);
}

TEST(AsmDirectives, EmptySourceGivesEmptyImage) {
  const AsmResult r = ok("# nothing\n\n   // at all\n");
  EXPECT_TRUE(r.image.empty());
  EXPECT_TRUE(r.errors.empty());
}

}  // namespace
}  // namespace codemorph::hostisa
