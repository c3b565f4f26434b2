// Test helper: a small hand-written translator that obeys the translation ABI of
// docs/cms-runtime.md 4 (entry budget check, exits that set r9, give back the budget of
// the untaken path, commit and jump; patchable direct exits), emitting host assembly for
// cm-as. It handles a subset of 32-bit integer code (NOP, INC/DEC r32, ADD/SUB/CMP/AND/
// XOR r32 with r32 or imm, MOV r32 from r32/imm/[base+disp], MOV [base+disp] from r32,
// JMP rel, Jcc rel), which lets the CMS runtime be tested on the core without the real
// translator. Loads and stores go through agen + ldg/stg, so they exercise the host TLB,
// segment limits and T-bits like real translations.
#pragma once
#include <codemorph/cms/region_translator.h>

#include <cstdint>
#include <vector>

namespace codemorph::cms::test {

class MiniTranslator final : public RegionTranslator {
 public:
  translator::TranslateResult translate(const translator::TranslateRequest& request) override;
  bool isTranslatable(const x86::DecodedInsn& insn, const translator::RegionMode& mode) override;
  unsigned calls = 0;
  std::vector<translator::RegionInsn> lastRegion;  // the instructions of the latest request
};

}  // namespace codemorph::cms::test
