// cm-as: assemble host-ISA source into a flat image (docs/assembler.md).
//   cm-as [-o OUT.bin] [--base ADDR] [--map FILE.map] [--max-atoms 4|8] INPUT.s
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "codemorph/hostisa/assembler.h"

namespace {
constexpr const char* kUsage =
    "usage: cm-as [-o OUT.bin] [--base ADDR] [--map FILE.map] [--max-atoms 4|8] INPUT.s\n";

int fail(const std::string& msg) {
  std::cerr << "cm-as: error: " << msg << "\n";
  return 2;
}

// Whole file as bytes; false if it cannot be opened or read (directories included).
bool readFile(const std::string& path, std::string& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char buf[65536];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const bool ok = !std::ferror(f);
  std::fclose(f);
  return ok;
}

bool parseNumber(const std::string& s, unsigned long long max, unsigned long long& out) {
  char* end = nullptr;
  errno = 0;
  out = std::strtoull(s.c_str(), &end, 0);
  return !s.empty() && s[0] != '-' && *end == '\0' && errno == 0 && out <= max;
}
}  // namespace

int main(int argc, char** argv) {
  codemorph::hostisa::AsmOptions opt;
  std::string input, output = "a.bin", map;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool hasValue = i + 1 < argc;
    unsigned long long v = 0;
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (a == "-o" && hasValue) {
      output = argv[++i];
    } else if (a == "--map" && hasValue) {
      map = argv[++i];
    } else if (a == "--base" && hasValue) {
      if (!parseNumber(argv[++i], 0xFFFFFFFFull, v)) return fail("--base needs an address 0..0xffffffff");
      opt.baseAddress = static_cast<uint32_t>(v);
    } else if (a == "--max-atoms" && hasValue) {
      const std::string n = argv[++i];
      if (n != "4" && n != "8") return fail("--max-atoms must be 4 or 8");
      opt.maxAtoms = n == "8" ? 8 : 4;
    } else if (!a.empty() && a[0] == '-') {
      return fail("unknown option or missing value: " + a + " (see --help)");
    } else if (input.empty()) {
      input = a;
    } else {
      return fail("more than one input file");
    }
  }
  if (input.empty()) return fail("no input file (see --help)");
  std::string text;
  if (!readFile(input, text)) return fail("cannot read " + input);
  opt.fileName = input;
  const codemorph::hostisa::AsmResult r = codemorph::hostisa::assemble(text, opt);
  if (!r.ok) {
    std::cerr << r.errorText();
    return 1;
  }
  std::ofstream out(output, std::ios::binary);
  out.write(reinterpret_cast<const char*>(r.image.data()), static_cast<std::streamsize>(r.image.size()));
  if (!out.flush()) return fail("cannot write " + output);
  if (!map.empty()) {
    std::ofstream m(map);
    for (const auto& s : r.symbols) {
      char buf[32];
      std::snprintf(buf, sizeof buf, s.value >= 0 && s.value <= 0xFFFFFFFF ? "0x%08llx" : "%lld",
                    static_cast<long long>(s.value));
      m << s.name << " " << buf << "\n";
    }
    if (!m.flush()) return fail("cannot write " + map);
  }
  return 0;
}
