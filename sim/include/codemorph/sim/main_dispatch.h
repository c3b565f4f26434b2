// Top level of the codemorph command: global options and subcommands.
#pragma once

namespace codemorph::sim {

// Exit status: 0 success, 1 the simulated machine failed (trap, limit), 2 bad usage or
// input. Never throws.
int mainDispatch(int argc, char** argv);

}  // namespace codemorph::sim
