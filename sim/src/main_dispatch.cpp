// The codemorph command: `codemorph [options]` boots the PC (pc_command.h);
// `codemorph COMMAND ...` runs a subcommand. Subcommands stay thin wrappers over library
// code so tests can call them directly.
#include "codemorph/sim/main_dispatch.h"

#include <iostream>
#include <string>
#include <vector>

#include "codemorph/sim/interp_command.h"
#include "codemorph/sim/iss_command.h"
#include "codemorph/sim/pc_command.h"
#include "codemorph/sim/sst_command.h"
#include "codemorph/version.h"

namespace codemorph::sim {
namespace {

constexpr const char* kUsage =
    "usage: codemorph [PC options]      boot a PC (codemorph --help for the options)\n"
    "       codemorph COMMAND [options]\n"
    "commands:\n"
    "  iss PROGRAM       assemble/load a VLIW program and run it on the reference ISS\n"
    "                    (codemorph iss --help for its options)\n"
    "  sst FILE|DIR...   run SingleStepTests x86 suites on the CMS interpreter\n"
    "                    (codemorph sst --help for its options)\n"
    "  interp KERNEL     boot a multiboot kernel on the bare CMS interpreter\n"
    "options:\n"
    "  --list-knobs      list every configuration knob (ISS, CMS, PC) with default and description\n"
    "  --version         print the version\n"
    "  --help            show this help\n";

}  // namespace

int mainDispatch(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // No subcommand: the PC, with QEMU-style options (or none: the default guest).
  if (args.empty() || (args[0].size() > 1 && args[0][0] == '-' && args[0] != "--help" && args[0] != "-h" &&
                       args[0] != "--version")) {
    return runPcCommand(args, std::cout, std::cerr);
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "--help" || command == "-h") {
    std::cout << pcUsage() << "\n" << kUsage;
    return 0;
  }
  if (command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "codemorph " << kVersion << " (" << kGitDescribe << ")\n";
    return 0;
  }
  if (command == "iss") return runIssCommand(args, std::cout, std::cerr);
  if (command == "sst") return runSstCommand(args, std::cout, std::cerr);
  if (command == "interp") return runInterpCommand(args, std::cout, std::cerr);
  std::cerr << "codemorph: error: unknown command '" << command << "' (try --help)\n";
  return 2;
}

}  // namespace codemorph::sim
