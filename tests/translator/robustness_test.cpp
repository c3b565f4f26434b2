// Robustness of translate() on whatever the decoder accepts: random byte strings are
// decoded (16- and 32-bit code), grouped into regions and translated at both gears with the
// IR verifier on. Every region must translate unless its first instruction is not
// translatable, and the code must decode as legal molecules of the requested width.
#include <gtest/gtest.h>

#include <cstdio>

#include <codemorph/hostisa/isa.h>
#include <codemorph/translator/translate.h>

#include "../cms/diff/rng.h"

namespace codemorph::translator::test {
namespace {

TEST(TranslatorRobustness, RandomDecodedInstructions) {
  cms::diff::Rng rng(0xF00D);
  unsigned translated = 0, refused = 0;
  for (unsigned n = 0; n < 20000; ++n) {
    const bool code32 = rng.chance(60);
    x86::DecodeMode mode;
    mode.codeSize = code32 ? 32 : 16;
    TranslateRequest req;
    req.mode.code32 = code32;
    req.mode.stack32 = rng.chance(50);
    uint32_t eip = 0x1000;
    const unsigned want = rng.range(1, 12);
    for (unsigned tries = 0; req.insns.size() < want && tries < 200; ++tries) {
      uint8_t bytes[15];
      for (auto& b : bytes) b = static_cast<uint8_t>(rng.u32());
      // Bias towards common prefixes and opcodes so more forms are translatable.
      if (rng.chance(20)) bytes[0] = rng.chance(50) ? 0x66 : 0x67;
      RegionInsn ri;
      if (x86::decode(bytes, mode, ri.insn) != x86::DecodeStatus::Ok) continue;
      if (!isTranslatable(ri.insn, req.mode) && !req.insns.empty() && rng.chance(90)) continue;
      ri.eip = eip;
      ri.followTaken = rng.chance(50);
      eip += ri.insn.length;
      req.insns.push_back(ri);
    }
    if (req.insns.empty()) continue;
    req.options.gear = rng.chance(50) ? Gear::Quick : Gear::Optimized;
    req.options.maxAtoms = rng.chance(20) ? 8 : rng.chance(20) ? 2 : 4;
    req.options.partialRegs = !rng.chance(10);
    req.options.seg_agen = !rng.chance(10);
    req.options.ioSafe = rng.chance(5);
    req.options.verifyIr = true;
    req.placement = {0x100000, 0x200000, 0x200008, 0x200010, 0x200018};
    const TranslateResult r = translate(req);
    if (!r.ok) {
      ++refused;
      EXPECT_FALSE(isTranslatable(req.insns[0].insn, req.mode)) << r.error;
      continue;
    }
    ++translated;
    const auto& code = r.translation.code;
    unsigned molecules = 0;
    for (size_t at = 0; at < code.size(); ++molecules) {
      const auto d = hostisa::decodeMolecule(std::span<const uint8_t>(code.data() + at, code.size() - at),
                                             req.options.maxAtoms);
      ASSERT_EQ(d.error, hostisa::MoleculeError::None) << "region " << n;
      for (unsigned s = 0; s < d.molecule.numAtoms; ++s) {
        const hostisa::Op op = d.molecule.atoms[s].op;
        const uint32_t f = hostisa::atomInfo(op).operands;
        if (!req.options.partialRegs) {
          EXPECT_FALSE(op == hostisa::Op::INS8L || op == hostisa::Op::INS8H || op == hostisa::Op::INS16 ||
                       op == hostisa::Op::EXT8H);
        }
        if (!req.options.seg_agen) {
          EXPECT_NE(op, hostisa::Op::AGEN);
        }
        if (req.options.ioSafe) {
          EXPECT_FALSE((f & hostisa::kGuest) && !(f & hostisa::kIo));
        }
      }
      at += d.molecule.bytes();
    }
    EXPECT_EQ(molecules, r.translation.molecules);
    EXPECT_LE(r.translation.x86Instructions, req.insns.size());
  }
  EXPECT_GT(translated, 5000u);
  std::printf("[robustness] %u regions translated, %u refused (first instruction not translated)\n", translated,
              refused);
}

}  // namespace
}  // namespace codemorph::translator::test
