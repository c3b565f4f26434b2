// `codemorph [options]`: the PC command (pc_command.h). Parses QEMU-style options, checks
// the inputs, builds the PcMachine, runs it under SystemC and reports.
#include "codemorph/sim/pc_command.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <sys/stat.h>

#include "codemorph/cms/runtime.h"
#include "codemorph/hostisa/iss/iss_config.h"
#include "codemorph/pc/pc_machine.h"
#include "codemorph/platform/output_sink.h"
#include "codemorph/sim/command_line.h"
#include "codemorph/sim/run_report.h"
#include "codemorph/support/config.h"
#include "codemorph/support/stats.h"

#ifndef CODEMORPH_DEFAULT_DISK
#define CODEMORPH_DEFAULT_DISK ""
#endif

namespace codemorph::sim {

namespace {

using pc::MachineResult;
using pc::MachineStop;
using pc::PcMachine;
using pc::PcMachineConfig;

constexpr const char* kDefaultBios = "/usr/share/seabios/bios.bin";

constexpr const char* kUsageText = R"(usage: codemorph [options]
       codemorph COMMAND ...   (iss, sst, interp: codemorph help)
Boots a PC (i440FX/PIIX, SeaBIOS) whose x86 CPU is run by the Code Morphing Software on
the VLIW core model. Without -hda it boots the demo disk built with codemorph.
Options (one or two dashes; VALUE after a space or '='):
  -bios FILE            BIOS image (default /usr/share/seabios/bios.bin): a multiple
                        of 64 KiB with a far JMP at the reset vector; mapped below 4 GiB,
                        its last 128 KiB (or all of a 64 KiB image) below 1 MiB
  -hda IMAGE            raw disk image as the primary IDE master (writes go to the file)
  -m MB                 RAM in MiB, 2..3072, suffix M or G allowed (default 32)
  -serial DEV           COM1: stdio (default), file:PATH, or none
  -debugcon DEV         debug console port 0x402: file:PATH, stdio, or none (default)
  -no-reboot            stop on a triple fault instead of resetting (exit status 1)
  -d LIST               debug log categories, comma separated: ioport, int, cpu_reset,
                        memmap, unimp (-d help lists them)
  -D FILE               write the debug log to FILE (default stderr)
  --stats FILE          write the run's statistics and configuration as JSON
  --max-cycles N        stop (exit status 3) when the clock reaches N: cycles, or
                        retired instructions with --clock instructions
  --core iss|rtl        core model for translated code (default iss; rtl needs a
                        build with CODEMORPH_RTL=ON)
  --cosim               with --core rtl: the ISS and the RTL in lockstep; the first
                        divergence stops the run with a report (exit status 1)
  --trace-fst FILE      with --core rtl: FST waveform of the RTL core (GTKWave)
  --cms-threshold N     executions of an x86 entry point before it is translated
  --no-translate        interpret only (no core model; cycles from the cost model)
  --clock cycles|instructions
                        device time: modelled core cycles (default) or retired x86
                        instructions (like QEMU -icount; for equivalence tests)
  --quantum N           clock units the CPU may run ahead of SystemC time (default
                        100000); a performance knob that never changes results
  --set KEY=VALUE       set a configuration knob (repeatable; --list-knobs lists them)
  --list-knobs          list every configuration knob with default and description
  -q, --quiet           no summary line at the end
  --help                show this help
Exit status: the guest's isa-debug-exit value v (not QEMU's 2v+1); 0 after a Bochs
"Shutdown" or an ACPI S5 power-off; 1 if the guest fails; 2 for bad options or inputs;
3 if --max-cycles is reached.
On exit a summary goes to stderr: cycles, x86 instructions (interpreted/translated), host
seconds and guest MIPS.
)";

struct LogCategory {
  const char* name;
  unsigned flag;
  const char* help;
};
constexpr LogCategory kLogCategories[] = {
    {"ioport", pc::kLogIoport, "every port access with its value and simulated time"},
    {"int", pc::kLogInt, "every interrupt acknowledge (vector, CS:EIP, time)"},
    {"cpu_reset", pc::kLogCpuReset, "resets (0xCF9, 8042, port 0x92) and triple faults"},
    {"memmap", pc::kLogMemmap, "PAM/SMRAM routing and A20 changes"},
    {"unimp", pc::kLogUnimp, "accesses to unmapped ports"},
};

CommandLine makeCommandLine() {
  CommandLine cl;
  cl.option("bios", "BIOS image");
  cl.option("hda", "raw disk image");
  cl.option("m", "RAM in MiB");
  cl.option("serial", "COM1 backend");
  cl.option("debugcon", "debug console backend");
  cl.flag("no-reboot", "stop on triple fault");
  cl.option("d", "debug log categories");
  cl.option("D", "debug log file");
  cl.option("stats", "statistics JSON file");
  cl.option("max-cycles", "clock limit");
  cl.option("core", "core model");
  cl.flag("cosim", "ISS and RTL in lockstep");
  cl.option("trace-fst", "FST waveform of the RTL");
  cl.option("cms-threshold", "translation threshold");
  cl.flag("no-translate", "interpret only");
  cl.option("clock", "clock mode");
  cl.option("quantum", "temporal decoupling quantum");
  cl.option("set", "configuration knob", true);
  cl.flag("list-knobs", "list knobs");
  cl.flag("quiet", "no summary");
  cl.flag("q", "no summary");
  cl.flag("help", "help");
  cl.flag("h", "help");
  return cl;
}

void defineKnobs(support::Config& config) {
  cms::RuntimeConfig::defineKnobs(config);
  hostisa::iss::defineIssKnobs(config);  // the core that runs translations (mem.size_mib is
                                         // replaced by -m plus cms.reserved_mib)
  config.defineInt("pc.ram_mib", 32, "guest RAM in MiB (-m)", 2, 3072);
  config.defineInt("pc.clock_mhz", 1000, "core clock in MHz: simulated time per cycle in cycle time", 1, 1000000);
  config.defineInt("pc.insn_ps", 1000, "simulated picoseconds per retired x86 instruction in instruction time", 1,
                   1000000000);
  config.defineInt("pc.quantum", 100000, "clock units the CPU runs ahead of SystemC time (never changes results)", 1,
                   INT64_MAX);
}

uint64_t parseMegabytes(const std::string& text) {
  std::string digits = text;
  uint64_t scale = 1;
  if (!digits.empty() && (digits.back() == 'M' || digits.back() == 'm')) {
    digits.pop_back();
  } else if (!digits.empty() && (digits.back() == 'G' || digits.back() == 'g')) {
    digits.pop_back();
    scale = 1024;
  }
  const auto n = parseNumber(digits);
  if (!n || *n == 0 || *n > 1u << 20) throw UsageError("-m expects a size in MiB (like 32, 32M or 1G), got '" + text + "'");
  return *n * scale;
}

// A character backend: stdio, file:PATH or none.
std::unique_ptr<platform::FileSink> openBackend(const std::string& what, const std::string& spec) {
  if (spec == "none" || spec == "null") return nullptr;
  if (spec == "stdio") return std::make_unique<platform::FileSink>(stdout);
  if (spec.rfind("file:", 0) == 0 && spec.size() > 5) {
    try {
      return std::make_unique<platform::FileSink>(platform::FileSink::open(spec.substr(5)));
    } catch (const std::exception& e) {
      throw UsageError(what + ": " + e.what());
    }
  }
  throw UsageError(what + " expects stdio, file:PATH or none, got '" + spec + "'");
}

const char* stopName(MachineStop s) {
  switch (s) {
    case MachineStop::GuestExit: return "guest-exit";
    case MachineStop::TimeLimit: return "max-cycles";
    case MachineStop::TripleFault: return "triple-fault";
    case MachineStop::Unimplemented: return "unimplemented";
    case MachineStop::CoreError: return "core-error";
    case MachineStop::Idle: return "halted";
  }
  return "?";
}

bool fileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

std::string pcUsage() { return kUsageText; }

int runPcCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CommandLine cl = makeCommandLine();
  support::Config config;
  defineKnobs(config);
  PcMachineConfig mc;
  std::unique_ptr<platform::FileSink> serial, debugcon;
  std::unique_ptr<std::ofstream> logFile;
  std::optional<platform::DiskImage> disk;
  std::string diskPath;
  std::string statsPath;
  bool quiet = false;
  try {
    cl.parse(args);
    if (cl.has("help") || cl.has("h")) {
      out << kUsageText;
      return 0;
    }
    if (cl.has("list-knobs")) {
      out << config.describe();
      return 0;
    }
    if (!cl.positional().empty()) throw UsageError("unexpected argument '" + cl.positional()[0] + "' (try --help)");
    quiet = cl.has("quiet") || cl.has("q");
    for (const std::string& s : cl.values("set")) config.setOverride(s);
    if (cl.has("no-translate")) config.set("cms.translate", "false");
    if (auto v = cl.value("cms-threshold")) config.set("cms.threshold", *v);
    if (auto v = cl.value("clock")) {
      if (*v != "cycles" && *v != "instructions") throw UsageError("--clock expects cycles or instructions, got '" + *v + "'");
      config.set("cms.clock", *v);
    }
    if (auto v = cl.value("m")) config.set("pc.ram_mib", std::to_string(parseMegabytes(*v)));
    if (auto v = cl.value("quantum")) config.set("pc.quantum", *v);
    const std::string core = cl.value("core").value_or("iss");
    if (core != "iss" && core != "rtl") throw UsageError("--core expects iss or rtl, got '" + core + "'");
    if (core == "rtl") {
#if CODEMORPH_HAVE_RTL
      if (!config.getBool("cms.translate")) throw UsageError("--core rtl runs translations: it cannot go with --no-translate");
      mc.core = cl.has("cosim") ? pc::CoreKind::Cosim : pc::CoreKind::Rtl;
      mc.traceFst = cl.value("trace-fst").value_or("");
#else
      throw UsageError("--core rtl: this build has no RTL core (configure with -DCODEMORPH_RTL=ON)");
#endif
    } else if (cl.has("cosim") || cl.has("trace-fst")) {
      throw UsageError(std::string(cl.has("cosim") ? "--cosim" : "--trace-fst") + " needs --core rtl");
    }
    mc.runtime = cms::RuntimeConfig::fromConfig(config);
    mc.iss = hostisa::iss::IssConfig::fromConfig(config);
    mc.ramBytes = static_cast<uint64_t>(config.getInt("pc.ram_mib")) << 20;
    mc.clockMhz = static_cast<uint64_t>(config.getInt("pc.clock_mhz"));
    mc.insnPicos = static_cast<uint64_t>(config.getInt("pc.insn_ps"));
    mc.quantum = static_cast<uint64_t>(config.getInt("pc.quantum"));
    if (1000000 % mc.clockMhz != 0) throw UsageError("pc.clock_mhz must divide 1000000 (a whole number of picoseconds per cycle)");
    mc.maxTime = cl.number("max-cycles").value_or(0);
    if (cl.has("max-cycles") && mc.maxTime == 0) throw UsageError("--max-cycles must be at least 1");
    mc.noReboot = cl.has("no-reboot");
    if (auto d = cl.value("d")) {
      std::stringstream list(*d);
      for (std::string item; std::getline(list, item, ',');) {
        if (item == "help") {
          for (const LogCategory& c : kLogCategories) out << c.name << "\t" << c.help << "\n";
          return 0;
        }
        bool found = false;
        for (const LogCategory& c : kLogCategories) {
          if (item == c.name) {
            mc.logFlags |= c.flag;
            found = true;
          }
        }
        if (!found) throw UsageError("-d: unknown log category '" + item + "' (-d help lists them)");
      }
    }
    if (auto f = cl.value("D")) {
      logFile = std::make_unique<std::ofstream>(*f);
      if (!*logFile) throw UsageError("-D: cannot write '" + *f + "'");
    }
    if (mc.logFlags) mc.log = logFile ? static_cast<std::ostream*>(logFile.get()) : &err;
    statsPath = cl.value("stats").value_or("");
    serial = openBackend("-serial", cl.value("serial").value_or("stdio"));
    debugcon = openBackend("-debugcon", cl.value("debugcon").value_or("none"));
    mc.serial = serial.get();
    mc.debugcon = debugcon.get();

    mc.bios = platform::PhysicalMemory::loadBios(cl.value("bios").value_or(kDefaultBios));
    if (auto hda = cl.value("hda")) {
      diskPath = *hda;
    } else if (fileExists(CODEMORPH_DEFAULT_DISK)) {
      diskPath = CODEMORPH_DEFAULT_DISK;  // the demo disk of this build (guests/demo-disk)
    }
    if (!diskPath.empty()) {
      disk.emplace(platform::DiskImage::open(diskPath));
      mc.disk = &*disk;
    }
  } catch (const UsageError& e) {
    err << "codemorph: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {  // BiosError, DiskError, ConfigError
    err << "codemorph: error: " << e.what() << "\n";
    return 2;
  }

  // SystemC: no banner on stdout (the serial console may be there).
  ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<PcMachine> machine;
  MachineResult result;
  try {
    machine = std::make_unique<PcMachine>("pc", mc);
    if (!machine->translationUnavailable().empty())
      err << "codemorph: note: " << machine->translationUnavailable() << ": running interpreter-only\n";
    result = machine->run();
  } catch (const std::exception& e) {
    std::fflush(stdout);
    err << "codemorph: error: " << e.what() << "\n";
    return 1;
  }
  std::fflush(stdout);
  const double hostSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  cms::Runtime& rt = machine->runtime();
  const uint64_t insns = rt.instructionsRetired();

  int status = 0;
  switch (result.stop) {
    case MachineStop::GuestExit: status = result.exitStatus; break;
    case MachineStop::TimeLimit: status = 3; break;
    default: status = 1; break;
  }
  if (result.stop != MachineStop::GuestExit) err << "codemorph: error: " << result.message << "\n";

  if (!statsPath.empty()) {
    support::StatsRegistry stats;
    rt.registerStats(stats);
    const uint64_t resets = machine->resets(), syncs = machine->quantumSyncs();
    stats.addCounter("pc.resets", "count", "system resets (0xCF9, 8042, port 0x92, triple fault)", &resets);
    stats.addCounter("pc.quantum_syncs", "count", "times the CPU thread caught SystemC time up", &syncs);
    stats.addFormula("pc.host_seconds", "s", "host wall-clock time of the run", [&] { return hostSeconds; });
    RunReport report;
    report.commandLine.push_back("codemorph");
    report.commandLine.insert(report.commandLine.end(), args.begin(), args.end());
    report.config = &config;
    report.stats = &stats;
    report.result = {{"stop", stopName(result.stop)},
                     {"exit_status", status},
                     {"message", result.message},
                     {"cycles", rt.cycles()},
                     {"instructions", insns},
                     {"instructions_interpreted", rt.instructionsInterpreted()},
                     {"instructions_translated", rt.instructionsTranslated()},
                     {"simulated_ps", machine->toSimTime(rt.now())},
                     {"translation", mc.runtime.translate && machine->translationUnavailable().empty()}};
    try {
      writeReport(report, statsPath);
    } catch (const std::exception& e) {
      err << "codemorph: error: " << e.what() << "\n";
      return 2;
    }
  }
  if (!quiet && mc.core == pc::CoreKind::Cosim && result.stop != MachineStop::CoreError)
    err << "cosim: " << machine->cosimMolecules() << " molecules in lockstep, no divergence\n";
  if (!quiet) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "codemorph: %s: %llu cycles, %llu x86 instructions (%llu interpreted, %llu translated), "
                  "%.2f host s, %.2f guest MIPS\n",
                  stopName(result.stop), static_cast<unsigned long long>(rt.cycles()),
                  static_cast<unsigned long long>(insns), static_cast<unsigned long long>(rt.instructionsInterpreted()),
                  static_cast<unsigned long long>(rt.instructionsTranslated()), hostSeconds,
                  hostSeconds > 0 ? static_cast<double>(insns) / hostSeconds / 1e6 : 0.0);
    err << line;
  }
  return status;
}

}  // namespace codemorph::sim
