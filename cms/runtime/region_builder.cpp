// See region_builder.h.
#include "region_builder.h"

#include "contexts.h"

#include <algorithm>
#include <set>

namespace codemorph::cms::runtime {

translator::RegionMode regionMode(const CpuState& s, const CpuModel& model) {
  translator::RegionMode m;
  m.code32 = s.seg[kCS].bigDefault();
  m.stack32 = s.seg[kSS].bigDefault();
  m.profile = model.decodeProfile;
  m.csLimit = s.seg[kCS].limit;  // part of the context (contexts.h)
  return m;
}

namespace {
bool isConditional(x86::Mnemonic m) {
  return m == x86::Mnemonic::JCC;
}

// Segments an instruction accesses memory through: its memory operands, the stack for
// stack instructions, ES:EDI for string destinations.
uint32_t segmentsUsed(const x86::DecodedInsn& in) {
  using x86::Mnemonic;
  uint32_t used = 0;
  for (unsigned i = 0; i < in.numOperands && i < 3; ++i)
    if (in.op[i].kind == x86::OpKind::Mem && in.op[i].seg != x86::Seg::None) used |= 1u << static_cast<unsigned>(in.op[i].seg);
  switch (in.mnemonic) {
    case Mnemonic::PUSH: case Mnemonic::POP: case Mnemonic::CALL: case Mnemonic::RET: case Mnemonic::ENTER:
    case Mnemonic::LEAVE: case Mnemonic::PUSHA: case Mnemonic::POPA: case Mnemonic::PUSHF: case Mnemonic::POPF:
      used |= 1u << kSS;
      break;
    case Mnemonic::MOVS: case Mnemonic::STOS: case Mnemonic::CMPS: case Mnemonic::SCAS: case Mnemonic::INS:
      used |= 1u << kES;
      break;
    default: break;
  }
  return used;
}
}  // namespace

std::optional<Region> buildRegion(Interpreter& interp, const GuestBus& bus, const RegionRequest& req) {
  const CpuState& s = interp.state();
  const translator::RegionMode mode = regionMode(s, interp.model());
  const SegmentCache& cs = s.seg[kCS];
  const uint32_t entryLinear = cs.base + req.entryEip;
  const uint32_t page = entryLinear & ~0xFFFu;
  const LinearTranslation entry = interp.translateLinear(entryLinear, Interpreter::Access::Execute);
  if (!entry.ok) return std::nullopt;
  const uint32_t physPage = entry.physical & ~0xFFFu;
  const auto ram = bus.ram();
  const unsigned maxLen = x86::profileInfo(mode.profile).maxLength;

  const uint32_t plain = plainSegments(s);
  Region region;
  region.physEntry = entry.physical;
  uint32_t lo = UINT32_MAX, hi = 0;
  std::set<uint32_t> visited;
  uint32_t eip = req.entryEip;
  while (region.insns.size() < req.maxInsns) {
    const uint32_t lin = cs.base + eip;
    if ((lin & ~0xFFFu) != page || eip > cs.limit) break;
    if (visited.count(eip)) {
      if (req.trace && eip == req.entryEip) region.loopBody = static_cast<unsigned>(region.insns.size());
      break;
    }
    const uint32_t pa = physPage | (lin & 0xFFFu);
    unsigned avail = std::min<uint32_t>(maxLen, 0x1000u - (lin & 0xFFFu));
    avail = std::min<uint64_t>(avail, uint64_t{cs.limit} - eip + 1);
    if (!bus.directRead(pa, avail)) break;
    x86::DecodedInsn insn;
    const x86::DecodeMode dm{static_cast<uint8_t>(mode.code32 ? 32 : 16), mode.profile};
    if (x86::decode({ram.data() + pa, avail}, dm, insn) != x86::DecodeStatus::Ok) break;
    if (req.translator && !req.translator->isTranslatable(insn, mode)) break;
    if (req.translator && (segmentsUsed(insn) & ~plain) != 0) break;  // rights: the interpreter checks
    // A direct transfer beyond the CS limit raises #GP(0) at the transfer (SDM Vol. 2 Jcc,
    // JMP, CALL, LOOP): the region ends before it and the interpreter decides.
    if ((insn.flags & x86::kInsnBranch) && insn.numOperands > 0 && insn.op[0].kind == x86::OpKind::Rel &&
        x86::branchTarget(insn, insn.op[0], eip) > cs.limit)
      break;
    visited.insert(eip);
    lo = std::min(lo, pa);
    hi = std::max(hi, pa + insn.length);
    translator::RegionInsn ri;
    ri.eip = eip;
    ri.insn = insn;
    uint32_t next = eip + insn.length;
    if (!mode.code32) next &= 0xFFFF;
    if (insn.flags & x86::kInsnBranch) {
      if (req.trace && insn.mnemonic == x86::Mnemonic::JMP && insn.op[0].kind == x86::OpKind::Rel) {
        region.insns.push_back(ri);  // a trace goes on at a direct jump's target
        eip = x86::branchTarget(insn, insn.op[0], eip);
        continue;
      }
      if (!req.trace || !isConditional(insn.mnemonic) || insn.op[0].kind != x86::OpKind::Rel) {
        region.insns.push_back(ri);
        break;
      }
      const uint32_t target = x86::branchTarget(insn, insn.op[0], eip);
      const bool backward = target <= eip;
      ri.followTaken = req.profile ? req.profile->followTaken(pa, backward) : backward;
      region.insns.push_back(ri);
      next = ri.followTaken ? target : next;
      eip = next;
      continue;
    }
    region.insns.push_back(ri);
    eip = next;
  }
  if (region.insns.empty()) return std::nullopt;
  // A loop closed at the entry: unroll it (identical copies, the profile being the same).
  if (region.loopBody > 0) {
    const std::vector<translator::RegionInsn> body(region.insns);
    while (region.copies < req.maxCopies && region.insns.size() + body.size() <= req.maxInsns) {
      region.insns.insert(region.insns.end(), body.begin(), body.end());
      ++region.copies;
    }
  }
  region.physStart = lo;
  region.physEnd = hi;
  return region;
}

}  // namespace codemorph::cms::runtime
