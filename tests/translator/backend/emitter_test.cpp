// Emission (backend/emitter.cpp) through translate(): the entry check, the exit stubs and
// their commit bits, the exit table and the molecule sizes.
#include <gtest/gtest.h>

#include <codemorph/hostisa/isa.h>
#include <codemorph/translator/translate.h>

#include <cstring>

namespace codemorph::translator::test {
namespace {

x86::DecodedInsn decode32(std::vector<uint8_t> bytes) {
  x86::DecodedInsn insn{};
  x86::DecodeMode m;
  EXPECT_EQ(x86::decode(bytes, m, insn), x86::DecodeStatus::Ok);
  return insn;
}

std::vector<hostisa::Molecule> molecules(const Translation& t, unsigned maxAtoms) {
  std::vector<hostisa::Molecule> out;
  for (size_t at = 0; at < t.code.size();) {
    const auto d = hostisa::decodeMolecule(std::span<const uint8_t>(t.code.data() + at, t.code.size() - at), maxAtoms);
    EXPECT_EQ(d.error, hostisa::MoleculeError::None);
    if (d.error != hostisa::MoleculeError::None) break;
    out.push_back(d.molecule);
    at += d.molecule.bytes();
  }
  return out;
}

TranslateRequest request(unsigned maxAtoms, Gear gear) {
  TranslateRequest r;
  r.insns.push_back({0x1000, decode32({0x01, 0xD8}), false});  // add eax, ebx
  r.insns.push_back({0x1002, decode32({0x74, 0x10}), false});  // je +10h
  r.options.gear = gear;
  r.options.maxAtoms = maxAtoms;
  r.options.verifyIr = true;
  r.placement = {0x100000, 0x200000, 0x200008, 0x200010, 0x200018};
  return r;
}

TEST(Emitter, EntryCheckExitsAndCommitBits) {
  for (unsigned w : {2u, 4u, 8u})
    for (Gear g : {Gear::Quick, Gear::Optimized}) {
      const TranslateResult res = translate(request(w, g));
      ASSERT_TRUE(res.ok) << res.error;
      const Translation& t = res.translation;
      EXPECT_EQ(t.x86Instructions, 2u);
      ASSERT_EQ(t.exits.size(), 2u);
      EXPECT_EQ(t.exits[0].targetEip, 0x1014u);  // taken
      EXPECT_EQ(t.exits[1].targetEip, 0x1004u);  // fall-through
      const auto ms = molecules(t, w);
      EXPECT_EQ(ms.size(), t.molecules);
      // Molecule 0 decrements r30 by N; molecule 1 holds the budget branch.
      bool dec = false, check = false;
      for (unsigned s = 0; s < ms[0].numAtoms; ++s)
        dec |= ms[0].atoms[s].op == hostisa::Op::ADDI && ms[0].atoms[s].rd == 30 && ms[0].atoms[s].imm == -2;
      for (unsigned s = 0; s < ms[1].numAtoms; ++s) check |= ms[1].atoms[s].op == hostisa::Op::BLT;
      EXPECT_TRUE(dec);
      EXPECT_TRUE(check);
      // Each exit's molecule commits and holds one `j` to fw_dispatch.
      size_t offset = 0;
      for (const auto& m : ms) {
        for (const Exit& e : t.exits)
          if (e.jumpOffset == offset) {
            EXPECT_TRUE(m.commit);
            unsigned controls = 0;
            for (unsigned s = 0; s < m.numAtoms; ++s) {
              const auto& a = m.atoms[s];
              if (hostisa::atomInfo(a.op).operands & hostisa::kBranch) {
                ++controls;
                EXPECT_EQ(a.op, hostisa::Op::J);
                EXPECT_EQ(0x100000 + offset + static_cast<int64_t>(a.imm) * 8, 0x200000);
              }
            }
            EXPECT_EQ(controls, 1u);
          }
        offset += m.bytes();
      }
      EXPECT_EQ(offset, t.code.size());
      // Determinism: the same request gives the same bytes.
      EXPECT_EQ(translate(request(w, g)).translation.code, t.code);
    }
}

TEST(Emitter, VeryLongRegionsAreCutToWhatTheEncodingReaches) {
  TranslateRequest r = request(4, Gear::Optimized);
  r.insns.clear();
  for (uint32_t i = 0; i < 1500; ++i) r.insns.push_back({0x1000 + i, decode32({0x40}), false});  // inc eax
  const TranslateResult res = translate(r);
  ASSERT_TRUE(res.ok) << res.error;
  EXPECT_GE(res.translation.x86Instructions, 100u);
  EXPECT_LE(res.translation.x86Instructions, 1000u);
  ASSERT_EQ(res.translation.exits.size(), 1u);
  EXPECT_EQ(res.translation.exits[0].targetEip, 0x1000 + res.translation.x86Instructions);
}

TEST(Emitter, RefusesUnsupportedFeatureSets) {
  TranslateRequest r = request(4, Gear::Quick);
  r.options.x86Flags = false;
  EXPECT_FALSE(translate(r).ok);
  r = request(3, Gear::Quick);
  EXPECT_FALSE(translate(r).ok);
  r = request(4, Gear::Quick);
  r.insns.clear();
  EXPECT_FALSE(translate(r).ok);
}

}  // namespace
}  // namespace codemorph::translator::test
