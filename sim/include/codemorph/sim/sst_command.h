// `codemorph sst [--cpu NAME] [-v] FILE|DIR...`: runs SingleStepTests JSON suites (.json or
// .json.gz, one array of tests per file; shared/conformance/README.md) on the CMS x86
// interpreter and compares registers and RAM, masking only the flags the SDM leaves
// undefined (cms/flags.h) and, on CPU models that cannot set them, FLAGS bits 12-15.
// Exit status: 0 all passed, 1 some failed, 2 usage error or malformed input.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace codemorph::sim {

// args: everything after "sst".
int runSstCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Reads a whole file, gunzipping it if it is gzip-compressed (zlib). Throws
// std::runtime_error naming the file and the byte offset on a read or gzip error.
std::string readMaybeGzipped(const std::string& path);

}  // namespace codemorph::sim
