// The platform under a SystemC kernel: four copies of (platform, event driver, TLM I/O bus,
// core stub) run side by side, each core with a different temporal-decoupling quantum
// (every instruction, 1 us, 1 ms, unbounded). Each core synchronizes before every I/O
// access and ends its quantum at the platform's next event, so all four must observe
// IRQ0 at the same instruction and read the same PIT counts. Also checks the memory
// target's DMI. One elaboration per process (SystemC cannot restart), shared by the tests.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "codemorph/platform/event_driver.h"
#include "codemorph/platform/tlm_io_bus.h"
#include "codemorph/platform/tlm_memory_bus.h"

namespace codemorph::platform {
namespace {

constexpr int kInstructions = 60000;  // at 100 ns each: 6 ms of simulated time
const sc_core::sc_time kInstructionTime(100, sc_core::SC_NS);

class CoreStub : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(CoreStub);
  CoreStub(sc_core::sc_module_name name, PcPlatform& pc, SimTime quantum)
      : sc_module(name), io("io"), pc_(pc), quantum_(quantum) {
    SC_THREAD(run);
  }
  tlm_utils::simple_initiator_socket<CoreStub> io;
  std::string log;
  int syncs = 0;
  bool done = false;

 private:
  void sync() {
    ++syncs;
    wait(local_);
    local_ = sc_core::SC_ZERO_TIME;
    pc_.syncTo(toSimTime(sc_core::sc_time_stamp()));
  }
  uint32_t access(bool write, uint16_t port, uint8_t value) {
    sync();  // the rule: a core is in sync with the platform at every I/O access
    tlm::tlm_generic_payload trans;
    unsigned char data = value;
    trans.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    trans.set_address(port);
    trans.set_data_ptr(&data);
    trans.set_data_length(1);
    trans.set_streaming_width(1);
    sc_core::sc_time delay = local_;
    io->b_transport(trans, delay);
    if (!trans.is_response_ok()) throw std::runtime_error("I/O error");
    return data;
  }
  void outb(uint16_t port, uint8_t v) { access(true, port, v); }
  uint8_t inb(uint16_t port) { return static_cast<uint8_t>(access(false, port, 0)); }

  void run() {
    for (auto [p, v] : {std::pair{0x20, 0x11}, {0x21, 0x08}, {0x21, 0x04}, {0x21, 0x01}, {0x21, 0xFE}}) {
      outb(static_cast<uint16_t>(p), static_cast<uint8_t>(v));
    }
    outb(0x43, 0x34);
    outb(0x40, 0x9B);
    outb(0x40, 0x02);  // 667 ticks: about 559 us, not a multiple of the instruction time
    for (int i = 0; i < kInstructions; ++i) {
      // End of quantum: the local budget is spent, or the next device event is due.
      const SimTime at = toSimTime(sc_core::sc_time_stamp() + local_);
      if (toSimTime(local_) >= quantum_ || at >= pc_.nextEventTime()) sync();
      if (pc_.pic.intr()) {  // sampled at the instruction boundary (IF = 1)
        const uint8_t v = pc_.pic.interruptAcknowledge();
        log.append("irq").append(std::to_string(v)).append("@").append(std::to_string(i)).append(" ");
        outb(0x20, 0x20);
      }
      if (i % 997 == 0) {
        outb(0x43, 0x00);
        const unsigned lo = inb(0x40);
        const unsigned c = lo | inb(0x40) << 8;
        log.append("cnt").append(std::to_string(c)).append("@").append(std::to_string(i)).append(" ");
      }
      local_ += kInstructionTime;
    }
    done = true;
  }

  PcPlatform& pc_;
  SimTime quantum_;
  sc_core::sc_time local_ = sc_core::SC_ZERO_TIME;
};

class MemoryProbe : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(MemoryProbe);
  MemoryProbe(sc_core::sc_module_name name, I440fx& chipset) : sc_module(name), mem("mem"), chipset_(chipset) {
    mem.register_invalidate_direct_mem_ptr(this, &MemoryProbe::invalidate);
    SC_THREAD(run);
  }
  tlm_utils::simple_initiator_socket<MemoryProbe> mem;
  std::string log;

 private:
  uint32_t rw(bool write, uint64_t address, uint32_t value) {
    tlm::tlm_generic_payload trans;
    unsigned char data[4];
    for (int i = 0; i < 4; ++i) data[i] = static_cast<unsigned char>(value >> (8 * i));
    trans.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    trans.set_address(address);
    trans.set_data_ptr(data);
    trans.set_data_length(4);
    trans.set_streaming_width(4);
    sc_core::sc_time delay;
    mem->b_transport(trans, delay);
    return data[0] | data[1] << 8 | data[2] << 16 | static_cast<uint32_t>(data[3]) << 24;
  }
  void run() {
    rw(true, 0x1000, 0xDEADBEEF);
    tlm::tlm_generic_payload trans;
    tlm::tlm_dmi dmi;
    trans.set_address(0x1000);
    const bool ok = mem->get_direct_mem_ptr(trans, dmi);
    log += ok && dmi.is_write_allowed() && dmi.get_start_address() == 0 && dmi.get_end_address() == 0x9FFFF ? "dmi-ram "
                                                                                                          : "no-dmi ";
    if (ok) log.append(std::to_string(dmi.get_dmi_ptr()[0x1000])).append(" ");
    trans.set_address(0xFFFFFFF0);
    const bool rom = mem->get_direct_mem_ptr(trans, dmi);
    log += rom && dmi.is_read_allowed() && !dmi.is_write_allowed() ? "dmi-rom " : "bad-rom ";
    rw(true, 0xFFFF0, 0x12345678);  // ROM alias: writes ignored
    log.append(std::to_string(rw(false, 0xFFFF0, 0))).append(" ");
    log.append(std::to_string(rw(false, 0xA0000, 0))).append(" ");  // legacy hole: open bus
    trans.set_address(0xB8000);
    log += mem->get_direct_mem_ptr(trans, dmi) ? "hole-dmi" : "hole-no-dmi";
    // Shadowing the F segment (PAM0 = 0x30): DMI there is revoked, then granted read/write
    // into RAM; read-only RAM (PAM0 = 0x10) gives read-only DMI.
    chipset_.configWrite(I440fx::kPam0, 1, 0x30);
    trans.set_address(0xF0000);
    const bool shadow = mem->get_direct_mem_ptr(trans, dmi);
    log += " inval:" + revoked_;
    log += shadow && dmi.is_write_allowed() && dmi.get_start_address() == 0xF0000 ? " shadow-rw" : " shadow-bad";
    chipset_.configWrite(I440fx::kPam0, 1, 0x10);
    const bool ro = mem->get_direct_mem_ptr(trans, dmi);
    log += ro && dmi.is_read_allowed() && !dmi.is_write_allowed() ? " shadow-ro" : " shadow-ro-bad";
  }
  void invalidate(sc_dt::uint64 start, sc_dt::uint64 end) {
    revoked_ += std::to_string(start) + "-" + std::to_string(end) + ";";
  }
  I440fx& chipset_;
  std::string revoked_;
};

struct Results {
  std::vector<std::string> logs;
  std::vector<int> syncs;
  std::vector<bool> done;
  std::string memory;
};

const Results& simulate() {
  static std::unique_ptr<Results> results;
  if (results) return *results;
  results = std::make_unique<Results>();
  const SimTime quanta[] = {0, kPicosPerMicro, 1000 * kPicosPerMicro, kNever};
  std::vector<std::unique_ptr<PcPlatform>> pcs;
  std::vector<std::unique_ptr<sc_core::sc_module>> modules;
  std::vector<CoreStub*> cores;
  for (size_t i = 0; i < std::size(quanta); ++i) {
    pcs.push_back(std::make_unique<PcPlatform>(PcPlatformConfig{}));
    const std::string n = std::to_string(i);
    auto driver = std::make_unique<EventDriver>(("driver" + n).c_str(), *pcs.back());
    auto bus = std::make_unique<IoBusTarget>(("io" + n).c_str(), *pcs.back());
    auto core = std::make_unique<CoreStub>(("core" + n).c_str(), *pcs.back(), quanta[i]);
    core->io.bind(bus->socket);
    cores.push_back(core.get());
    modules.push_back(std::move(driver));
    modules.push_back(std::move(bus));
    modules.push_back(std::move(core));
  }
  std::vector<uint8_t> rom(0x40000, 0xEA);
  rom[0x3FFF0] = 0x12;
  static std::vector<uint8_t> ram(32u << 20);
  static I440fx chipset;
  static PhysicalMemory physical(ram, std::move(rom), chipset);
  MemoryBusTarget memory("memory", physical);
  chipset.setMapChangedHook([&](uint32_t base, uint32_t size) {
    physical.refreshLegacyMap();
    memory.invalidate(base, size);
  });
  MemoryProbe probe("probe", chipset);
  probe.mem.bind(memory.socket);
  sc_core::sc_start(sc_core::sc_time(10, sc_core::SC_MS));
  for (CoreStub* c : cores) {
    results->logs.push_back(c->log);
    results->syncs.push_back(c->syncs);
    results->done.push_back(c->done);
  }
  results->memory = probe.log;
  // Modules stay alive: the kernel keeps pointers to them until the process ends.
  for (auto& m : modules) m.release();
  for (auto& p : pcs) p.release();
  return *results;
}

TEST(PlatformSystemC, QuantumDoesNotChangeWhenIrq0IsObserved) {
  const Results& r = simulate();
  ASSERT_EQ(r.logs.size(), 4u);
  for (bool d : r.done) EXPECT_TRUE(d);
  size_t irqs = 0;
  for (size_t at = r.logs[0].find("irq8@"); at != std::string::npos; at = r.logs[0].find("irq8@", at + 1)) ++irqs;
  EXPECT_EQ(irqs, 10u);  // 6 ms of instructions, IRQ0 every 667 ticks (559 us)
  for (size_t i = 1; i < r.logs.size(); ++i) EXPECT_EQ(r.logs[i], r.logs[0]) << "quantum #" << i;
  // Larger quanta really did synchronize less often.
  EXPECT_GT(r.syncs[0], r.syncs[3]);
}

TEST(PlatformSystemC, MemoryBusDmiForRamAndRom) {
  const Results& r = simulate();
  // 239 = 0xEF (the low byte of 0xDEADBEEF); 0xEAEAEA12 read through the ROM alias.
  EXPECT_EQ(r.memory, "dmi-ram 239 dmi-rom " + std::to_string(0xEAEAEA12u) + " 4294967295 hole-no-dmi inval:" +
                         std::to_string(0xF0000) + "-" + std::to_string(0xFFFFF) + "; shadow-rw shadow-ro");
}

}  // namespace
}  // namespace codemorph::platform

// libsystemc.so refers to sc_main (its own main() calls it); this program's main is
// GoogleTest's, so sc_main is never called.
int sc_main(int, char**) { return 1; }
