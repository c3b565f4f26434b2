// Debug disassembly of a DecodedInsn in Intel syntax ("add byte ptr es:[bx+si+0x12], al").
// Meant for traces and test messages, not for round-tripping (Capstone is the reference
// disassembler for traces, ARCHITECTURE.md section 6).
#pragma once
#include <codemorph/x86/decoder.h>

#include <string>

namespace codemorph::x86 {

// `eip` is used to print absolute branch targets; pass 0 to print them relative to 0.
std::string toString(const DecodedInsn& insn, uint32_t eip = 0);
std::string_view regName(Reg r);

}  // namespace codemorph::x86
