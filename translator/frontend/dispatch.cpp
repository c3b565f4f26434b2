// Which x86 instructions are translated, and by which family (docs/cms-runtime.md section 5).
// Adding an instruction = a row here + its IR in the family file.
#include <codemorph/x86/mnemonic.h>

#include "frontend.h"

namespace codemorph::translator::frontend {

using M = x86::Mnemonic;

namespace {
struct Row {
  M mnemonic;
  Handler handler;
};
constexpr Row kRows[] = {
    {M::ADD, translateAlu},   {M::ADC, translateAlu},   {M::SUB, translateAlu},   {M::SBB, translateAlu},
    {M::AND, translateAlu},   {M::OR, translateAlu},    {M::XOR, translateAlu},   {M::CMP, translateAlu},
    {M::TEST, translateAlu},  {M::INC, translateAlu},   {M::DEC, translateAlu},   {M::NEG, translateAlu},
    {M::NOT, translateAlu},   {M::IMUL, translateMul},  {M::MUL, translateMul},   {M::SHL, translateShift},
    {M::SAL, translateShift}, {M::SHR, translateShift}, {M::SAR, translateShift}, {M::ROL, translateShift},
    {M::ROR, translateShift}, {M::MOV, translateDataMove}, {M::MOVZX, translateDataMove},
    {M::MOVSX, translateDataMove}, {M::LEA, translateDataMove}, {M::XCHG, translateDataMove},
    {M::CBW, translateDataMove}, {M::CWD, translateDataMove}, {M::SETCC, translateDataMove},
    {M::CMOVCC, translateDataMove}, {M::NOP, translateDataMove}, {M::PUSH, translateStack},
    {M::POP, translateStack}, {M::CALL, translateStack}, {M::RET, translateStack}, {M::JMP, translateBranch},
    {M::JCC, translateBranch}, {M::LOOP, translateBranch}, {M::LOOPE, translateBranch},
    {M::LOOPNE, translateBranch}, {M::JCXZ, translateBranch}, {M::MOVS, translateString},
    {M::STOS, translateString}, {M::LODS, translateString}, {M::CMPS, translateString},
    {M::SCAS, translateString}, {M::BSWAP, translateDataMove},
};

bool isGpr(const x86::Operand& o) {
  return o.kind != x86::OpKind::Reg || (o.reg >= x86::Reg::AL && o.reg <= x86::Reg::EDI);
}
bool isString(M m) { return m == M::MOVS || m == M::STOS || m == M::LODS || m == M::CMPS || m == M::SCAS; }
}  // namespace

Handler handlerFor(const x86::DecodedInsn& insn, const RegionMode& mode) {
  (void)mode;
  if (insn.flags & (x86::kInsnX87 | x86::kInsnMmx)) return nullptr;
  // REP string forms end the region (docs/cms-runtime.md section 5).
  if (insn.rep && isString(insn.mnemonic)) return nullptr;
  // BSWAP with a 16-bit operand is undefined (SDM Vol. 2 BSWAP): the interpreter's choice.
  if (insn.mnemonic == M::BSWAP && (insn.opSize != 4 || insn.op[0].kind != x86::OpKind::Reg)) return nullptr;
  for (unsigned i = 0; i < insn.numOperands; ++i) {
    const x86::Operand& o = insn.op[i];
    // Segment, control and debug registers live in the CMS only; far pointers are far
    // transfers.
    if (!isGpr(o) || o.kind == x86::OpKind::Far) return nullptr;
    // A write through CS faults in protected mode (SDM Vol. 3A 5.5); agen does not check
    // rights, so such an instruction is left to the interpreter.
    if (o.kind == x86::OpKind::Mem && o.seg == x86::Seg::CS && i == 0) return nullptr;
  }
  for (const Row& r : kRows)
    if (r.mnemonic == insn.mnemonic) return r.handler;
  return nullptr;
}

unsigned storeEntries(const x86::DecodedInsn& insn) {
  const M m = insn.mnemonic;
  unsigned size = 0;
  if (m == M::PUSH || m == M::CALL) size = insn.opSize;
  else if (m == M::MOVS || m == M::STOS) size = insn.op[0].size;
  else if (m == M::CMP || m == M::TEST || m == M::LEA || m == M::NOP || m == M::CMPS || m == M::SCAS || m == M::LODS)
    size = 0;
  else if (insn.numOperands > 0 && insn.op[0].kind == x86::OpKind::Mem)
    size = insn.op[0].size;
  else if (m == M::XCHG && insn.numOperands > 1 && insn.op[1].kind == x86::OpKind::Mem)
    size = insn.op[1].size;
  if (size == 0) return 0;
  return size == 1 ? 1 : 2;
}

}  // namespace codemorph::translator::frontend
