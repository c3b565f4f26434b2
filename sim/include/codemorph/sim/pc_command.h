// `codemorph [options]` (no subcommand): boot a PC (docs/user-guide.md). Options follow
// QEMU's where they exist: -bios, -hda, -m, -serial, -debugcon, -no-reboot, -d/-D.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace codemorph::sim {

// args: without the program name. Returns the process exit status: the guest's
// isa-debug-exit value, 1 when the guest fails (triple fault with -no-reboot, an
// unimplemented instruction, a halt nothing can end), 3 when --max-cycles is reached,
// 2 for bad options or inputs (BIOS, disk).
int runPcCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The option help (--help).
std::string pcUsage();

}  // namespace codemorph::sim
