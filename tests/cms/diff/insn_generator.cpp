// The state-aware random instruction generator (see insn_generator.h). Encodings follow
// SDM Vol. 2A 2.1 (prefixes, ModRM, SIB, displacement) and Vol. 2D Appendix A (opcode
// maps); families and weights are in fresh().
#include "insn_generator.h"

#include <algorithm>
#include <cstring>

namespace codemorph::cms::diff {

// One instruction under construction.
struct InsnGenerator::Builder {
  bool big = true;  // code segment default size is 32
  bool p66 = false, p67 = false, lock = false;
  int seg = -1;     // segment override (SegReg) or -1
  uint8_t rep = 0;  // F2 / F3 or 0
  std::vector<uint8_t> op;
  bool hasModrm = false;
  uint8_t regField = 0;
  uint8_t mod = 3, rm = 0;
  bool hasSib = false;
  uint8_t sib = 0;
  unsigned dispSize = 0;
  uint32_t disp = 0;
  std::vector<uint8_t> imm;
  bool isMem() const { return hasModrm && mod != 3; }
  unsigned os() const { return big != p66 ? 4 : 2; }
  unsigned as() const { return big != p67 ? 4 : 2; }
  void immediate(uint32_t v, unsigned size) {
    for (unsigned i = 0; i < size; ++i) imm.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t> bytes(Rng& rng) const {
    static constexpr uint8_t kSegPrefix[] = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65};
    std::vector<uint8_t> out;
    if (p66) out.push_back(0x66);
    if (p67) out.push_back(0x67);
    if (seg >= 0) out.push_back(kSegPrefix[seg]);
    if (lock) out.push_back(0xF0);
    if (rep) out.push_back(rep);
    for (size_t i = out.size(); i > 1; --i) std::swap(out[i - 1], out[rng.below(static_cast<uint32_t>(i))]);
    out.insert(out.end(), op.begin(), op.end());
    if (hasModrm) {
      out.push_back(static_cast<uint8_t>((mod << 6) | ((regField & 7) << 3) | (rm & 7)));
      if (hasSib) out.push_back(sib);
      for (unsigned i = 0; i < dispSize; ++i) out.push_back(static_cast<uint8_t>(disp >> (8 * i)));
    }
    out.insert(out.end(), imm.begin(), imm.end());
    return out;
  }
};

namespace {
bool fitsS8(uint32_t v) { return static_cast<int32_t>(v) >= -128 && static_cast<int32_t>(v) <= 127; }
bool fitsS8x16(uint32_t v) { return static_cast<int16_t>(v) >= -128 && static_cast<int16_t>(v) <= 127; }
}  // namespace

void InsnGenerator::beginSequence() {
  queue_.clear();
  hot_ = l_.dataBase + 64 + rng_.below(l_.dataSize - 192);
}

uint32_t InsnGenerator::peek(uint32_t linear, unsigned size) const {
  uint32_t v = 0;
  if (ram_ && static_cast<uint64_t>(linear) + size <= ram_->size()) std::memcpy(&v, ram_->data() + linear, size);
  return v;
}

uint32_t InsnGenerator::dataTarget(unsigned size) {
  (void)size;
  if (rng_.chance(50)) return hot_ + rng_.below(64);
  return l_.dataBase + rng_.below(l_.dataSize - 16);
}

uint32_t InsnGenerator::pointerFor(const CpuState& s, unsigned seg) {
  const uint32_t lin = l_.dataBase + 128 + rng_.below(l_.dataSize - 256);
  return lin - s.seg[seg].base;
}

// Memory operand reaching linear `target` with the builder's address size and override.
bool InsnGenerator::encodeMem(const CpuState& s, Builder& b, uint32_t target) {
  auto segBase = [&](unsigned def) { return s.seg[b.seg >= 0 ? static_cast<unsigned>(b.seg) : def].base; };
  const bool limit64k = l_.mode == Mode::Real16 || b.as() == 2;
  if (b.as() == 4) {
    const unsigned form = rng_.below(10);
    if (form == 0) {  // [disp32]
      const uint32_t off = target - segBase(kDS);
      if (limit64k && off > 0xFFF0) return false;
      b.mod = 0; b.rm = 5; b.dispSize = 4; b.disp = off;
      return true;
    }
    int base = static_cast<int>(rng_.below(8));
    int index = -1;
    unsigned scale = 0;
    b.hasSib = false;
    if (form >= 6 || base == 4) {
      b.hasSib = true;
      index = static_cast<int>(rng_.below(8));
      if (index == 4) index = -1;  // SIB index 100b: none
      scale = rng_.below(4);
      if (base == 5 && rng_.chance(30)) base = -1;  // mod 00, base 101b: disp32, no base
    }
    const unsigned def = (base == 4 || base == 5) ? kSS : kDS;
    const uint32_t off = target - segBase(def);
    if (limit64k && off > 0xFFF0) return false;
    uint32_t sum = 0;
    if (base >= 0) sum += s.gpr[static_cast<unsigned>(base)];
    if (index >= 0) sum += s.gpr[static_cast<unsigned>(index)] << scale;
    b.disp = off - sum;
    if (b.hasSib) {
      b.rm = 4;
      b.sib = static_cast<uint8_t>((scale << 6) | ((index < 0 ? 4 : index) << 3) | (base < 0 ? 5 : base));
    } else {
      b.rm = static_cast<uint8_t>(base);
    }
    if (base < 0) { b.mod = 0; b.dispSize = 4; }
    else if (b.disp == 0 && base != 5) { b.mod = 0; b.dispSize = 0; }
    else if (fitsS8(b.disp)) { b.mod = 1; b.dispSize = 1; }
    else { b.mod = 2; b.dispSize = 4; }
    return true;
  }
  // 16-bit addressing (Vol. 2A Table 2-1).
  static constexpr int kBase[8] = {kEBX, kEBX, kEBP, kEBP, -1, -1, kEBP, kEBX};
  static constexpr int kIndex[8] = {kESI, kEDI, kESI, kEDI, kESI, kEDI, -1, -1};
  b.hasSib = false;
  b.rm = static_cast<uint8_t>(rng_.below(8));
  const bool direct = rng_.chance(10);
  if (direct) b.rm = 6;
  const unsigned def = (!direct && (b.rm == 2 || b.rm == 3 || b.rm == 6)) ? kSS : kDS;
  const uint32_t off = target - segBase(def);
  if (off > 0xFFF0) return false;
  uint32_t sum = 0;
  if (!direct) {
    if (kBase[b.rm] >= 0) sum += s.gpr[kBase[b.rm]] & 0xFFFF;
    if (kIndex[b.rm] >= 0) sum += s.gpr[kIndex[b.rm]] & 0xFFFF;
  }
  b.disp = (off - sum) & 0xFFFF;
  if (direct) { b.mod = 0; b.dispSize = 2; }
  else if (b.disp == 0 && b.rm != 6) { b.mod = 0; b.dispSize = 0; }
  else if (fitsS8x16(b.disp)) { b.mod = 1; b.dispSize = 1; b.disp &= 0xFF; }
  else { b.mod = 2; b.dispSize = 2; }
  return true;
}

// The r/m operand: memory (memPercent) hitting the data area, else a register.
void InsnGenerator::rmOperand(const CpuState& s, Builder& b, unsigned size, unsigned memPercent) {
  b.hasModrm = true;
  if (rng_.chance(memPercent)) {
    if (rng_.chance(12)) b.p67 = true;
    if (rng_.chance(15)) b.seg = static_cast<int>(rng_.below(6));
    const uint32_t t = dataTarget(size);
    if (encodeMem(s, b, t)) return;
    b.seg = -1;
    b.p67 = false;
    if (encodeMem(s, b, t)) return;
  }
  b.mod = 3;
  b.rm = static_cast<uint8_t>(rng_.below(8));
  b.dispSize = 0;
  b.hasSib = false;
}

void InsnGenerator::queue(const Builder& b) { queue_.push_back(b.bytes(rng_)); }

void InsnGenerator::queueMovImm(unsigned reg, uint32_t value) {
  Builder b;
  b.big = l_.mode == Mode::Flat32;
  b.p66 = !b.big;
  b.op = {static_cast<uint8_t>(0xB8 + reg)};
  b.immediate(value, 4);
  queue(b);
}

std::vector<uint8_t> InsnGenerator::next(const CpuState& s, const std::vector<uint8_t>& ram) {
  ram_ = &ram;
  if (queue_.empty()) fresh(s);
  std::vector<uint8_t> out = std::move(queue_.front());
  queue_.pop_front();
  return out;
}

// Families and weights. Each case fills a Builder (and possibly queues setup instructions
// before it). Operand size: 66h toggles the default (20 %), 67h only on memory forms.
void InsnGenerator::fresh(const CpuState& s) {
  Builder b;
  b.big = l_.mode == Mode::Flat32;
  if (rng_.chance(20)) b.p66 = true;
  const unsigned os = b.os();
  auto reg = [&] { return static_cast<uint8_t>(rng_.below(8)); };
  auto immOs = [&](unsigned size) { b.immediate(rng_.u32(), size); };
  auto lockable = [&] { if (b.isMem() && rng_.chance(10)) b.lock = true; };
  auto wbit = [&] { return rng_.chance(30) ? 0u : 1u; };  // byte vs word/dword form

  enum Fam {
    kAluRm, kAluImm, kIncDec, kNotNeg, kTest, kShift, kShxd, kMul, kDiv, kBcd, kString,
    kBitOps, kSetCmov, kBranch, kCallRet, kStack, kEnterLeave, kXchg, kCmpxchg, kMov,
    kMovx, kLea, kXlat, kMisc, kBswap, kCount
  };
  static constexpr unsigned kWeight[kCount] = {
    14, 10, 5, 3, 4, 12, 4, 5, 5, 4, 8, 6, 6, 5, 2, 8, 2, 4, 3, 9, 4, 3, 1, 6, 1};
  unsigned total = 0;
  for (unsigned w : kWeight) total += w;
  unsigned pick = rng_.below(total), fam = 0;
  while (pick >= kWeight[fam]) pick -= kWeight[fam++];

  switch (fam) {
    case kAluRm: {  // ADD OR ADC SBB AND SUB XOR CMP, Eb/Ev,Gb/Gv and reverse
      const unsigned op = rng_.below(8), form = rng_.below(4);
      b.op = {static_cast<uint8_t>(op * 8 + form)};
      b.regField = reg();
      rmOperand(s, b, (form & 1) ? os : 1, 50);
      if ((form & 2) == 0 && op != 7) lockable();
      break;
    }
    case kAluImm: {  // 80 81 82 83 /op, AL/eAX,imm
      const unsigned op = rng_.below(8);
      const unsigned form = rng_.below(10);
      if (form < 2) {
        const unsigned w = wbit();
        b.op = {static_cast<uint8_t>(op * 8 + 4 + w)};
        immOs(w ? os : 1);
        break;
      }
      static constexpr uint8_t kOps[] = {0x80, 0x81, 0x83, 0x83, 0x81, 0x82};
      const uint8_t opc = kOps[rng_.below(6)];
      b.op = {opc};
      b.regField = static_cast<uint8_t>(op);
      rmOperand(s, b, opc == 0x81 || opc == 0x83 ? os : 1, 50);
      immOs(opc == 0x81 ? os : 1);
      if (op != 7) lockable();
      break;
    }
    case kIncDec: {
      if (rng_.chance(40)) {
        b.op = {static_cast<uint8_t>(0x40 + rng_.below(16))};
      } else {
        const unsigned w = wbit();
        b.op = {static_cast<uint8_t>(0xFE + w)};
        b.regField = static_cast<uint8_t>(rng_.below(2));
        rmOperand(s, b, w ? os : 1, 50);
        lockable();
      }
      break;
    }
    case kNotNeg: {
      const unsigned w = wbit();
      b.op = {static_cast<uint8_t>(0xF6 + w)};
      b.regField = static_cast<uint8_t>(2 + rng_.below(2));
      rmOperand(s, b, w ? os : 1, 50);
      lockable();
      break;
    }
    case kTest: {
      const unsigned w = wbit(), form = rng_.below(3);
      if (form == 0) {
        b.op = {static_cast<uint8_t>(0x84 + w)};
        b.regField = reg();
        rmOperand(s, b, w ? os : 1, 50);
      } else if (form == 1) {
        b.op = {static_cast<uint8_t>(0xA8 + w)};
        immOs(w ? os : 1);
      } else {
        b.op = {static_cast<uint8_t>(0xF6 + w)};
        b.regField = 0;
        rmOperand(s, b, w ? os : 1, 50);
        immOs(w ? os : 1);
      }
      break;
    }
    case kShift: {  // Grp2: ROL ROR RCL RCR SHL SHR SAL(/6) SAR, by 1 / imm8 / CL
      const unsigned w = wbit(), form = rng_.below(3);
      b.regField = static_cast<uint8_t>(rng_.chance(5) ? 6 : rng_.below(8));
      if (b.regField == 6) b.regField = rng_.chance(50) ? 6 : 4;
      b.op = {static_cast<uint8_t>((form == 0 ? 0xD0 : form == 1 ? 0xC0 : 0xD2) + w)};
      // A MOV CL,ib setup runs first: encode the memory operand for ECX after it.
      CpuState after = s;
      if (form == 2 && rng_.chance(50)) {
        const auto cl = static_cast<uint8_t>(rng_.chance(85) ? rng_.below(34) : rng_.below(256));
        Builder m;
        m.big = b.big;
        m.op = {0xB1, cl};  // MOV CL,ib
        queue(m);
        after.gpr[kECX] = (after.gpr[kECX] & ~0xFFu) | cl;
      }
      rmOperand(after, b, w ? os : 1, 40);
      if (form == 1) {
        const uint32_t c = rng_.chance(80) ? rng_.below(34) : rng_.below(256);
        b.immediate(c, 1);
      }
      break;
    }
    case kShxd: {  // SHLD/SHRD Ev,Gv,Ib|CL; 16-bit counts > 16 are undefined: avoided
      const bool left = rng_.chance(50), byCl = rng_.chance(50);
      b.op = {0x0F, static_cast<uint8_t>((left ? 0xA4 : 0xAC) + (byCl ? 1 : 0))};
      b.regField = reg();
      const uint32_t maxC = os == 2 ? 16 : 31;
      CpuState after = s;  // ECX after the MOV CL,ib setup, if any
      if (byCl && ((s.gpr[kECX] & 31) > maxC || rng_.chance(40))) {
        const auto cl = static_cast<uint8_t>(rng_.range(0, maxC) | (rng_.chance(10) ? 0x20 : 0));
        Builder m;
        m.big = b.big;
        m.op = {0xB1, cl};
        queue(m);
        after.gpr[kECX] = (after.gpr[kECX] & ~0xFFu) | cl;
      }
      rmOperand(after, b, os, 40);
      if (!byCl) {
        uint32_t c = rng_.range(0, maxC);
        if (rng_.chance(10)) c += 32;  // masked to 5 bits
        b.immediate(c, 1);
      }
      break;
    }
    case kMul: {  // MUL IMUL (F6/F7 /4 /5), IMUL Gv,Ev / Gv,Ev,Iz / Gv,Ev,Ib
      const unsigned form = rng_.below(5);
      if (form < 2) {
        const unsigned w = wbit();
        b.op = {static_cast<uint8_t>(0xF6 + w)};
        b.regField = static_cast<uint8_t>(4 + form);
        rmOperand(s, b, w ? os : 1, 40);
      } else {
        b.regField = reg();
        if (form == 2) b.op = {0x0F, 0xAF};
        else b.op = {static_cast<uint8_t>(form == 3 ? 0x69 : 0x6B)};
        rmOperand(s, b, os, 40);
        if (form == 3) immOs(os);
        if (form == 4) immOs(1);
      }
      break;
    }
    case kDiv: {  // DIV IDIV; a setup usually makes the dividend fit (else #DE is compared)
      const unsigned w = wbit();
      const bool sign = rng_.chance(50);
      b.op = {static_cast<uint8_t>(0xF6 + w)};
      b.regField = static_cast<uint8_t>(sign ? 7 : 6);
      rmOperand(s, b, w ? os : 1, 40);
      if (rng_.chance(70)) {
        Builder m;
        m.big = b.big;
        m.p66 = b.p66;
        if (w == 0) {
          m.p66 = m.big;  // CBW (AL -> AX) / MOV AH,0
          if (sign) m.op = {0x98}; else { m.p66 = false; m.op = {0xB4, 0x00}; }
        } else {
          if (sign) m.op = {0x99}; else m.op = {0x31, 0xD2};  // CWD/CDQ, XOR eDX,eDX
        }
        queue(m);
      }
      break;
    }
    case kBcd: {
      static constexpr uint8_t kOps[] = {0x27, 0x2F, 0x37, 0x3F, 0xD4, 0xD5};
      b.op = {kOps[rng_.below(6)]};
      b.p66 = false;
      if (b.op[0] >= 0xD4) b.immediate(rng_.chance(75) ? 10 : rng_.below(256), 1);
      break;
    }
    case kString: {  // MOVS CMPS STOS LODS SCAS with REP/REPE/REPNE, bounded counts
      static constexpr uint8_t kOps[] = {0xA4, 0xA6, 0xAA, 0xAC, 0xAE};
      const uint8_t opc = static_cast<uint8_t>(kOps[rng_.below(5)] + wbit());
      b.op = {opc};
      if (rng_.chance(15)) b.p67 = true;
      const bool srcSeg = opc < 0xA8 || (opc & 0xFE) == 0xAC;  // MOVS CMPS LODS use DS:eSI
      if (srcSeg && rng_.chance(20)) b.seg = static_cast<int>(rng_.below(6));
      const unsigned r = rng_.below(10);
      b.rep = r < 5 ? 0xF3 : r < 7 ? 0xF2 : 0;
      const unsigned as = b.as();
      const uint32_t hi = as == 2 && rng_.chance(30) ? (rng_.u32() & 0xFFFF0000u) : 0;
      if (b.rep && rng_.chance(90)) queueMovImm(kECX, rng_.below(17) | hi);
      if (srcSeg && rng_.chance(90))
        queueMovImm(kESI, pointerFor(s, b.seg >= 0 ? static_cast<unsigned>(b.seg) : unsigned{kDS}) | hi);
      if (opc != 0xAC && opc != 0xAD && rng_.chance(90)) queueMovImm(kEDI, pointerFor(s, kES) | hi);
      break;
    }
    case kBitOps: {  // BT BTS BTR BTC Ev,Gv / Ev,Ib; BSF BSR
      const unsigned form = rng_.below(3);
      if (form == 0) {
        const unsigned op = rng_.below(4);
        b.op = {0x0F, static_cast<uint8_t>(0xA3 + op * 8)};
        b.regField = reg();
        rmOperand(s, b, os, 40);
        if (b.isMem() && rng_.chance(70)) {
          // A register bit offset also addresses memory: keep it small (+-64 bytes).
          const uint32_t bitOff = static_cast<uint32_t>(static_cast<int32_t>(rng_.below(1024)) - 512);
          Builder m;
          m.big = b.big;
          m.p66 = !m.big;
          m.op = {static_cast<uint8_t>(0xB8 + b.regField)};
          m.immediate(bitOff, 4);
          queue(m);
          // The memory operand was encoded for the current register values: re-encode it
          // after the setup if it uses the offset register as base/index.
          Builder again = b;
          CpuState after = s;
          after.gpr[b.regField] = bitOff;
          const uint32_t t = dataTarget(os);
          if (!encodeMem(after, again, t)) again = b;
          b = again;
        }
        if (op != 0) lockable();
      } else if (form == 1) {
        b.op = {0x0F, 0xBA};
        b.regField = static_cast<uint8_t>(4 + rng_.below(4));
        rmOperand(s, b, os, 40);
        b.immediate(rng_.chance(80) ? rng_.below(32) : rng_.below(256), 1);
        if (b.regField != 4) lockable();
      } else {
        b.op = {0x0F, static_cast<uint8_t>(0xBC + rng_.below(2))};
        b.regField = reg();
        rmOperand(s, b, os, 40);
      }
      break;
    }
    case kSetCmov: {
      if (rng_.chance(50)) {
        b.op = {0x0F, static_cast<uint8_t>(0x90 + rng_.below(16))};
        b.regField = 0;
        rmOperand(s, b, 1, 40);
      } else {
        b.op = {0x0F, static_cast<uint8_t>(0x40 + rng_.below(16))};
        b.regField = reg();
        rmOperand(s, b, os, 40);
      }
      break;
    }
    case kBranch: {  // Jcc/JMP/LOOPcc/JeCXZ with small forward offsets
      const unsigned form = rng_.below(6);
      const uint32_t off = rng_.below(24);
      if (form <= 1) {
        b.op = {static_cast<uint8_t>(0x70 + rng_.below(16))};
        b.immediate(off, 1);
      } else if (form == 2) {
        b.op = {0x0F, static_cast<uint8_t>(0x80 + rng_.below(16))};
        b.immediate(off, os);
      } else if (form == 3) {
        if (rng_.chance(50)) { b.op = {0xEB}; b.immediate(off, 1); }
        else { b.op = {0xE9}; b.immediate(off, os); }
      } else {
        b.op = {static_cast<uint8_t>(0xE0 + rng_.below(4))};
        if (rng_.chance(30)) b.p67 = true;
        b.immediate(off, 1);
      }
      break;
    }
    case kCallRet: {  // CALL rel (forward); PUSH imm + RET [imm16] to a forward target
      if (rng_.chance(50)) {
        b.op = {0xE8};
        b.immediate(rng_.below(24), os);
      } else {
        // PUSH target; RET. Both are placed back to back at EIP (no branch in between).
        const bool retImm = rng_.chance(40);
        const unsigned pushLen = (b.p66 ? 1 : 0) + 1 + os;
        const unsigned retLen = (b.p66 ? 1 : 0) + (retImm ? 3 : 1);
        const uint32_t target = s.eip + pushLen + retLen + rng_.below(24);
        Builder p;
        p.big = b.big;
        p.p66 = b.p66;
        p.op = {0x68};
        p.immediate(target, os);
        queue(p);
        b.op = {static_cast<uint8_t>(retImm ? 0xC2 : 0xC3)};
        if (retImm) b.immediate(rng_.below(5) * 2, 2);
      }
      break;
    }
    case kStack: {
      const unsigned form = rng_.below(l_.mode == Mode::Real16 ? 12 : 11);
      switch (form) {
        case 0: case 1: b.op = {static_cast<uint8_t>(0x50 + rng_.below(8))}; break;
        case 2: case 3: b.op = {static_cast<uint8_t>(0x58 + rng_.below(8))}; break;
        case 4: b.op = {0x6A}; immOs(1); break;
        case 5: b.op = {0x68}; immOs(os); break;
        case 6: b.op = {0xFF}; b.regField = 6; rmOperand(s, b, os, 80); break;
        case 7: b.op = {0x8F}; b.regField = 0; rmOperand(s, b, os, 80); break;
        case 8: b.op = {static_cast<uint8_t>(0x60 + rng_.below(2))}; break;
        case 9: b.op = {0x9C}; break;
        case 10: b.op = {0x9D}; break;
        default: {  // PUSH ES/CS/SS/DS, PUSH FS/GS (real mode only: selectors agree)
          const unsigned sr = rng_.below(6);
          if (sr < 4) b.op = {static_cast<uint8_t>(0x06 + sr * 8)};
          else b.op = {0x0F, static_cast<uint8_t>(sr == 4 ? 0xA0 : 0xA8)};
          break;
        }
      }
      break;
    }
    case kEnterLeave: {
      if (rng_.chance(60)) {  // eBP into the stack first: MOV eBP,eSP
        Builder m;
        m.big = b.big;
        m.op = {0x89, 0xE5};
        queue(m);
      }
      if (rng_.chance(50)) {
        b.op = {0xC8};
        b.immediate(rng_.below(64), 2);
        b.immediate(rng_.chance(60) ? 0 : rng_.chance(80) ? rng_.range(1, 4) : rng_.below(256), 1);
      } else {
        b.op = {0xC9};
      }
      break;
    }
    case kXchg: {  // XCHG Eb/Ev,Gb/Gv; XCHG eAX,r; XADD
      const unsigned form = rng_.below(3);
      const unsigned w = wbit();
      if (form == 0) {
        b.op = {static_cast<uint8_t>(0x86 + w)};
        b.regField = reg();
        rmOperand(s, b, w ? os : 1, 50);
        lockable();
      } else if (form == 1) {
        b.op = {static_cast<uint8_t>(0x91 + rng_.below(7))};
      } else {
        b.op = {0x0F, static_cast<uint8_t>(0xC0 + w)};
        b.regField = reg();
        rmOperand(s, b, w ? os : 1, 50);
        lockable();
      }
      break;
    }
    case kCmpxchg: {  // CMPXCHG Eb/Ev,Gb/Gv; CMPXCHG8B Mq (often with a matching accumulator)
      if (rng_.chance(70)) {
        const unsigned w = wbit();
        b.op = {0x0F, static_cast<uint8_t>(0xB0 + w)};
        b.regField = reg();
        rmOperand(s, b, w ? os : 1, 60);
        lockable();
      } else {
        b.op = {0x0F, 0xC7};
        b.regField = 1;
        b.hasModrm = true;
        const uint32_t t = dataTarget(8);
        if (!encodeMem(s, b, t)) { b.op = {0x90}; b.hasModrm = false; break; }
        lockable();
        if (rng_.chance(50)) {
          queueMovImm(kEAX, peek(t, 4));
          queueMovImm(kEDX, peek(t + 4, 4));
          // The setups may change the address registers: re-encode for the new values.
          CpuState after = s;
          after.gpr[kEAX] = peek(t, 4);
          after.gpr[kEDX] = peek(t + 4, 4);
          if (!encodeMem(after, b, t)) { queue_.clear(); b.op = {0x90}; b.hasModrm = false; }
        }
      }
      break;
    }
    case kMov: {
      const unsigned form = rng_.below(6);
      const unsigned w = wbit();
      if (form <= 1) {
        b.op = {static_cast<uint8_t>(0x88 + w + (form ? 2 : 0))};
        b.regField = reg();
        rmOperand(s, b, w ? os : 1, 60);
      } else if (form == 2) {
        if (w) { b.op = {static_cast<uint8_t>(0xB8 + rng_.below(8))}; immOs(os); }
        else { b.op = {static_cast<uint8_t>(0xB0 + rng_.below(8))}; immOs(1); }
      } else if (form == 3) {
        b.op = {static_cast<uint8_t>(0xC6 + w)};
        b.regField = 0;
        rmOperand(s, b, w ? os : 1, 70);
        immOs(w ? os : 1);
      } else {  // A0-A3 moffs
        if (rng_.chance(12)) b.p67 = true;
        if (rng_.chance(15)) b.seg = static_cast<int>(rng_.below(6));
        const unsigned sg = b.seg >= 0 ? static_cast<unsigned>(b.seg) : unsigned{kDS};
        const uint32_t off = dataTarget(os) - s.seg[sg].base;
        if ((l_.mode == Mode::Real16 || b.as() == 2) && off > 0xFFF0) {  // out of reach: NOP
          b.op = {0x90};
          b.seg = -1;
          b.p67 = false;
          break;
        }
        b.op = {static_cast<uint8_t>(0xA0 + w + (form == 5 ? 2 : 0))};
        b.immediate(off, b.as());
      }
      break;
    }
    case kMovx: {  // MOVZX/MOVSX Gv,Eb/Ew
      const unsigned form = rng_.below(4);
      b.op = {0x0F, static_cast<uint8_t>((form < 2 ? 0xB6 : 0xBE) + (form & 1))};
      b.regField = reg();
      rmOperand(s, b, (form & 1) ? 2 : 1, 50);
      break;
    }
    case kLea: {  // LEA Gv,M: any effective address (no access)
      b.op = {0x8D};
      b.regField = reg();
      b.hasModrm = true;
      if (rng_.chance(15)) b.p67 = true;
      if (!encodeMem(s, b, l_.dataBase + rng_.below(l_.dataSize))) {
        b.p67 = false;
        if (!encodeMem(s, b, l_.dataBase + rng_.below(l_.dataSize))) { b.op = {0x90}; b.hasModrm = false; }
      }
      break;
    }
    case kXlat: {
      if (rng_.chance(15)) b.seg = static_cast<int>(rng_.below(6));
      const unsigned seg = b.seg >= 0 ? static_cast<unsigned>(b.seg) : unsigned{kDS};
      if (rng_.chance(80)) queueMovImm(kEBX, pointerFor(s, seg) - 128);
      b.op = {0xD7};
      break;
    }
    case kMisc: {  // CBW CWD LAHF SAHF CLC STC CMC CLD STD SALC NOP, 0F 1F NOP Ev
      static constexpr uint8_t kOps[] = {0x98, 0x99, 0x9F, 0x9E, 0xF8, 0xF9, 0xF5, 0xFC, 0xFD, 0xD6, 0x90, 0x1F};
      const uint8_t opc = kOps[rng_.below(12)];
      if (opc == 0x1F) {
        b.op = {0x0F, 0x1F};
        b.regField = 0;
        rmOperand(s, b, os, 50);
      } else {
        b.op = {opc};
      }
      break;
    }
    default: {  // BSWAP r32 (16-bit operand size is undefined: no 66h)
      b.p66 = l_.mode == Mode::Real16;
      b.op = {0x0F, static_cast<uint8_t>(0xC8 + rng_.below(8))};
      break;
    }
  }
  queue(b);
}

}  // namespace codemorph::cms::diff
