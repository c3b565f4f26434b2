// `codemorph iss`: assemble (or load) a VLIW program, run it on the reference ISS and
// report its result and stats.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace codemorph::sim {

// args: everything after "iss". Exit status as mainDispatch().
int runIssCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace codemorph::sim
