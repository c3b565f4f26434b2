// Directed tests of the translator (docs/translator.md "Testing"): partial registers,
// 16-bit code, the stack, string instructions, loops with side exits, the entry budget
// check, the store bound, alias protection and the Interpret exit. Every case is run at
// gear 2 and gear 3 and compared with the x86 interpreter (harness/directed_case.h).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include "harness/directed_case.h"

namespace codemorph::translator::test {
namespace {

using cms::diff::Mode;
using Bytes = std::vector<uint8_t>;

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
Bytes le32(uint32_t v) { return {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)}; }

TranslateOptions gear(int g, unsigned maxAtoms = 4) {
  TranslateOptions o;
  o.gear = g == 2 ? Gear::Quick : Gear::Optimized;
  o.maxAtoms = maxAtoms;
  return o;
}

// Runs the case at both gears and every molecule width; expects agreement and `landing`.
void expectAgrees(const DirectedCase& c, Landing landing, unsigned expectedInsns = 0) {
  for (int g : {2, 3})
    for (unsigned w : {2u, 4u, 8u}) {
      IssRunConfig rc;
      rc.maxAtoms = w;
      const DirectedRun r = runDirected(c, gear(g, w), 100000, rc);
      SCOPED_TRACE("gear " + std::to_string(g) + " maxAtoms " + std::to_string(w));
      EXPECT_EQ(r.diff, "");
      EXPECT_EQ(r.iss.landing, landing) << landingName(r.iss.landing);
      if (expectedInsns) {
        EXPECT_EQ(r.translation.translation.x86Instructions, expectedInsns);
      }
    }
}

TEST(TranslatorDirected, PartialRegisters) {
  const uint32_t d = 0x8000;
  const Bytes code = cat({{0x88, 0xFC},                 // mov ah, bh
                          {0x80, 0xC4, 0x7F},           // add ah, 7Fh
                          {0x86, 0xE0},                 // xchg al, ah
                          {0xFE, 0xC7},                 // inc bh
                          {0x0F, 0xB6, 0xCC},           // movzx ecx, ah
                          {0x0F, 0xBE, 0xD7},           // movsx edx, bh
                          {0x0F, 0x92, 0xC7},           // setc bh
                          {0xF6, 0xDC},                 // neg ah
                          {0x28, 0xCE},                 // sub dh, cl
                          {0x88, 0x25}, le32(d + 1),    // mov [d+1], ah
                          {0x02, 0x2D}, le32(d + 2),    // add ch, [d+2]
                          {0x66, 0x87, 0xD9},           // xchg cx, bx
                          {0x66, 0x98},                 // cbw
                          {0x99},                       // cdq
                          {0xF4}});
  expectAgrees(directedCase(Mode::Flat32, code), Landing::Dispatch, 14);
  // Without hostisa.partial_regs (the core would trap on ins*/ext8h).
  for (int g : {2, 3}) {
    TranslateOptions o = gear(g);
    o.partialRegs = false;
    IssRunConfig rc;
    rc.partialRegs = false;
    EXPECT_EQ(runDirected(directedCase(Mode::Flat32, code), o, 100000, rc).diff, "");
  }
}

TEST(TranslatorDirected, Real16Code) {
  const Bytes code = cat({{0xB8, 0x34, 0x12},           // mov ax, 1234h
                          {0x01, 0xD8},                 // add ax, bx
                          {0x50},                       // push ax
                          {0x59},                       // pop cx
                          {0x89, 0x0E, 0x00, 0x01},     // mov [0100h], cx
                          {0xBB, 0x00, 0x02},           // mov bx, 0200h
                          {0xBE, 0x30, 0x00},           // mov si, 0030h
                          {0x01, 0x40, 0x10},           // add [bx+si+10h], ax
                          {0x8D, 0x50, 0xFB},           // lea dx, [bx+si-5]
                          {0x66, 0x05}, le32(0x12345678),  // add eax, 12345678h
                          {0x88, 0xC4},                 // mov ah, al
                          {0x67, 0x8B, 0x44, 0x24, 0x02},  // mov ax, [esp+2]
                          {0xE8, 0x02, 0x00},           // call +2
                          {0x90, 0x90},
                          {0xC3}});                     // ret (to the first nop)
  expectAgrees(directedCase(Mode::Real16, code, 14), Landing::DispatchIndirect, 14);
}

TEST(TranslatorDirected, StackCallRet32) {
  const Bytes code = cat({{0x50},                       // push eax
                          {0x68}, le32(0x1234),         // push 1234h
                          {0x59},                       // pop ecx
                          {0x66, 0x53},                 // push bx
                          {0x66, 0x58},                 // pop ax
                          {0xFF, 0x74, 0x24, 0x04},     // push dword [esp+4]
                          {0x8F, 0x44, 0x24, 0xFC},     // pop dword [esp-4]
                          {0x54},                       // push esp
                          {0x5C},                       // pop esp
                          {0xE8}, le32(5),              // call +5
                          {0x90, 0x90, 0x90, 0x90, 0x90},
                          {0x5A},                       // pop edx (the return address)
                          {0x52},                       // push edx
                          {0xC3}});                     // ret
  expectAgrees(directedCase(Mode::Flat32, code, 13), Landing::DispatchIndirect, 13);
}

TEST(TranslatorDirected, IndirectJumpsAndCalls) {
  struct Case {
    const char* name;
    Mode mode;
    Bytes code;
    unsigned trace;
  };
  const uint32_t target32 = 0x4000 + 0x20;
  const Case cases[] = {
      {"jmp eax", Mode::Flat32, cat({{0xB8}, le32(target32), {0xFF, 0xE0}}), 2},
      {"jmp [mem]", Mode::Flat32, cat({{0xC7, 0x05}, le32(0x8010), le32(target32), {0xFF, 0x25}, le32(0x8010)}), 2},
      {"call ebx", Mode::Flat32, cat({{0xBB}, le32(target32), {0xFF, 0xD3}}), 2},
      // call [esp]: the target is read before the push (SDM CALL)
      {"call [esp]", Mode::Flat32, cat({{0x68}, le32(target32), {0xFF, 0x14, 0x24}}), 2},
      {"jmp ax (16)", Mode::Real16, cat({{0xB8, 0x20, 0x80}, {0xFF, 0xE0}}), 2},
      {"call [bx] (16)", Mode::Real16,
       cat({{0xBB, 0x10, 0x01}, {0xC7, 0x07, 0x30, 0x80}, {0xFF, 0x17}}), 3},
      {"ret 8", Mode::Flat32, cat({{0x68}, le32(target32), {0xC2, 0x08, 0x00}}), 2},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.name);
    Bytes code = k.code;
    code.resize(0x40, 0x90);
    code.push_back(0xF4);
    expectAgrees(directedCase(k.mode, code, k.trace), Landing::DispatchIndirect, k.trace);
  }
}

TEST(TranslatorDirected, MultiplyForms) {
  const Bytes code = cat({{0xF6, 0xE3},                 // mul bl
                          {0xF6, 0xEF},                 // imul bh
                          {0x66, 0xF7, 0xE1},           // mul cx
                          {0x66, 0xF7, 0xEA},           // imul dx
                          {0xF7, 0xE6},                 // mul esi
                          {0xF7, 0x2D}, le32(0x8020),   // imul dword [8020h]
                          {0x0F, 0xAF, 0xC7},           // imul eax, edi
                          {0x6B, 0xD9, 0x85},           // imul ebx, ecx, -7Bh
                          {0x66, 0x69, 0xD6}, {0x34, 0x12},  // imul dx, si, 1234h
                          {0xF4}});
  DirectedCase c = directedCase(Mode::Flat32, code);
  c.state.gpr = {0x80000003, 0x7FFF1234, 0x0000FFFF, 0x0000FF81, 0xB700, 0x66666666, 0xFFFFFFFE, 0x12345678};
  expectAgrees(c, Landing::Dispatch, 9);
  c.state.gpr = {5, 3, 0, 2, 0xB700, 0, 7, 1};  // small products: CF = OF = 0
  expectAgrees(c, Landing::Dispatch, 9);
}

TEST(TranslatorDirected, RotatesAndShiftsByCl) {
  Bytes code;
  for (uint8_t modrm : {0xC0, 0xC8, 0xE0, 0xE8, 0xF8}) {  // rol ror shl shr sar, by CL
    code.insert(code.end(), {0xD2, modrm});                  // 8-bit
    code.insert(code.end(), {0x66, 0xD3, static_cast<uint8_t>(modrm + 3)});  // 16-bit (bx)
    code.insert(code.end(), {0xD3, static_cast<uint8_t>(modrm + 6)});        // 32-bit (esi)
  }
  code.push_back(0xF4);
  for (uint32_t cl : {0u, 1u, 7u, 8u, 9u, 15u, 16u, 17u, 31u, 32u, 33u}) {
    SCOPED_TRACE(cl);
    DirectedCase c = directedCase(Mode::Flat32, code);
    c.state.gpr[cms::kECX] = 0x100 | cl;
    c.state.gpr[cms::kEAX] = 0x812345C7;
    c.state.eflags |= cms::kCF | cms::kOF | cms::kZF;
    expectAgrees(c, Landing::Dispatch, 15);
  }
}

Bytes stringCode32() {
  return cat({{0xBE}, le32(0x8010),                     // mov esi, 8010h
              {0xBF}, le32(0x8100),                     // mov edi, 8100h
              {0xA4}, {0xA5}, {0x66, 0xAD}, {0xAB}, {0xA6}, {0xAF}, {0x66, 0xA5}, {0xAA},
              {0x26, 0xAC},                             // lods al, es:[esi]
              {0xF4}});
}

TEST(TranslatorDirected, StringsForward32) {
  expectAgrees(directedCase(Mode::Flat32, stringCode32()), Landing::Dispatch, 11);
}

TEST(TranslatorDirected, StringsBackward32) {
  DirectedCase c = directedCase(Mode::Flat32, stringCode32());
  c.state.eflags |= cms::kDF;
  expectAgrees(c, Landing::Dispatch, 11);
}

TEST(TranslatorDirected, Strings16BitAddressing) {
  const Bytes code = cat({{0xBE, 0x10, 0x00},           // mov si, 0010h
                          {0xBF, 0x00, 0x01},           // mov di, 0100h
                          {0xA4}, {0xA5}, {0xAD}, {0xAB}, {0xA6}, {0xAF}, {0x66, 0xA5},
                          {0xF4}});
  DirectedCase c = directedCase(Mode::Real16, code);
  expectAgrees(c, Landing::Dispatch, 9);
  c.state.eflags |= cms::kDF;
  expectAgrees(c, Landing::Dispatch, 9);
}

// A loop traced for more iterations than it runs: the trace's back edge is a side exit.
TEST(TranslatorDirected, LoopSideExits) {
  struct Loop {
    const char* name;
    Bytes body;  // ends with a backward branch to its start
  };
  const Loop loops[] = {
      {"dec/jnz", {0x01, 0xC8, 0x49, 0x75, 0xFB}},                  // add eax,ecx; dec ecx; jnz
      {"loop", {0x01, 0xC8, 0xE2, 0xFC}},                           // add eax,ecx; loop
      {"loope", {0x01, 0xC8, 0x39, 0xC0, 0xE1, 0xFA}},              // add; cmp eax,eax; loope
      {"loopne", {0x01, 0xC8, 0x39, 0xD8, 0xE0, 0xFA}},             // add; cmp eax,ebx; loopne
      {"16-bit loop", {0x01, 0xC8, 0x67, 0xE2, 0xFB}},              // add; loopw (CX)
  };
  for (const Loop& l : loops) {
    SCOPED_TRACE(l.name);
    const Bytes code = cat({l.body, {0xF4}});
    DirectedCase c = directedCase(Mode::Flat32, code, 0);
    c.state.gpr[cms::kECX] = 6;       // traced: six iterations
    cms::CpuState run = c.state;
    run.gpr[cms::kECX] = 2;           // run: two, then the side exit
    c.runState = run;
    for (int g : {2, 3}) {
      const DirectedRun r = runDirected(c, gear(g));
      EXPECT_EQ(r.diff, "") << "gear " << g;
      EXPECT_EQ(r.iss.landing, Landing::Dispatch);
      EXPECT_LT(r.retired, r.translation.translation.x86Instructions);
    }
  }
}

TEST(TranslatorDirected, JecxzBothWays) {
  const Bytes code = cat({{0xE3, 0x02}, {0x40}, {0x40}, {0x43}, {0xF4}});  // jecxz +2; inc eax x2; inc ebx
  for (uint32_t ecx : {0u, 5u}) {
    DirectedCase c = directedCase(Mode::Flat32, code);
    c.state.gpr[cms::kECX] = ecx;
    expectAgrees(c, Landing::Dispatch);
    cms::CpuState other = c.state;
    other.gpr[cms::kECX] = ecx ? 0 : 5;  // the other direction: a side exit
    c.runState = other;
    for (int g : {2, 3}) EXPECT_EQ(runDirected(c, gear(g)).diff, "");
  }
}

TEST(TranslatorDirected, BudgetExhaustedRollsBack) {
  const Bytes code = cat({{0x50}, {0x01, 0xD8}, {0x89, 0x05}, le32(0x8040), {0x40}, {0x53}, {0xF4}});
  const DirectedCase c = directedCase(Mode::Flat32, code);
  for (int g : {2, 3})
    for (uint32_t budget : {0u, 4u}) {
      const DirectedRun r = runDirected(c, gear(g), budget);
      EXPECT_EQ(r.iss.landing, Landing::ExitBudget);
      EXPECT_EQ(r.diff, "");  // registers, flags, EIP = entry, budget and memory unchanged
      EXPECT_EQ(r.iss.r30, budget);
    }
  // Exactly enough budget: the region runs.
  for (int g : {2, 3}) {
    const DirectedRun r = runDirected(c, gear(g), 5);
    EXPECT_EQ(r.iss.landing, Landing::Dispatch);
    EXPECT_EQ(r.diff, "");
    EXPECT_EQ(r.iss.r30, 0u);
  }
}

TEST(TranslatorDirected, StoreBoundSplitsTheRegion) {
  Bytes code;
  for (int i = 0; i < 10; ++i) code.push_back(static_cast<uint8_t>(0x50 + (i % 4)));  // push eax..ebx
  code.push_back(0xF4);
  const DirectedCase c = directedCase(Mode::Flat32, code);
  TranslateOptions o = gear(3);
  o.maxStores = 8;  // a dword store counts two (it may cross a page)
  IssRunConfig rc;
  rc.storeBufferEntries = 8;
  const DirectedRun r = runDirected(c, o, 100000, rc);
  EXPECT_EQ(r.diff, "");
  EXPECT_EQ(r.translation.translation.x86Instructions, 4u);
  EXPECT_EQ(r.translation.translation.stores, 4u);
  ASSERT_EQ(r.translation.translation.exits.size(), 1u);
  EXPECT_EQ(r.translation.translation.exits[0].kind, ExitKind::Direct);
  EXPECT_EQ(r.translation.translation.exits[0].targetEip, c.state.eip + 4);
  // One instruction alone over the bound: no translation.
  o.maxStores = 1;
  EXPECT_FALSE(runDirected(c, o).translation.ok);
}

TEST(TranslatorDirected, AliasProtectionTrapsOnOverlap) {
  const Bytes code = cat({{0x89, 0x03},                 // mov [ebx], eax
                          {0x8B, 0x0E},                 // mov ecx, [esi]
                          {0x01, 0xD1},                 // add ecx, edx
                          {0xF4}});
  DirectedCase c = directedCase(Mode::Flat32, code);
  c.state.gpr[cms::kEBX] = 0x8100;
  c.state.gpr[cms::kESI] = 0x8200;  // no overlap: hoisted, correct
  DirectedRun r = runDirected(c, gear(3));
  EXPECT_EQ(r.diff, "");
  EXPECT_EQ(r.translation.translation.hoistedLoads, 1u);
  c.state.gpr[cms::kESI] = 0x8102;  // overlaps the store: ALIAS
  r = runDirected(c, gear(3));
  EXPECT_EQ(r.iss.landing, Landing::Trap);
  EXPECT_EQ(r.iss.cause, hostisa::TrapCause::ALIAS);
  TranslateOptions safe = gear(3);
  safe.aliasHoisting = false;  // the CMS's retranslation
  r = runDirected(c, safe);
  EXPECT_EQ(r.diff, "");
  EXPECT_EQ(r.translation.translation.hoistedLoads, 0u);
  // Gear 2 never hoists.
  EXPECT_EQ(runDirected(c, gear(2)).diff, "");
}

TEST(TranslatorDirected, IoSafeRegionsHoldOneMemoryInstruction) {
  const Bytes code = cat({{0x01, 0xD8},                       // add eax, ebx
                          {0x89, 0x05}, le32(0x8040),         // mov [8040h], eax
                          {0x40},                             // inc eax
                          {0x8B, 0x1D}, le32(0x8044),         // mov ebx, [8044h]
                          {0xF4}});
  const DirectedCase c = directedCase(Mode::Flat32, code);
  for (int g : {2, 3}) {
    TranslateOptions o = gear(g);
    o.ioSafe = true;
    const DirectedRun r = runDirected(c, o);
    EXPECT_EQ(r.diff, "");
    EXPECT_EQ(r.translation.translation.x86Instructions, 3u);  // ends before the second access
    EXPECT_EQ(r.iss.r9, c.state.eip + 9);
    bool stio = false;
    const auto& host = r.translation.translation.code;
    for (size_t k = 0; k + 4 <= host.size(); k += 4) {
      uint32_t w;
      std::memcpy(&w, &host[k], 4);
      const auto op = hostisa::opFromOpcode((w >> 23) & 0x7F);
      stio |= op && *op == hostisa::Op::STIO32;
      EXPECT_FALSE(op && *op == hostisa::Op::STG32);
    }
    EXPECT_TRUE(stio);
  }
}

// Without hostisa.seg_agen: limit checks by ALU atoms; a violation or an expand-down segment
// leaves through rollback to fw_interpret at the entry EIP.
// A 32-bit RET in 16-bit code pops a target beyond the 64 KiB CS limit: x86 raises #GP(0) at
// the RET (SDM Vol. 2 RET), so the translation must roll back to its entry and let the
// interpreter deliver it (found by the Unicorn replay, real16 seed 1592590358 #120872).
TEST(TranslatorDirected, IndirectTargetBeyondCsLimitRollsBack) {
  const Bytes code = cat({{0x40},                                   // inc ax
                          {0x66, 0x68}, le32(0x00015024),           // push dword 00015024h
                          {0x66, 0xC3}});                           // ret (32-bit): EIP > limit
  const DirectedCase c = directedCase(Mode::Real16, code);
  for (int g : {2, 3}) {
    const DirectedRun r = runDirected(c, gear(g), 100000, IssRunConfig{});
    EXPECT_EQ(r.iss.landing, Landing::Interpret) << landingName(r.iss.landing);
    EXPECT_EQ(r.iss.r9, c.state.eip);  // rolled back to the entry, nothing retired
    EXPECT_EQ(r.iss.gpr[cms::kESP], c.state.gpr[cms::kESP]);
  }
  // Inside the limit the same RET is an ordinary indirect exit.
  const Bytes inside = cat({{0x40}, {0x66, 0x68}, le32(0x00005024), {0x66, 0xC3}});
  expectAgrees(directedCase(Mode::Real16, inside), Landing::DispatchIndirect);
}

TEST(TranslatorDirected, SegmentChecksWithoutSegAgen) {
  const Bytes code = cat({{0x01, 0xD8},                      // add eax, ebx
                          {0x89, 0x03},                      // mov [ebx], eax
                          {0x66, 0x8B, 0x4B, 0x02},          // mov cx, [ebx+2]
                          {0x50},                            // push eax
                          {0xF4}});
  DirectedCase c = directedCase(Mode::Flat32, code);
  c.state.gpr[cms::kEBX] = 0x8100;
  IssRunConfig rc;
  rc.segAgen = false;
  for (int g : {2, 3}) {
    TranslateOptions o = gear(g);
    o.seg_agen = false;
    DirectedRun r = runDirected(c, o, 100000, rc);
    EXPECT_EQ(r.diff, "");
    EXPECT_EQ(r.iss.landing, Landing::Dispatch);
    // DS limit just below the word at [ebx+2]: the interpreter would raise #GP, the
    // translation rolls back to the entry and asks for interpretation.
    DirectedCase low = c;
    low.state.seg[cms::kDS].limit = 0x8102;
    low.runState = low.state;
    r = runDirected(low, o, 100000, rc);
    EXPECT_EQ(r.iss.landing, Landing::Interpret);
    EXPECT_EQ(r.iss.r9, c.state.eip);
    EXPECT_EQ(r.diff, "");  // nothing retired: the entry state, budget untouched
    // An expand-down data segment: not handled by the sequence, interpreted.
    DirectedCase down = c;
    down.state.seg[cms::kDS].access = 0xC097;
    down.state.seg[cms::kDS].limit = 0x0FFF;
    r = runDirected(down, o, 100000, rc);
    EXPECT_EQ(r.iss.landing, Landing::Interpret);
    EXPECT_EQ(r.diff, "");
  }
}

TEST(TranslatorDirected, InterpretExitBeforeUntranslated) {
  const Bytes code = cat({{0x01, 0xD8}, {0x0F, 0xA2}, {0xF4}});  // add eax, ebx; cpuid
  const DirectedCase c = directedCase(Mode::Flat32, code);
  for (int g : {2, 3}) {
    const DirectedRun r = runDirected(c, gear(g));
    EXPECT_EQ(r.diff, "");
    EXPECT_EQ(r.iss.landing, Landing::Interpret);
    EXPECT_EQ(r.iss.r9, c.state.eip + 2);
    ASSERT_EQ(r.translation.translation.exits.size(), 1u);
    EXPECT_EQ(r.translation.translation.exits[0].kind, ExitKind::Interpret);
    EXPECT_EQ(r.translation.translation.exits[0].retired, 1u);
  }
}

TEST(TranslatorDirected, ConditionalBranchAsLastInstruction) {
  const Bytes code = cat({{0x39, 0xD8}, {0x74, 0x01}, {0x40}, {0xF4}});  // cmp eax, ebx; je +1
  DirectedCase c = directedCase(Mode::Flat32, code, 2);
  for (bool likelyTaken : {false, true})
  for (uint32_t ebx : {0x11111111u, 0u}) {
    c.state.gpr[cms::kEBX] = ebx;
    c.lastFollowsTaken = likelyTaken;
    for (int g : {2, 3}) {
      const DirectedRun r = runDirected(c, gear(g));
      EXPECT_EQ(r.diff, "");
      ASSERT_EQ(r.translation.translation.exits.size(), 2u);
      // Exit 0 is the side exit (the unlikely direction), exit 1 the final one.
      EXPECT_EQ(r.translation.translation.exits[likelyTaken ? 1 : 0].targetEip, c.state.eip + 5);  // taken
      EXPECT_EQ(r.translation.translation.exits[likelyTaken ? 0 : 1].targetEip, c.state.eip + 4);  // fall-through
      EXPECT_EQ(r.iss.r9, ebx == c.state.gpr[cms::kEAX] ? c.state.eip + 5 : c.state.eip + 4);  // je taken: +5
    }
  }
}

TEST(TranslatorDirected, IsTranslatable) {
  auto check = [](Bytes bytes, bool expected, bool code32 = true) {
    x86::DecodedInsn insn{};
    x86::DecodeMode m;
    m.codeSize = code32 ? 32 : 16;
    ASSERT_EQ(x86::decode(bytes, m, insn), x86::DecodeStatus::Ok);
    RegionMode rm;
    rm.code32 = code32;
    EXPECT_EQ(isTranslatable(insn, rm), expected) << x86::mnemonicName(insn.mnemonic);
  };
  check({0x01, 0xD8}, true);              // add eax, ebx
  check({0xF3, 0xA4}, false);             // rep movsb
  check({0xA4}, true);                    // movsb
  check({0x8E, 0xD8}, false);             // mov ds, ax
  check({0x0F, 0xA2}, false);             // cpuid
  check({0xF7, 0xF3}, false);             // div ebx
  check({0xD1, 0xD0}, false);             // rcl eax, 1
  check({0x2E, 0x89, 0x03}, false);       // mov cs:[ebx], eax
  check({0x2E, 0x8B, 0x03}, true);        // mov eax, cs:[ebx]
  check({0x9C}, false);                   // pushf
  check({0xEA, 0, 0, 0, 0, 8, 0}, false); // jmp far
  check({0x0F, 0x4C, 0xC3}, true);        // cmovl eax, ebx
  check({0xF7, 0xE3}, true);              // mul ebx
  check({0x0F, 0xCB}, true);              // bswap ebx
  check({0x66, 0x0F, 0xCB}, false);       // bswap bx (undefined)
}

// BSWAP (indirect.c's f_bswap): byte reversal by two rotates, masks and an or.
TEST(TranslatorDirected, BswapMatchesTheInterpreter) {
  const Bytes code = cat({{0x0F, 0xCB},   // bswap ebx
                          {0x0F, 0xC8},   // bswap eax
                          {0x01, 0xD8},   // add eax, ebx
                          {0xF4}});
  DirectedCase c = directedCase(Mode::Flat32, code);
  c.state.gpr[cms::kEBX] = 0x12345678;
  c.state.gpr[cms::kEAX] = 0x80FF0001;
  for (int g : {2, 3}) {
    const DirectedRun r = runDirected(c, gear(g));
    EXPECT_EQ(r.diff, "") << "gear " << g;
    EXPECT_EQ(r.translation.translation.x86Instructions, 3u) << "gear " << g;
  }
}

// Gear-3 throughput on integer loops (docs/translator.md "Performance"): the loop body is
// traced four times, the final exit of the last back edge (its likely direction) is
// chained to the translation's own entry (as the CMS chains), and the x86 instructions
// retired per cycle are measured and compared with the interpreter.
struct LoopCase {
  const char* name;
  Bytes body;  // ends with dec ecx; jnz to its start
};

double loopThroughput(const LoopCase& l, unsigned maxAtoms) {
  const unsigned insnsPerIteration = [&] {
    unsigned n = 0;
    x86::DecodeMode m;
    for (size_t at = 0; at < l.body.size(); ++n) {
      x86::DecodedInsn insn{};
      x86::decode(std::span<const uint8_t>(l.body.data() + at, l.body.size() - at), m, insn);
      at += insn.length;
    }
    return n;
  }();
  DirectedCase c = directedCase(Mode::Flat32, cat({l.body, {0xF4}}), 4 * insnsPerIteration);
  c.state.gpr[cms::kESI] = 0x8000;
  c.state.gpr[cms::kEDI] = 0xA000;
  c.state.gpr[cms::kECX] = 0x200;
  c.lastFollowsTaken = true;  // the back edge is the likely direction
  const DirectedRun traced = runDirected(c, gear(3, maxAtoms));
  EXPECT_TRUE(traced.translation.ok) << traced.translation.error;
  Translation t = traced.translation.translation;
  bool chained = false;
  for (const Exit& e : t.exits) {
    if (e.kind != ExitKind::Direct || e.targetEip != c.state.eip || e.retired != t.x86Instructions) continue;
    // The `j` is the molecule's only control atom: rewrite its offset (format J).
    for (size_t k = e.jumpOffset; k < e.jumpOffset + 32 && k + 4 <= t.code.size(); k += 4) {
      uint32_t word;
      std::memcpy(&word, &t.code[k], 4);
      if (((word >> 23) & 0x7F) != 0x79) continue;
      const int32_t off = -static_cast<int32_t>(e.jumpOffset) / 8;
      word = (word & ~0x7FFFFFu) | (static_cast<uint32_t>(off) & 0x7FFFFFu);
      std::memcpy(&t.code[k], &word, 4);
      chained = true;
      break;
    }
  }
  EXPECT_TRUE(chained);
  const uint32_t budget = 1000000;
  IssRunConfig rc;
  rc.maxAtoms = maxAtoms;
  const IssOutcome o = runOnIss(t, c.state, c.ram, budget, rc);
  EXPECT_EQ(o.landing, Landing::Dispatch);
  const uint32_t retired = budget - o.r30;
  EXPECT_EQ(retired, insnsPerIteration * 0x200u);
  const InterpOutcome ref = runOnInterpreter(c.state, c.ram, retired);
  EXPECT_EQ(compare(o, ref, budget, retired), "");
  const double ipc = static_cast<double>(retired) / static_cast<double>(o.cycles);
  std::printf("[%s, %u-atom molecules] %u x86 instructions in %llu cycles: %.2f per cycle; %u molecules, %u atoms "
              "for %u instructions\n",
              l.name, maxAtoms, retired, static_cast<unsigned long long>(o.cycles), ipc, t.molecules, t.atoms,
              t.x86Instructions);
  return ipc;
}

TEST(TranslatorDirected, IntegerLoopThroughput) {
  const LoopCase loops[] = {
      // mov edx,[esi]; add eax,edx; add esi,4; dec ecx; jnz
      {"sum", {0x8B, 0x16, 0x01, 0xD0, 0x83, 0xC6, 0x04, 0x49, 0x75, 0xF6}},
      // mov eax,[esi]; mov [edi],eax; add esi,4; add edi,4; dec ecx; jnz
      {"copy", {0x8B, 0x06, 0x89, 0x07, 0x83, 0xC6, 0x04, 0x83, 0xC7, 0x04, 0x49, 0x75, 0xF3}},
      // add eax,ebx; xor ebx,eax; shl eax,1; lea edx,[eax+ebx*2]; dec ecx; jnz
      {"alu", {0x01, 0xD8, 0x31, 0xC3, 0xD1, 0xE0, 0x8D, 0x14, 0x58, 0x49, 0x75, 0xF4}},
  };
  for (const LoopCase& l : loops) {
    SCOPED_TRACE(l.name);
    EXPECT_GE(loopThroughput(l, 4), 1.0);
    EXPECT_GE(loopThroughput(l, 8), 1.0);
  }
}

}  // namespace
}  // namespace codemorph::translator::test
