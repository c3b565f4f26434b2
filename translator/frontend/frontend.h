// x86 -> IR (docs/translator.md "Front end"). translateRegion() turns the region's
// instructions into one IR function: it stops before the first instruction it does not
// handle (ExitKind::Interpret), after an indirect branch, and where the store bound
// (docs/cms-runtime.md section 4 rule 4) would be exceeded. Each instruction family lives
// in its own file; the table in dispatch.cpp maps mnemonics to them.
#pragma once
#include <string>

#include "builder.h"

namespace codemorph::translator::frontend {

// One instruction being translated.
struct InsnContext {
  Builder& b;
  const RegionInsn& ri;
  uint32_t index;    // position in the region (instructions retired before it)
  uint32_t nextEip;  // fall-through EIP
  bool last;         // the region's last instruction
  const x86::DecodedInsn& insn() const { return ri.insn; }
  uint8_t addrSize() const { return ri.insn.addrSize; }
};

enum class Flow : uint8_t { Continue, Stop };
using Handler = Flow (*)(InsnContext&);

// Family entry points (one file each).
Flow translateAlu(InsnContext& c);        // alu.cpp: ADD..CMP TEST INC DEC NEG NOT
Flow translateMul(InsnContext& c);        // multiply.cpp: IMUL MUL
Flow translateShift(InsnContext& c);      // shifts.cpp: SHL SAL SHR SAR ROL ROR
Flow translateDataMove(InsnContext& c);   // data_move.cpp: MOV MOVZX MOVSX LEA XCHG CBW CWD SETcc CMOVcc NOP BSWAP
Flow translateStack(InsnContext& c);      // stack.cpp: PUSH POP CALL RET
Flow translateBranch(InsnContext& c);     // branches.cpp: JMP Jcc LOOP* JCXZ
Flow translateString(InsnContext& c);     // strings.cpp: MOVS STOS LODS CMPS SCAS

// The handler of an instruction, or nullptr if it is not translated (isTranslatable).
Handler handlerFor(const x86::DecodedInsn& insn, const RegionMode& mode);
// Guest stores the instruction makes at most, counted as the store buffer does (a store
// that may cross a page counts two).
unsigned storeEntries(const x86::DecodedInsn& insn);

struct FrontendResult {
  bool ok = false;
  std::string error;
};
FrontendResult translateRegion(const TranslateRequest& request, ir::Function& fn);

}  // namespace codemorph::translator::frontend
