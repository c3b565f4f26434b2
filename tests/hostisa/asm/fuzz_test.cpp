// Randomized robustness tests with fixed seeds (printed, so a failure can be replayed):
//  - the molecule decoder on >= 1,000,000 inputs (random 8..32-byte buffers and mutated
//    valid molecules): it never crashes, and whatever decodes disassembles and assembles
//    back to the same bytes (checked in batches: one source of many molecules);
//  - the assembler on >= 1,000,000 short inputs (token soup from the real vocabulary and
//    byte-level mutations of valid sources): it never crashes or hangs and always returns
//    either an image or 1..maxErrors diagnostics.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "codemorph/hostisa/assembler.h"
#include "codemorph/hostisa/disassembler.h"
#include "codemorph/hostisa/isa.h"

namespace codemorph::hostisa {
namespace {

constexpr uint32_t kDecoderSeed = 0xC0DE2024;
constexpr uint32_t kAssemblerSeed = 0x5EED0A5A;
constexpr unsigned kInputs = 1'000'000;

using Rng = std::mt19937;

// A random valid molecule (random size, atoms in accepting slots, random fields).
std::vector<uint8_t> randomMolecule(Rng& rng) {
  const unsigned size = (rng() % 3 == 0) ? 8 : (rng() % 2 ? 4 : 2);
  for (int attempt = 0; attempt < 100; ++attempt) {
    Molecule m;
    m.numAtoms = static_cast<uint8_t>(size);
    m.commit = rng() % 2;
    for (unsigned s = 0; s < size; ++s) {
      const AtomInfo& info = atomTable()[rng() % atomTable().size()];
      if (!slotAccepts(size, s, info.unit)) continue;
      // Random word with this opcode, reserved bits cleared: decodes unless a field is bad.
      const uint32_t word = (encodingMatch(info.op)) | (rng() & kBodyMask & ~formatInfo(info.format).reservedMask);
      if (const auto a = decodeAtom(word)) m.atoms[s] = *a;
    }
    std::array<uint32_t, kMaxAtoms> words{};
    if (encodeMolecule(m, words) != size) continue;
    std::vector<uint8_t> b;
    for (unsigned i = 0; i < size; ++i) {
      for (unsigned k = 0; k < 4; ++k) b.push_back(static_cast<uint8_t>(words[i] >> (8 * k)));
    }
    return b;
  }
  return std::vector<uint8_t>(8, 0);
}

TEST(Fuzz, MoleculeDecoderNeverCrashesAndRoundTrips) {
  std::printf("decoder fuzz seed: 0x%08x, %u inputs\n", kDecoderSeed, kInputs);
  Rng rng(kDecoderSeed);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::vector<uint8_t>> pool;
  for (int i = 0; i < 256; ++i) pool.push_back(randomMolecule(rng));

  // Decoded molecules are checked in batches: one source text, molecules back to back.
  std::string source;
  std::vector<uint8_t> expected;
  uint32_t base = 0;
  unsigned decoded = 0, batches = 0;
  auto flush = [&]() {
    if (expected.empty()) return;
    AsmOptions opt;
    opt.maxAtoms = 8;
    const AsmResult r = assemble(".section .text, " + std::to_string(base) + "\n" + source, opt);
    ASSERT_TRUE(r.ok) << r.errorText();
    ASSERT_EQ(r.image, expected);
    source.clear();
    expected.clear();
    base = static_cast<uint32_t>(rng() % 0x100000) * 8;
    ++batches;
  };
  base = 0x1000;
  for (unsigned i = 0; i < kInputs; ++i) {
    std::vector<uint8_t> buf;
    if (i % 2 == 0) {
      buf.resize(8 + rng() % 25);
      for (uint8_t& b : buf) b = static_cast<uint8_t>(rng());
      if (rng() % 2) buf[3] &= 0x7F;  // size code 00/01 more often
    } else {
      buf = pool[rng() % pool.size()];
      const unsigned mutations = 1 + rng() % 3;
      for (unsigned k = 0; k < mutations; ++k) {
        switch (rng() % 4) {
          case 0: buf[rng() % buf.size()] ^= static_cast<uint8_t>(1u << (rng() % 8)); break;
          case 1: buf[rng() % buf.size()] = static_cast<uint8_t>(rng()); break;
          case 2: {
            const size_t cut = 1 + rng() % 8;
            buf.resize(buf.size() > cut ? buf.size() - cut : 1);
            break;
          }
          default: buf.push_back(static_cast<uint8_t>(rng())); break;
        }
      }
      if (rng() % 64 == 0) pool[rng() % pool.size()] = randomMolecule(rng);
    }
    const unsigned maxAtoms = rng() % 4 == 0 ? 4 : 8;
    const MoleculeDecode d = decodeMolecule(buf, maxAtoms);
    if (d.error != MoleculeError::None) continue;
    ++decoded;
    ASSERT_LE(d.molecule.bytes(), buf.size());
    const uint32_t address = base + static_cast<uint32_t>(expected.size());
    source += disassembleMolecule(d.molecule, address) + "\n";
    expected.insert(expected.end(), buf.begin(), buf.begin() + d.molecule.bytes());
    if (expected.size() >= 16384) {
      flush();
      if (HasFatalFailure()) return;
    }
  }
  flush();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("decoded %u of %u inputs, reassembled in %u batches, %.1f s\n", decoded, kInputs, batches, s);
  EXPECT_GT(decoded, kInputs / 20);  // the check is not vacuous
}

// The assembler's vocabulary: mnemonics (with width suffixes), registers, names,
// directives, punctuation, literals (only small layout sizes, so inputs stay cheap).
std::vector<std::string> vocabulary() {
  std::vector<std::string> v;
  for (const AtomInfo& a : atomTable()) {
    v.emplace_back(a.mnemonic);
    if (formatInfo(a.format).syntax.starts_with(".w")) {
      v.push_back(std::string(a.mnemonic) + ".32");
      v.push_back(std::string(a.mnemonic) + ".8");
    }
  }
  for (const char* s : {"r0", "r1", "r5", "r63", "r64", "zero", "sp", "lr", "a0", "a7", "a8", "ds", "gs", "s7", "s8",
                        "ne", "nz", "g", "tvec", "xflags", "seglim7", "commit", ".text", ".data", ".section", ".org",
                        ".align", ".byte", ".half", ".word", ".ascii", ".asciz", ".space", ".equ", ".set", ".global",
                        ".bogus", "foo", "bar", "foo:", "bar:", ".L1:", ".", "{", "}", ";", ",", "(", ")", ":", "+",
                        "-", "*", "/", "%", "~", "&", "|", "^", "<<", ">>", "%hi(", "%lo(", "\n", "\n", "\n", "0",
                        "1", "-1", "7", "8", "16", "255", "256", "1023", "1024", "0x100", "0x7fffffff", "0xffffffff",
                        "0xffffffffffffffff", "99999999999999999999", "0b101", "'a'", "'\\n'", "'", "\"s\\n\"", "\"",
                        "\"\\x", "#", "//", "\\", "$", "\t"}) {
    v.emplace_back(s);
  }
  return v;
}

const char* const kSeeds[] = {
    "start: li r1, %lo(0x12345678)\n lih r1, %hi(0x12345678)\n{ add r3, r4, r5 ; ld32 r6, 8(r7) ; beq r1, r2, start } commit\n",
    "loop: { addi r1, r1, -1 ; bnz r1, loop }\n halt commit\n",
    ".data\nmsg: .asciz \"hi\\n\"\n.word msg, 3*4, .\n.text\n.equ K, 2\n.space K, 0xAA\n.align 8\n",
    "{\n  add.cc.32 r1, r2, r3\n  stc32 r2, (r3), 0x81\n  bcc nz, 0x40\n}\n mfsr r1, tvec\n mtsr tvec, r2\n",
    ".section .vec, 0x100\n.org 0x108\n agen.16 r4, r5, ds\n ldp32 r1, -4(r2), a3\n sel r1, r2, r3, ge\n svc 7\n",
};

TEST(Fuzz, AssemblerNeverCrashesOrHangs) {
  std::printf("assembler fuzz seed: 0x%08x, %u inputs\n", kAssemblerSeed, kInputs);
  Rng rng(kAssemblerSeed);
  const std::vector<std::string> vocab = vocabulary();
  const auto t0 = std::chrono::steady_clock::now();
  unsigned accepted = 0;
  std::string src;
  for (unsigned i = 0; i < kInputs; ++i) {
    src.clear();
    if (i % 2 == 0) {
      const unsigned n = 1 + rng() % 12;
      for (unsigned k = 0; k < n; ++k) {
        src += vocab[rng() % vocab.size()];
        src += rng() % 3 ? " " : "";
      }
    } else {
      src = kSeeds[rng() % std::size(kSeeds)];
      const unsigned mutations = 1 + rng() % 4;
      for (unsigned k = 0; k < mutations && !src.empty(); ++k) {
        const size_t at = rng() % src.size();
        switch (rng() % 5) {
          case 0: src[at] = static_cast<char>(rng()); break;
          case 1: src.erase(at, 1 + rng() % 4); break;
          case 2: src.insert(at, vocab[rng() % vocab.size()]); break;
          case 3: src[at] = static_cast<char>(src[at] ^ (1 << (rng() % 8))); break;
          default: src.resize(at); break;
        }
      }
    }
    AsmOptions opt;
    opt.maxAtoms = rng() % 2 ? 4 : 8;
    opt.baseAddress = rng() % 8 == 0 ? 0xFFFFFF00u : 0;
    const AsmResult r = assemble(src, opt);
    if (r.ok) {
      ++accepted;
      ASSERT_TRUE(r.errors.empty());
      ASSERT_LE(r.image.size(), kMaxImageBytes);
    } else {
      ASSERT_FALSE(r.errors.empty()) << src;
      ASSERT_LE(r.errors.size(), opt.maxErrors) << src;
      ASSERT_TRUE(r.image.empty());
      ASSERT_GE(r.errors.front().line, 1u);
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("assembled %u inputs without error of %u, %.1f s\n", accepted, kInputs, s);
  EXPECT_GT(accepted, 1000u);  // the soup reaches real code paths, not only errors
}

}  // namespace
}  // namespace codemorph::hostisa
