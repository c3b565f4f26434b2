// `codemorph interp [--cpu NAME] [--max-insns N] [--ram-mib N] [CMS options] KERNEL`: boots
// a multiboot kernel (ELF32 or a.out kludge, Multiboot 0.6.96 section 3) on the CMS runtime
// (the ISS running firmware and translations; --no-translate: the interpreter alone),
// without the PC platform: RAM, port 0xE9 (debug console) to `out`, QEMU's isa-debug-exit at
// port 0xF4 (value v -> exit status v, ARCHITECTURE.md 5), every other port unclaimed
// (reads all ones, writes ignored). The guest tests in tests/guest run on it.
// Exit status: the guest's exit value; 1 triple fault / runaway / halt without interrupt
// sources / unimplemented feature (one line on `err` with CS:EIP); 2 usage error or a
// malformed kernel image.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <vector>

namespace codemorph::cms {
struct RuntimeConfig;
class Runtime;
}  // namespace codemorph::cms

namespace codemorph::sim {

class CommandLine;

int runInterpCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The CMS options of `interp` and `sst`: --no-translate, --cms-threshold N,
// --clock cycles|instructions, --stats, --stats-json FILE.
extern const char* const kCmsOptionsUsage;
void declareCmsOptions(CommandLine& cl);
cms::RuntimeConfig cmsConfigFrom(const CommandLine& cl);  // throws UsageError
// Prints (--stats) / writes (--stats-json) the runtime's stats.
void emitCmsStats(const CommandLine& cl, const cms::Runtime& rt, std::ostream& err);

// What the multiboot loader did: entry point and the highest loaded address.
struct MultibootImage {
  uint32_t entry = 0;
  uint32_t loadEnd = 0;
};
// Loads `image` into `ram` (physical address 0 = ram[0]). Throws std::runtime_error with a
// one-line reason for anything malformed (no header, bad checksum, unsupported flags,
// segments outside RAM, truncated file).
MultibootImage loadMultiboot(std::span<const uint8_t> image, std::span<uint8_t> ram);

}  // namespace codemorph::sim
