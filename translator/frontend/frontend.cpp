// The region loop of the front end (see frontend.h).
#include "frontend.h"

namespace codemorph::translator::frontend {

namespace {
// The entry check subtracts N with one `addi` (simm11): longer regions are cut.
constexpr size_t kMaxRegionInsns = 1000;

// True if the instruction reads or writes guest memory (explicit operands, the stack).
bool accessesMemory(const x86::DecodedInsn& insn) {
  using M = x86::Mnemonic;
  if (insn.mnemonic == M::LEA || insn.mnemonic == M::NOP) return false;
  if (insn.mnemonic == M::PUSH || insn.mnemonic == M::POP || insn.mnemonic == M::CALL || insn.mnemonic == M::RET)
    return true;
  for (unsigned i = 0; i < insn.numOperands; ++i)
    if (insn.op[i].kind == x86::OpKind::Mem) return true;
  return false;
}
}  // namespace

FrontendResult translateRegion(const TranslateRequest& request, ir::Function& fn) {
  FrontendResult result;
  Builder b(fn, request.mode, request.options, request.insns.empty() ? 0 : request.insns.front().eip);
  const auto& insns = request.insns;
  unsigned stores = 0;
  uint32_t translated = 0;
  bool accessed = false;  // I/O-safe regions: one memory-accessing instruction at most
  for (size_t i = 0; i < insns.size(); ++i) {
    const RegionInsn& ri = insns[i];
    b.setX86Index(static_cast<uint16_t>(i));
    const Handler handler = handlerFor(ri.insn, request.mode);
    const unsigned st = handler ? storeEntries(ri.insn) : 0;
    // An I/O-safe access happens at once (ldio/stio): a rollback after it would repeat it,
    // so such a region holds one memory-accessing instruction and ends after it.
    const bool ioLimit = request.options.ioSafe && accessed && handler && accessesMemory(ri.insn);
    if (!handler || stores + st > request.options.maxStores || ioLimit || i == kMaxRegionInsns) {
      if (i == 0) {
        result.error = handler ? "the first instruction alone exceeds the store bound"
                               : "the first instruction is not translated";
        return result;
      }
      b.finalDirect(ri.eip, translated, handler ? ExitKind::Direct : ExitKind::Interpret);
      break;
    }
    stores += st;
    accessed |= accessesMemory(ri.insn);
    uint32_t next = ri.eip + ri.insn.length;
    if (!request.mode.code32) next &= 0xFFFFu;
    InsnContext c{b, ri, static_cast<uint32_t>(i), next, i + 1 == insns.size()};
    const Flow flow = handler(c);
    ++translated;
    if (flow == Flow::Stop) break;
    if (c.last) b.finalDirect(next, translated);
  }
  fn.x86Instructions = translated;
  result.ok = true;
  return result;
}

}  // namespace codemorph::translator::frontend
