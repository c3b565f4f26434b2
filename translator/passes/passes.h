// The IR passes (docs/translator.md "Passes"), one per file. Each rewrites the function in
// place and returns the number of changes it made (for tests and stats).
#pragma once
#include <string>

#include "../ir/ir.h"

namespace codemorph::translator::passes {

// Checks the IR invariants (ir.h): temporaries defined once before use, widths, immediate
// ranges, exit indices, the final Exit last. Returns "" or the first violation.
std::string verify(const ir::Function& fn);

// Turns flag producers whose flags are dead (overwritten before any reader or exit) into
// plain ALU ops (ops.def column plainForm).
unsigned flagLiveness(ir::Function& fn);
// Folds constants into immediate forms and forwards copies.
unsigned constCopyProp(ir::Function& fn);
// Makes a temporary's definition write the guest register it is then copied into; then
// copyForwarding. Returns the copies removed by both.
unsigned copyCoalescing(ir::Function& fn);
// `Copy R = S` followed (no exit, no write of S in between) by an untied op that reads and
// overwrites R: the op reads S and the copy goes (`mov r, s ; op r, x` -> `op r, s, x`).
unsigned copyForwarding(ir::Function& fn);
// Reuses the result of an identical earlier pure op.
unsigned cse(ir::Function& fn);
// Removes ops whose results nobody reads (temporaries, and guest registers overwritten
// before any exit reads them).
unsigned dce(ir::Function& fn);
// Replaces a load by an earlier load of the same address, or by the value an earlier
// store to it wrote, when no store in between may alias.
unsigned redundantLoadElim(ir::Function& fn);
// Replaces the partial-register ops by plain ALU sequences (hostisa.partial_regs off).
unsigned expandPartialRegisters(ir::Function& fn);
// Marks loads that follow stores as protected (ldp) and those stores as checked (stc), so
// the scheduler may hoist the loads above them; at most `aliasRegisters` loads.
unsigned loadHoisting(ir::Function& fn, unsigned aliasRegisters);
// After a side exit, a flag-free op writing a guest register writes a temporary instead,
// then `Copy R = T`, and R's readers read T: the op may be scheduled above the exit.
// Returns the writes renamed.
unsigned exitRenaming(ir::Function& fn);

}  // namespace codemorph::translator::passes
