// Assembler diagnostics: "file:line:column: error: ..." pointing at the offending token
// with the expected/actual text, the error cap, and robustness against hostile input
// (NUL bytes, non-UTF-8, huge numbers, deep nesting, unterminated strings, huge layouts).
#include <gtest/gtest.h>

#include <string>

#include "codemorph/hostisa/assembler.h"

namespace codemorph::hostisa {
namespace {

// The first diagnostic of assembling src, as "line:column: message".
std::string firstError(const std::string& src, unsigned maxAtoms = 4) {
  AsmOptions opt;
  opt.fileName = "f.s";
  opt.maxAtoms = maxAtoms;
  const AsmResult r = assemble(src, opt);
  EXPECT_FALSE(r.ok) << src;
  EXPECT_TRUE(r.image.empty());
  if (r.errors.empty()) return "(no error)";
  const AsmDiagnostic& d = r.errors.front();
  EXPECT_EQ(d.file, "f.s");
  return std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message;
}

TEST(AsmErrors, FormatOfTheMessage) {
  AsmOptions opt;
  opt.fileName = "boot.s";
  const AsmResult r = assemble("nop\n  add r1, r2, foo\n", opt);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].str(), "boot.s:2:15: error: expected register, got 'foo'");
  EXPECT_EQ(r.errorText(), "boot.s:2:15: error: expected register, got 'foo'\n");
}

TEST(AsmErrors, OperandsAndMnemonics) {
  EXPECT_EQ(firstError("add r1, r2\n"), "1:11: expected ',', got end of line");
  EXPECT_EQ(firstError("add r1 r2, r3"), "1:8: expected ',', got 'r2'");
  EXPECT_EQ(firstError("ld32 r1, 8(r64)"), "1:12: expected register, got 'r64'");
  EXPECT_EQ(firstError("ld32 r1, 8 r2"), "1:12: expected '(' before the base register, got 'r2'");
  EXPECT_EQ(firstError("frob r1"), "1:1: unknown mnemonic 'frob'");
  EXPECT_EQ(firstError("add.cc r1, r2, r3"), "1:1: 'add.cc' needs a width suffix: expected .8, .16 or .32");
  EXPECT_EQ(firstError("add.cc.64 r1, r2, r3"), "1:1: invalid width suffix '.64' on 'add.cc': expected .8, .16 or .32");
  EXPECT_EQ(firstError("add.32 r1, r2, r3"), "1:1: 'add' takes no width suffix");
  EXPECT_EQ(firstError("setcc r1, zz"), "1:11: expected condition (o no b ae e ne be a s ns p np l ge le g), got 'zz'");
  EXPECT_EQ(firstError("agen.8 r1, r2, s8"), "1:16: expected segment (es cs ss ds fs gs or s0..s7), got 's8'");
  EXPECT_EQ(firstError("ldp32 r1, (r2), a8"), "1:17: expected alias register a0..a7, got 'a8'");
  EXPECT_EQ(firstError("mfsr r1, bogus"), "1:10: expected special register name (e.g. tvec, xflags), got 'bogus'");
  EXPECT_EQ(firstError("addi r1, r2, r3"), "1:14: expected expression, got register 'r3'");
  EXPECT_EQ(firstError("add r1, r2, r3 r4"), "1:16: expected end of line, got 'r4'");
}

TEST(AsmErrors, ValueRanges) {
  EXPECT_EQ(firstError("addi r1, r2, 1024"), "1:14: value 1024 is out of range for simm11 (-1024..1023)");
  EXPECT_EQ(firstError("\n addi.cc.8 r1, r2, -257"), "2:20: value -257 is out of range for simm9 (-256..255)");
  EXPECT_EQ(firstError("li r1, 65536"), "1:8: value 65536 is out of range for imm16 (-32768..65535)");
  EXPECT_EQ(firstError("stc8 r1, (r2), 256"), "1:16: value 256 is out of range for mask8 (0..255)");
  EXPECT_EQ(firstError("ldp8u r1, 128(r2), a0"), "1:11: value 128 is out of range for simm8 (-128..127)");
  EXPECT_EQ(firstError("j 12"), "1:3: branch target 0xc is not 8-byte aligned");
  EXPECT_EQ(firstError("bz r1, 0x100000"), "1:8: branch target 0x100000 is out of range: 131072 molecules away, allowed -65536..65535");
  EXPECT_EQ(firstError(".byte 256"), "1:7: value 256 does not fit in 8 bits (-128..255)");
  EXPECT_EQ(firstError(".half 1, -32769"), "1:10: value -32769 does not fit in 16 bits (-32768..65535)");
}

TEST(AsmErrors, SymbolsAndExpressions) {
  EXPECT_EQ(firstError("j nowhere"), "1:3: undefined symbol 'nowhere'");
  EXPECT_EQ(firstError("x: nop\nx: nop"), "2:1: symbol 'x' is already defined (line 1)");
  EXPECT_EQ(firstError(".equ a, 1\n.equ a, 2"), "2:6: symbol 'a' is already defined (line 1)");
  EXPECT_EQ(firstError(".word 1/0"), "1:8: division by zero");
  EXPECT_EQ(firstError(".word 1 % (2-2)"), "1:9: division by zero");
  EXPECT_EQ(firstError(".word 1 << 64"), "1:9: shift count 64 is outside 0..63");
  EXPECT_EQ(firstError(".word (1\n"), "1:9: expected ')', got end of line");
  EXPECT_EQ(firstError(".word %mid(1)"), "1:8: expected 'hi' or 'lo' after '%', got 'mid'");
  EXPECT_EQ(firstError(".word 99999999999999999999"), "1:7: number '99999999999999999999' does not fit in 64 bits");
  EXPECT_EQ(firstError(".word 0x12g"), "1:7: invalid number '0x12g'");
  EXPECT_EQ(firstError(".equ a, b\n.equ b, a"), "1:9: symbol 'b' has no value (circular definition?)");
  EXPECT_EQ(firstError(".equ r5, 3"), "1:6: 'r5' is reserved and cannot be a symbol");
  EXPECT_EQ(firstError("commit: nop"), "1:1: 'commit' is reserved and cannot be a label");
  EXPECT_EQ(firstError(".global main"), "1:9: global symbol 'main' is never defined");
  EXPECT_EQ(firstError(".space later\nlater: nop"),
            "1:8: value of 'later' is not known here: layout directives (.org .align .space .section) may only use "
            "symbols defined earlier, in sections with a fixed address");
}

TEST(AsmErrors, Molecules) {
  EXPECT_EQ(firstError("{ ld32 r1, 0(r2) ; ld32 r3, 0(r4) }"), "1:1: too many LSU atoms: 2, a 4-atom molecule has 1 LSU slot");
  EXPECT_EQ(firstError("{ mul r1, r2, r3 ; div r4, r5, r6 }"), "1:1: too many ALU0 atoms: 2, a 4-atom molecule has 1 ALU0 slot");
  EXPECT_EQ(firstError("{ mul r1, r2, r3 ; add r4, r5, r6 ; sub r7, r8, r9 }"),
            "1:1: atoms cannot be placed in the slots of a molecule of up to 4 atoms (units: ALU0, ALU, ALU)");
  EXPECT_EQ(firstError("  { add r1, r2, r3 ; sub r1, r4, r5 }"), "1:3: two atoms of the molecule write r1");
  EXPECT_EQ(firstError("{ add.cc.32 r1, r2, r3 ; sub.cc.32 r4, r5, r6 }"), "1:1: two atoms of the molecule write xflags");
  EXPECT_EQ(firstError("{ j 0 ; nop ; nop ; nop ; trap 1 ; nop }", 8),
            "1:1: too many BRU atoms: 2, an 8-atom molecule has 1 BRU slot");
  EXPECT_EQ(firstError("{ nop ; nop ; nop ; nop ; nop }"), "1:1: too many atoms: 5, a molecule holds at most 4");
  EXPECT_EQ(firstError("{ }"), "1:1: empty molecule");
  EXPECT_EQ(firstError("nop\n{ add r1, r2, r3\n"), "2:1: missing '}' at the end of this molecule");
  EXPECT_EQ(firstError("{ add r1, r2, r3 commit }"), "1:18: 'commit' applies to the whole molecule: write it after '}'");
  EXPECT_EQ(firstError("{ nop\nlbl: nop }"), "2:1: expected atom or '}', got 'lbl' (labels and directives cannot be inside a molecule)");
  EXPECT_EQ(firstError("nop ; nop"), "1:5: ';' separates atoms only inside '{ }'");
  EXPECT_EQ(firstError("}"), "1:1: expected label, atom, '{' or directive, got '}'");
}

TEST(AsmErrors, Directives) {
  EXPECT_EQ(firstError(".frobnicate 1"), "1:1: unknown directive '.frobnicate'");
  EXPECT_EQ(firstError(".section .x, 0x100\n.org 0x80"), "2:1: '.org 0x80' would move backwards (current address 0x100)");
  EXPECT_EQ(firstError(".data\n.org 0x80"), "2:1: '.org' needs a section with a known address: give '.data' one with '.section .data, ADDR'");
  EXPECT_EQ(firstError(".align 3"), "1:8: alignment 3 is not a power of two");
  EXPECT_EQ(firstError(".ascii 5"), "1:8: expected string, got '5'");
  EXPECT_EQ(firstError(".section .a, 0x10\n.section .a, 0x20"), "2:10: section '.a' already has an address");
  EXPECT_EQ(firstError(".section .a, 0x10\n.word 1\n.section .b, 0x12\n.word 2"),
            "3:10: sections '.a' (0x10..0x14) and '.b' (0x12..0x16) overlap");
  EXPECT_EQ(firstError(".space 0x4000001"), "1:8: '.space' size 67108865 is out of range (0..67108864)");
  EXPECT_EQ(firstError(".word 1\n.section .far, 0x10000000\n.word 2"),
            "2:10: image would span 0x0..0x10000004 (268435460 bytes), more than the 64 MiB limit");
  EXPECT_EQ(firstError(".space 0x4000000\n.byte 1"), "2:1: section '.text' grows beyond the 64 MiB image limit");
  EXPECT_EQ(firstError(".section .top, 0xFFFFFFFC\n.word 1, 2"),
            "1:10: section '.top' (0xfffffffc, 8 bytes) extends beyond the 32-bit address space");
}

TEST(AsmErrors, LexicalProblems) {
  EXPECT_EQ(firstError(".ascii \"abc"), "1:8: unterminated string");
  EXPECT_EQ(firstError(".byte 'ab'"), "1:7: character literal must hold exactly one character");
  EXPECT_EQ(firstError(".ascii \"\\q\""), "1:9: invalid escape sequence '\\x5cq'");
  EXPECT_EQ(firstError(std::string("nop\n  \0 nop", 11)), "2:3: unexpected character '\\x00'");
  EXPECT_EQ(firstError("nop \xff\xfe"), "1:5: unexpected character '\\xff'");
  EXPECT_EQ(firstError(".word " + std::string(200, '(') + "1"), "1:71: expression nested too deeply (more than 64 levels)");
}

TEST(AsmErrors, AtMostMaxErrorsAndErrorsInSourceOrder) {
  std::string src;
  for (int i = 0; i < 100; ++i) src += "bogus\n";
  const AsmResult r = assemble(src);
  EXPECT_EQ(r.errors.size(), 20u);
  AsmOptions opt;
  opt.maxErrors = 3;
  EXPECT_EQ(assemble(src, opt).errors.size(), 3u);
  // A lexer error on line 3 comes after a parser error on line 1.
  const AsmResult mixed = assemble("bogus\nnop\n\"open");
  ASSERT_EQ(mixed.errors.size(), 2u);
  EXPECT_EQ(mixed.errors[0].line, 1u);
  EXPECT_EQ(mixed.errors[1].line, 3u);
}

TEST(AsmErrors, HostileInputsNeverCrash) {
  const std::string inputs[] = {
      std::string(100000, '('),
      std::string(100000, '-') + "1",
      std::string(100000, '~'),
      ".word " + std::string(5000, '1'),
      std::string("\0\0\0{\0}", 6),
      "{" + std::string(1000, ';') + "}",
      "{ nop ; nop ; nop ; nop ; nop ; nop ; nop ; nop ; nop ; nop ; nop ; nop }",
      ".byte 1\n.align 0x4000000\n.byte 2",
      ".org 0xFFFFFFFF\n.byte 1",
      ".section .a, 0xFFFFFFFF\n.space 0x4000000",
      "%hi(%lo(%hi(",
      "'",
      "\"\\",
      "\"\\x",
      ".equ a, a + 1\n.word a",
      "x: .set x, 1",
  };
  for (const std::string& in : inputs) {
    const AsmResult r = assemble(in);
    EXPECT_FALSE(r.ok) << in.substr(0, 60);
    EXPECT_LE(r.errors.size(), 20u);
    for (const AsmDiagnostic& d : r.errors) EXPECT_GE(d.line, 1u);
  }
}

}  // namespace
}  // namespace codemorph::hostisa
