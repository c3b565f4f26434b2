// sc_main for programs that link libsystemc.so (the PC, sim/pc). codemorph has its own
// main(); libsystemc's main() would call this, so it runs the same dispatcher. The PC
// starts the SystemC kernel itself (PcMachine::run calls sc_start).
#include "codemorph/sim/main_dispatch.h"

// SystemC declares it extern "C" (sysc/kernel/sc_externs.h).
extern "C" int sc_main(int argc, char* argv[]) { return codemorph::sim::mainDispatch(argc, argv); }
