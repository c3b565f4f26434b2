// isa_gen --sv FILE --md FILE: writes the generated views of the ISA description.
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "isa_gen.h"

namespace {

bool writeFile(const std::string& path, void (*emit)(std::ostream&)) {
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    std::cerr << "isa_gen: cannot write " << path << "\n";
    return false;
  }
  emit(out);
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  std::string sv;
  std::string md;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--sv") == 0 && i + 1 < argc) {
      sv = argv[++i];
    } else if (std::strcmp(argv[i], "--md") == 0 && i + 1 < argc) {
      md = argv[++i];
    } else {
      std::cerr << "usage: isa_gen [--sv FILE] [--md FILE]\n";
      return 2;
    }
  }
  if (!sv.empty() && !writeFile(sv, codemorph::hostisa::gen::writeSvPackage)) return 1;
  if (!md.empty() && !writeFile(md, codemorph::hostisa::gen::writeIsaDoc)) return 1;
  return 0;
}
