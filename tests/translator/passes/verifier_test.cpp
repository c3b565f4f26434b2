// The IR verifier (passes/verifier.cpp) accepts well-formed IR and names each violation.
#include <gtest/gtest.h>

#include "ir_builder.h"
#include "passes/passes.h"

namespace codemorph::translator::test {
namespace {

TEST(Verifier, AcceptsWellFormedIr) {
  IrBuilder b;
  const VReg x = b.op(Op::AddI, ir::gprReg(0), ir::kZero, 5);
  b.add(Op::AddCC, ir::gprReg(1), x, ir::gprReg(2));
  b.exit();
  EXPECT_EQ(passes::verify(b.fn), "");
}

TEST(Verifier, RejectsUseBeforeDefinition) {
  IrBuilder b;
  const VReg x = b.t();
  b.add(Op::Copy, ir::gprReg(0), x);
  b.add(Op::Const, x, ir::kZero, ir::kZero, 1);
  b.exit();
  EXPECT_NE(passes::verify(b.fn).find("before its definition"), std::string::npos);
}

TEST(Verifier, RejectsDoubleDefinitionBadImmediateAndMissingExit) {
  IrBuilder b;
  const VReg x = b.op(Op::Const, ir::kZero, ir::kZero, 1);
  b.add(Op::Const, x, ir::kZero, ir::kZero, 2);
  b.exit();
  EXPECT_NE(passes::verify(b.fn).find("defined twice"), std::string::npos);

  IrBuilder c;
  c.op(Op::AddI, ir::gprReg(0), ir::kZero, 5000);  // simm11
  c.exit();
  EXPECT_NE(passes::verify(c.fn).find("immediate out of range"), std::string::npos);

  IrBuilder d;
  d.op(Op::AddICC, ir::gprReg(0), ir::kZero, 300, 4);  // simm9
  d.exit();
  EXPECT_NE(passes::verify(d.fn).find("immediate out of range"), std::string::npos);

  IrBuilder e;
  e.op(Op::Const, ir::kZero, ir::kZero, 1);
  EXPECT_NE(passes::verify(e.fn).find("does not end with Exit"), std::string::npos);
}

TEST(Verifier, RejectsWritesOutsideTheAbi) {
  IrBuilder b;
  b.add(Op::Const, 40, ir::kZero, ir::kZero, 1);  // r40: firmware register
  b.exit();
  EXPECT_NE(passes::verify(b.fn).find("outside the translation's ABI"), std::string::npos);
}

}  // namespace
}  // namespace codemorph::translator::test
