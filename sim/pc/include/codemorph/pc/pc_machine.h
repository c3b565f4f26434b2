// The PC: the i440FX/PIIX platform (sim/platform) around an x86 CPU run by the CMS
// (cms::Runtime) on the VLIW core model, bound together with SystemC/TLM-2.0
// (ARCHITECTURE.md sections 4-5, docs/platform.md "The machine").
//
// PcMachine is one SystemC module: the CPU side as a TLM initiator with two sockets, one
// to the physical memory target (MemoryBusTarget: RAM through DMI, the BIOS ROM, the
// PAM/SMRAM window) and one to the I/O-port target (IoBusTarget), plus an SC_THREAD that
// runs the Runtime. It implements cms::GuestPlatform for the Runtime:
//  - ram() and the page map below 1 MiB come from DMI grants (re-queried when the memory
//    target revokes DMI after a PAM/SMRAM change);
//  - readPhysical/writePhysical and portIn/portOut are TLM transactions; a port access
//    carries the CPU's local time offset as the TLM delay, and the platform is synced to
//    that exact time before the device sees it (IoBusTarget);
//  - syncTo/nextEventTime convert between the run's clock units (cycles at the core
//    clock, or retired instructions at a fixed time each) and simulated picoseconds.
// The quantum bounds how far the CPU thread runs ahead of SystemC time: at the first
// Runtime synchronization (syncTo) a quantum or more ahead, the thread waits for SystemC
// to catch up. The Runtime's run is never split at quantum boundaries and device events
// are applied at their exact time by its syncs, so results do not depend on the quantum.
//
// Memory-map changes: a PAM/SMRAM change reported by the i440FX revokes DMI on the
// range, refreshes the page map, and calls Runtime::invalidatePhysical and setPhysicalIo;
// an A20 change sets CpuState::a20 and invalidates the first 2 MiB. Resets: a reset
// request (0xCF9, 8042, port 0x92) is handed to the Runtime (CPU reset + translation
// cache flush) after a hard reset of the chipset's map; a triple fault does the same
// unless noReboot, which stops the run.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <vector>

#include "codemorph/cms/runtime.h"
#include "codemorph/hostisa/iss/iss_config.h"
#include "codemorph/platform/pc_platform.h"
#include "codemorph/platform/physical_memory.h"
#include "codemorph/platform/tlm_io_bus.h"
#include "codemorph/platform/tlm_memory_bus.h"

namespace codemorph::hostisa::iss {
class CoreApi;
}

namespace codemorph::pc {

// Debug log categories (-d LIST).
enum LogFlag : unsigned {
  kLogIoport = 1u << 0,     // every port access
  kLogInt = 1u << 1,        // interrupt acknowledge cycles (vector, time)
  kLogCpuReset = 1u << 2,   // resets and triple faults
  kLogMemmap = 1u << 3,     // PAM/SMRAM/A20 changes
  kLogUnimp = 1u << 4,      // unimplemented instructions, unmapped ports
};

// The core model that runs the CMS's firmware and translations (with translation).
// Rtl and Cosim need a build with CODEMORPH_RTL (else the constructor throws
// std::invalid_argument); docs/rtl.md "The PC on the RTL".
enum class CoreKind : uint8_t {
  Iss,    // the reference ISS
  Rtl,    // the verilated RTL (RtlCore), clocked from the CPU thread in delta cycles
  Cosim,  // ISS and RTL in lockstep; the first divergence stops the run (CoreError)
};

struct PcMachineConfig {
  std::vector<uint8_t> bios;                // a checked image (PhysicalMemory::checkBios)
  platform::DiskImage* disk = nullptr;      // -hda (not owned)
  uint64_t ramBytes = 32u << 20;
  platform::OutputSink* serial = nullptr;   // COM1
  platform::OutputSink* debugcon = nullptr; // port 0x402
  cms::RuntimeConfig runtime;
  hostisa::iss::IssConfig iss;              // the core (with translation); memBytes is
                                            // set from ramBytes + the CMS-reserved region
  uint64_t clockMhz = 1000;                 // core clock in cycle time
  uint64_t insnPicos = 1000;                // simulated time per instruction in instruction time
  uint64_t quantum = 100000;                // clock units the CPU may run ahead of SystemC time
  uint64_t maxTime = 0;                     // stop when the clock reaches this (0: never)
  bool noReboot = false;
  CoreKind core = CoreKind::Iss;
  std::string traceFst;                     // Rtl/Cosim: FST waveform of the RTL (empty: none)
  unsigned logFlags = 0;
  std::ostream* log = nullptr;              // -D (null: no debug log)
};

enum class MachineStop : uint8_t { GuestExit, TimeLimit, TripleFault, Unimplemented, CoreError, Idle };

struct MachineResult {
  MachineStop stop = MachineStop::GuestExit;
  int exitStatus = 0;   // the guest's isa-debug-exit value (GuestExit)
  std::string message;  // one line for the other stops
};

class PcMachine : public sc_core::sc_module, public cms::GuestPlatform {
 public:
  PcMachine(sc_core::sc_module_name name, PcMachineConfig config);
  ~PcMachine() override;

  // Runs the simulation (sc_start) until the guest stops or a limit is reached.
  MachineResult run();

  cms::Runtime& runtime() { return *runtime_; }
  // The core model that runs translations (null with --no-translate).
  hostisa::iss::CoreApi* core() { return core_.get(); }
  platform::PcPlatform& platform() { return platform_; }
  uint64_t resets() const { return resets_; }
  uint64_t quantumSyncs() const { return quantumSyncs_; }
  // Translation was asked for but the Runtime could not provide it: the reason (the run
  // then interprets only); empty otherwise.
  const std::string& translationUnavailable() const { return translationUnavailable_; }
  const PcMachineConfig& config() const { return config_; }
  platform::SimTime toSimTime(uint64_t clockUnits) const;
  // Cosim: molecules checked in lockstep so far; the first divergence's report (empty if
  // none or not in cosim).
  uint64_t cosimMolecules() const;
  std::string cosimDivergence() const;

  // cms::GuestPlatform
  uint32_t readPhysical(uint64_t address, unsigned size) override;
  void writePhysical(uint64_t address, unsigned size, uint32_t value) override;
  uint32_t portIn(uint16_t port, unsigned size) override;
  void portOut(uint16_t port, unsigned size, uint32_t value) override;
  void syncTo(uint64_t t) override;
  uint64_t nextEventTime() const override;
  bool intrPending() override;
  uint8_t intrAcknowledge() override;
  bool stopRequested() const override;
  bool resetRequested() override;
  bool a20() const override;

 private:
  void cpuThread();
  void runLoop();
  void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);
  void refreshDirectMap(uint64_t start, uint64_t end);  // DMI queries over [start, end)
  void onLegacyMapChanged(uint32_t base, uint32_t size);
  void onA20Changed(bool on);
  void applyA20();
  void hardResetMachine(const char* why);
  sc_core::sc_time localOffset() const;
  uint32_t transport(tlm_utils::simple_initiator_socket<PcMachine>& socket, bool write, uint64_t address,
                     unsigned size, uint32_t value);

  static std::unique_ptr<hostisa::iss::CoreApi> makeCore(const PcMachineConfig& config);
  void openTrace();
  std::span<uint8_t> guestRam();

  PcMachineConfig config_;
  platform::PcPlatform platform_;
  // The core model (with translation): its memory holds guest RAM at 0 (the bytes the
  // memory target serves, so translated code and the interpreter share them) and the
  // CMS-reserved region above. Without translation the RAM is ramStorage_.
  std::unique_ptr<hostisa::iss::CoreApi> core_;
  std::vector<uint8_t> ramStorage_;
  platform::PhysicalMemory memory_;
  platform::MemoryBusTarget memTarget_;
  platform::IoBusTarget ioTarget_;
  std::unique_ptr<cms::Runtime> runtime_;
  uint8_t lowPages_[kLowPages] = {};
  platform::SimTime simNow_ = 0;
  uint64_t resets_ = 0;
  uint64_t quantumSyncs_ = 0;
  bool inThread_ = false;  // the CPU thread is running (wait() allowed in syncTo)
  sc_core::sc_process_handle cpuProcess_;  // syncTo waits only there (an RTL core calls the
                                           // I/O bus from its model's evaluation method)
  MachineResult result_;
  std::string translationUnavailable_;

 public:
  tlm_utils::simple_initiator_socket<PcMachine> memSocket;
  tlm_utils::simple_initiator_socket<PcMachine> ioSocket;
};

}  // namespace codemorph::pc
