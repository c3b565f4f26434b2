// `codemorph interp`: a multiboot loader and a minimal machine around the CMS interpreter
// (see interp_command.h). The machine state at entry is what Multiboot 0.6.96 section 3.2
// specifies: 32-bit protected mode, CS a flat 4 GiB execute/read code segment, DS ES FS GS
// SS flat 4 GiB read/write data segments, A20 on, paging off, IF = 0, VM = 0,
// EAX = 0x2BADB002, EBX = the physical address of the multiboot information structure
// (flags = mem_lower/mem_upper). The loader also leaves a 3-entry GDT (null, 08h code, 10h
// data) at 0x8000 with GDTR pointing to it, and ESP = 0x7FF0; the specification leaves
// both undefined and the tests load their own.
#include "codemorph/sim/interp_command.h"

#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "codemorph/cms/interpreter.h"
#include "codemorph/cms/runtime.h"
#include "codemorph/hostisa/iss/iss.h"
#include "codemorph/hostisa/iss/iss_config.h"
#include "codemorph/sim/command_line.h"
#include "codemorph/sim/run_report.h"
#include "codemorph/support/config.h"
#include "codemorph/support/stats.h"

namespace codemorph::sim {
namespace {

constexpr uint32_t kMultibootMagic = 0x1BADB002u;
constexpr uint32_t kBootloaderMagic = 0x2BADB002u;
constexpr uint32_t kInfoAddr = 0x9000, kGdtAddr = 0x8000, kInitialEsp = 0x7FF0;
constexpr uint16_t kDebugConPort = 0xE9, kDebugExitPort = 0xF4;

uint32_t le32(std::span<const uint8_t> b, size_t off) {
  if (off + 4 > b.size()) throw std::runtime_error("truncated image");
  uint32_t v;
  std::memcpy(&v, b.data() + off, 4);
  return v;
}
uint16_t le16(std::span<const uint8_t> b, size_t off) {
  if (off + 2 > b.size()) throw std::runtime_error("truncated image");
  return static_cast<uint16_t>(b[off] | (b[off + 1] << 8));
}

void copyIn(std::span<uint8_t> ram, uint64_t addr, std::span<const uint8_t> src, uint64_t memSize) {
  if (addr + memSize > ram.size() || src.size() > memSize)
    throw std::runtime_error("segment at 0x" + [&] {
      std::ostringstream o;
      o << std::hex << addr;
      return o.str();
    }() + " does not fit in RAM");
  std::memcpy(ram.data() + addr, src.data(), src.size());
  std::memset(ram.data() + addr + src.size(), 0, memSize - src.size());
}

// The multiboot machine as a GuestPlatform: RAM (the core's memory when translating), the
// debug console at 0xE9, isa-debug-exit at 0xF4, open bus elsewhere, no devices with
// events (so no interrupts: a HLT with IF = 1 is idle for good).
class MultibootPlatform : public cms::GuestPlatform {
 public:
  MultibootPlatform(std::span<uint8_t> ram, std::ostream& out) : ram_(ram), out_(out) { setRam(ram_); }
  uint32_t readPhysical(uint64_t, unsigned size) override { return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }
  void writePhysical(uint64_t, unsigned, uint32_t) override {}
  uint32_t portIn(uint16_t port, unsigned size) override {
    if (port == kDebugConPort && size == 1) return 0xE9;  // QEMU/Bochs debugcon read-back
    return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
  }
  void portOut(uint16_t port, unsigned, uint32_t value) override {
    if (port == kDebugConPort) {
      out_.put(static_cast<char>(value & 0xFF));
    } else if (port == kDebugExitPort) {
      exitValue = static_cast<int>(value & 0xFF);
    }
  }
  void syncTo(uint64_t) override {}
  uint64_t nextEventTime() const override { return UINT64_MAX; }
  bool intrPending() override { return false; }
  uint8_t intrAcknowledge() override { return 0; }
  bool stopRequested() const override { return exitValue.has_value(); }
  bool resetRequested() override { return false; }
  bool a20() const override { return true; }
  std::span<uint8_t> storage() { return ram_; }
  std::optional<int> exitValue;

 private:
  std::span<uint8_t> ram_;
  std::ostream& out_;
};

void put32(std::span<uint8_t> ram, uint32_t addr, uint32_t v) { std::memcpy(ram.data() + addr, &v, 4); }

}  // namespace

MultibootImage loadMultiboot(std::span<const uint8_t> image, std::span<uint8_t> ram) {
  // Multiboot 3.1.1: the header is 32-bit aligned within the first 8192 bytes.
  std::optional<size_t> hdr;
  for (size_t off = 0; off + 12 <= image.size() && off < 8192; off += 4) {
    if (le32(image, off) == kMultibootMagic) {
      const uint32_t flags = le32(image, off + 4), sum = le32(image, off + 8);
      if (static_cast<uint32_t>(kMultibootMagic + flags + sum) != 0)
        throw std::runtime_error("multiboot header checksum is wrong");
      hdr = off;
      break;
    }
  }
  if (!hdr) throw std::runtime_error("no multiboot header in the first 8192 bytes");
  const uint32_t flags = le32(image, *hdr + 4);
  // Bits 0-15 are requirements: 0 (page-align modules), 1 (memory info) are met; 2 (video
  // mode) is ignored as QEMU does; any other is a request we cannot meet (3.1.2).
  if (flags & 0xFFF8u) throw std::runtime_error("unsupported multiboot header flags (bits 3-15)");
  MultibootImage out;
  if (flags & 0x10000u) {  // a.out kludge: addresses in the header (3.1.3)
    const uint32_t headerAddr = le32(image, *hdr + 12), loadAddr = le32(image, *hdr + 16);
    uint32_t loadEnd = le32(image, *hdr + 20);
    const uint32_t bssEnd = le32(image, *hdr + 24);
    out.entry = le32(image, *hdr + 28);
    if (headerAddr < loadAddr || headerAddr - loadAddr > *hdr)
      throw std::runtime_error("a.out kludge: header_addr/load_addr inconsistent with the file");
    const size_t fileOff = *hdr - (headerAddr - loadAddr);
    if (loadEnd == 0) loadEnd = static_cast<uint32_t>(loadAddr + (image.size() - fileOff));
    if (loadEnd < loadAddr || fileOff + (loadEnd - loadAddr) > image.size())
      throw std::runtime_error("a.out kludge: load_end_addr beyond the file");
    const uint32_t memEnd = bssEnd ? bssEnd : loadEnd;
    if (memEnd < loadEnd) throw std::runtime_error("a.out kludge: bss_end_addr below load_end_addr");
    copyIn(ram, loadAddr, image.subspan(fileOff, loadEnd - loadAddr), memEnd - loadAddr);
    out.loadEnd = memEnd;
    return out;
  }
  // ELF32 executable for EM_386 (System V ABI i386 supplement).
  if (image.size() < 52 || std::memcmp(image.data(), "\x7f" "ELF", 4) != 0)
    throw std::runtime_error("not an ELF file and no a.out kludge in the multiboot header");
  if (image[4] != 1 || image[5] != 1) throw std::runtime_error("ELF: not 32-bit little-endian");
  if (le16(image, 16) != 2 || le16(image, 18) != 3) throw std::runtime_error("ELF: not an i386 executable");
  out.entry = le32(image, 24);
  const uint32_t phoff = le32(image, 28);
  const uint16_t phentsize = le16(image, 42), phnum = le16(image, 44);
  if (phnum == 0 || phentsize < 32) throw std::runtime_error("ELF: no program headers");
  bool loaded = false;
  for (unsigned i = 0; i < phnum; ++i) {
    const size_t ph = static_cast<size_t>(phoff) + static_cast<size_t>(i) * phentsize;
    if (le32(image, ph) != 1) continue;  // PT_LOAD
    const uint32_t off = le32(image, ph + 4), paddr = le32(image, ph + 12);
    const uint32_t filesz = le32(image, ph + 16), memsz = le32(image, ph + 20);
    if (static_cast<uint64_t>(off) + filesz > image.size()) throw std::runtime_error("ELF: segment beyond the file");
    if (filesz > memsz) throw std::runtime_error("ELF: p_filesz > p_memsz");
    copyIn(ram, paddr, image.subspan(off, filesz), memsz);
    out.loadEnd = std::max(out.loadEnd, paddr + memsz);
    loaded = true;
  }
  if (!loaded) throw std::runtime_error("ELF: no PT_LOAD segment");
  return out;
}

namespace {

constexpr const char* kUsage =
    "usage: codemorph interp [--cpu NAME] [--max-insns N] [--ram-mib N] [CMS options] KERNEL\n"
    "  Boots a multiboot kernel (ELF32 or a.out kludge) on the CMS runtime (the VLIW core\n"
    "  model running firmware and translations, or with --no-translate the interpreter\n"
    "  alone): port 0xE9 -> stdout, isa-debug-exit at 0xF4 (value v -> exit status v),\n"
    "  other ports unclaimed. Exit 1 on triple fault, runaway, final HLT or an\n"
    "  unimplemented feature; 2 on usage errors or a malformed kernel.\n"
    "  --cpu NAME       CPU model (default pentium2; pentium)\n"
    "  --max-insns N    stop with an error after N instructions (default 100000000)\n"
    "  --ram-mib N      RAM size in MiB (default 32)\n"
    "  --config FILE    JSON configuration file (knobs: codemorph --list-knobs)\n"
    "  --set KEY=VALUE  override one knob (repeatable), e.g. --set cms.chaining=false\n";

}  // namespace

int runInterpCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CommandLine cl;
  cl.option("cpu", "CPU model");
  cl.option("max-insns", "instruction budget");
  cl.option("ram-mib", "RAM in MiB");
  cl.option("config", "JSON configuration file");
  cl.option("set", "override one knob, KEY=VALUE", true);
  declareCmsOptions(cl);
  cl.flag("help", "show help");
  const cms::CpuModel* model = &cms::defaultCpuModel();
  uint64_t maxInsns = 100'000'000, ramMib = 32;
  cms::RuntimeConfig config;
  // One knob registry (the CMS's and the core's), so --set reaches both and the stats file
  // records the resolved configuration; the CMS options are shortcuts for cms.* knobs.
  support::Config knobs;
  cms::RuntimeConfig::defineKnobs(knobs);
  hostisa::iss::defineIssKnobs(knobs);
  hostisa::iss::IssConfig issConfig;
  try {
    cl.parse(args);
    if (cl.has("help")) {
      out << kUsage << kCmsOptionsUsage;
      return 0;
    }
    if (auto name = cl.value("cpu")) {
      model = cms::findCpuModel(*name);
      if (!model || !model->has32) throw UsageError("unknown or 16-bit-only CPU '" + *name + "'");
    }
    if (auto n = cl.number("max-insns")) maxInsns = *n;
    if (auto n = cl.number("ram-mib")) ramMib = *n;
    if (ramMib < 2 || ramMib > 3072) throw UsageError("--ram-mib must be 2..3072");
    if (cl.positional().size() != 1) throw UsageError("expected exactly one KERNEL");
    if (auto file = cl.value("config")) knobs.loadFile(*file);
    for (const std::string& s : cl.values("set")) knobs.setOverride(s);
    const cms::RuntimeConfig shortcuts = cmsConfigFrom(cl);  // validates the CMS options
    if (!shortcuts.translate) knobs.set("cms.translate", "false");
    if (cl.value("cms-threshold")) knobs.set("cms.threshold", std::to_string(shortcuts.threshold));
    if (cl.value("clock"))
      knobs.set("cms.clock", shortcuts.clock == cms::ClockMode::Instructions ? "instructions" : "cycles");
    config = cms::RuntimeConfig::fromConfig(knobs);
    issConfig = hostisa::iss::IssConfig::fromConfig(knobs);
  } catch (const UsageError& e) {
    err << "codemorph interp: error: " << e.what() << "\n" << kUsage;
    return 2;
  } catch (const support::ConfigError& e) {
    err << "codemorph interp: error: " << e.what() << "\n";
    return 2;
  }
  const std::string& path = cl.positional()[0];
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    err << "codemorph interp: error: cannot open " << path << "\n";
    return 2;
  }
  const std::vector<uint8_t> image((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());

  // Guest RAM: the first ramMib MiB of the core's memory (the CMS-reserved region above),
  // or a plain buffer for --no-translate.
  const size_t ramBytes = static_cast<size_t>(ramMib) << 20;
  std::unique_ptr<hostisa::iss::Iss> core;
  std::vector<uint8_t> ownRam;
  std::span<uint8_t> ram;
  if (config.translate) {
    hostisa::iss::IssConfig ic = issConfig;
    ic.memBytes = (ramMib + config.reservedMiB) << 20;  // mem.size_mib: RAM + reserved region
    core = std::make_unique<hostisa::iss::Iss>(ic);
    ram = core->directMemory().first(ramBytes);
  } else {
    ownRam.assign(ramBytes, 0);
    ram = ownRam;
  }
  MultibootPlatform platform(ram, out);
  MultibootImage mb;
  try {
    mb = loadMultiboot(image, ram);
  } catch (const std::exception& e) {
    err << "codemorph interp: error: " << path << ": " << e.what() << "\n";
    return 2;
  }
  // Multiboot information (3.3): flags bit 0 -> mem_lower / mem_upper in KiB.
  put32(ram, kInfoAddr, 1);
  put32(ram, kInfoAddr + 4, 640);
  put32(ram, kInfoAddr + 8, static_cast<uint32_t>((ramMib - 1) * 1024));
  // GDT: null, 08h flat code (G D P DPL0 ER-A), 10h flat data (G B P DPL0 RW-A).
  put32(ram, kGdtAddr + 8, 0x0000FFFF);
  put32(ram, kGdtAddr + 12, 0x00CF9B00);
  put32(ram, kGdtAddr + 16, 0x0000FFFF);
  put32(ram, kGdtAddr + 20, 0x00CF9300);

  std::unique_ptr<cms::Runtime> runtime;
  try {
    runtime = std::make_unique<cms::Runtime>(config, core.get(), platform, *model);
  } catch (const std::invalid_argument& e) {
    err << "codemorph interp: error: " << e.what() << "\n";
    return 2;
  }
  cms::Runtime& rt = *runtime;
  cms::CpuState& s = rt.cpu();
  s.cr[0] |= cms::kCr0PE;
  s.gdtr = cms::TableRegister{kGdtAddr, 23};
  for (auto& sc : s.seg) sc = cms::SegmentCache{0x10, 0xC093, 0, 0xFFFFFFFFu};
  s.seg[cms::kCS] = cms::SegmentCache{0x08, 0xC09B, 0, 0xFFFFFFFFu};
  s.cpl = 0;
  s.eflags = cms::kFixed1;
  s.eip = mb.entry;
  s.gpr[cms::kEAX] = kBootloaderMagic;
  s.gpr[cms::kEBX] = kInfoAddr;
  s.gpr[cms::kESP] = kInitialEsp;

  auto where = [&] {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04X:%08X", s.seg[cms::kCS].selector, s.eip);
    return std::string(buf);
  };
  std::string stopName = "guest-exit";
  const int status = [&] {
    for (;;) {
      // The budget is in instructions; in cycle time run in slices and count them.
      const uint64_t until = config.clock == cms::ClockMode::Instructions
                                 ? maxInsns
                                 : rt.now() + 1'000'000;
      const cms::RunOutcome r = rt.run(until);
      switch (r.stop) {
        case cms::RunStop::GuestStop:
          out.flush();
          return platform.exitValue.value_or(0);
        case cms::RunStop::Limit:
          if (rt.instructionsRetired() < maxInsns && config.clock == cms::ClockMode::Cycles) continue;
          stopName = "max-insns";
          out.flush();
          err << "codemorph interp: error: instruction budget (--max-insns " << maxInsns << ") used up at "
              << where() << "\n";
          return 1;
        case cms::RunStop::Idle:
          stopName = "idle";
          out.flush();
          err << "codemorph interp: guest halted at " << where() << " with no interrupt source\n";
          return 1;
        case cms::RunStop::TripleFault:
        case cms::RunStop::Unimplemented:
        case cms::RunStop::CoreError:
          stopName = r.stop == cms::RunStop::TripleFault ? "triple-fault"
                     : r.stop == cms::RunStop::Unimplemented ? "unimplemented" : "core-error";
          out.flush();
          err << "codemorph interp: " << r.message << "\n";
          return 1;
      }
    }
  }();
  if (cl.has("stats") || cl.value("stats-json")) {
    // The CMS stats plus the core's (iss.*: molecules, atoms, ...), one registry; the file
    // is the common run report (sim/run_report.h) with the run's figures under "result".
    support::StatsRegistry stats;
    rt.registerStats(stats);
    if (core) core->registerStats(stats);
    if (cl.has("stats")) err << stats.toText();
    if (auto statsPath = cl.value("stats-json")) {
      RunReport report;
      report.commandLine.push_back("codemorph");
      report.commandLine.push_back("interp");
      report.commandLine.insert(report.commandLine.end(), args.begin(), args.end());
      report.config = &knobs;
      report.stats = &stats;
      report.result = {{"stop", stopName},
                       {"exit_status", status},
                       {"cycles", rt.cycles()},
                       {"instructions", rt.instructionsRetired()},
                       {"instructions_interpreted", rt.instructionsInterpreted()},
                       {"instructions_translated", rt.instructionsTranslated()},
                       {"translation", config.translate}};
      try {
        writeReport(report, *statsPath);
      } catch (const std::exception& e) {
        err << "codemorph interp: error: " << e.what() << "\n";
        return 2;
      }
    }
  }
  return status;
}

// ---- CMS options shared by interp and sst ------------------------------------------------

const char* const kCmsOptionsUsage =
    "CMS options:\n"
    "  --no-translate          interpreter only (no core model)\n"
    "  --cms-threshold N       executions of an x86 entry point before gear 2 (default 50; 0: first)\n"
    "  --clock cycles|instructions   device time (default cycles)\n"
    "  --stats                 print the CMS stats (cms.*, and iss.* when translating) on stderr at the end\n"
    "  --stats-json FILE       write those stats as JSON\n";

void declareCmsOptions(CommandLine& cl) {
  cl.flag("no-translate", "interpreter only");
  cl.option("cms-threshold", "gear-2 threshold");
  cl.option("clock", "cycles or instructions");
  cl.flag("stats", "print CMS stats");
  cl.option("stats-json", "write CMS stats as JSON");
}

cms::RuntimeConfig cmsConfigFrom(const CommandLine& cl) {
  cms::RuntimeConfig c;
  if (cl.has("no-translate")) c.translate = false;
  if (auto n = cl.number("cms-threshold")) {
    if (*n > UINT32_MAX) throw UsageError("--cms-threshold is too large");
    c.threshold = static_cast<uint32_t>(*n);
  }
  if (auto v = cl.value("clock")) {
    if (*v == "cycles") c.clock = cms::ClockMode::Cycles;
    else if (*v == "instructions") c.clock = cms::ClockMode::Instructions;
    else throw UsageError("--clock must be 'cycles' or 'instructions'");
  }
  return c;
}

void emitCmsStats(const CommandLine& cl, const cms::Runtime& rt, std::ostream& err) {
  if (!cl.has("stats") && !cl.value("stats-json")) return;
  support::StatsRegistry stats;
  rt.registerStats(stats);
  if (cl.has("stats")) err << stats.toText();
  if (auto path = cl.value("stats-json")) {
    std::ofstream f(*path);
    f << stats.toJson().dump(2) << "\n";
    if (!f) err << "codemorph: error: cannot write " << *path << "\n";
  }
}

}  // namespace codemorph::sim
