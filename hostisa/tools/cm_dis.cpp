// cm-dis: disassemble a flat host-ISA image (docs/assembler.md "Disassembler").
//   cm-dis [--base ADDR] [--max-atoms 4|8] [--asm] IMAGE.bin
#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "codemorph/hostisa/assembler.h"
#include "codemorph/hostisa/disassembler.h"

namespace {
constexpr const char* kUsage =
    "usage: cm-dis [--base ADDR] [--max-atoms 4|8] [--asm] IMAGE.bin\n"
    "  --asm  print source that cm-as reassembles to identical bytes (no address/hex columns)\n";

int fail(const std::string& msg) {
  std::cerr << "cm-dis: error: " << msg << "\n";
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
}  // namespace

int main(int argc, char** argv) {
  codemorph::hostisa::DisasmOptions opt;
  std::string input;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--asm") {
      opt.reassemblable = true;
    } else if (a == "--base" && i + 1 < argc) {
      const std::string v = argv[++i];
      char* end = nullptr;
      errno = 0;
      const unsigned long long n = std::strtoull(v.c_str(), &end, 0);
      if (v.empty() || v[0] == '-' || *end != '\0' || errno != 0 || n > 0xFFFFFFFFull) {
        return fail("--base needs an address 0..0xffffffff");
      }
      opt.baseAddress = static_cast<uint32_t>(n);
    } else if (a == "--max-atoms" && i + 1 < argc) {
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
  std::string data;
  if (!readFile(input, data)) return fail("cannot read " + input);
  const std::vector<uint8_t> bytes(data.begin(), data.end());
  if (bytes.size() > codemorph::hostisa::kMaxImageBytes) return fail(input + " is larger than 64 MiB");
  std::cout << codemorph::hostisa::disassembleImage(bytes, opt);
  return std::cout.flush() ? 0 : 1;
}
