// DPI-C imports through which the core reaches the C++ side (docs/rtl.md "Memory ports"):
// physical memory (one image shared with the ISS in cosim), the page attributes the
// checking logic needs (I/O-space bit, T-bit granules), the I/O bus, and the shared
// MemoryTiming (cache/TLB) model. Functions with side effects (writes, bus accesses,
// timing callbacks) are only called from always_ff blocks, exactly once per event;
// the pure reads may be called from combinational logic.
package cm_dpi_pkg;
  // Little-endian read of `bytes` (1..4) bytes at paddr; bytes outside memory read 0.
  // `seq` is the fetch sequence number: it only makes the caller's combinational block
  // depend on every new molecule (memory may change between molecules).
  import "DPI-C" function int unsigned cm_dpi_mem_read(input int unsigned paddr, input int unsigned bytes,
                                                        input int unsigned seq);
  import "DPI-C" function void cm_dpi_mem_write(input int unsigned paddr, input int unsigned bytes,
                                                input int unsigned value);
  // Page attributes: I/O-space bit of page (paddr >> 12); T-bits of a memory page, one
  // bit per granule (0 outside memory).
  import "DPI-C" function bit cm_dpi_page_io(input int unsigned page, input int unsigned seq);
  import "DPI-C" function longint unsigned cm_dpi_page_tbits(input int unsigned page, input int unsigned seq);
  // I/O bus (IoBus): never called for a faulting molecule.
  import "DPI-C" function int unsigned cm_dpi_io_read(input int unsigned paddr, input int unsigned bytes);
  import "DPI-C" function void cm_dpi_io_write(input int unsigned paddr, input int unsigned bytes,
                                               input int unsigned value);
  // MemoryTiming: extra cycles of a fetch / load / store (0 without a model).
  import "DPI-C" function int unsigned cm_dpi_timing_fetch(input int unsigned paddr, input int unsigned bytes);
  import "DPI-C" function int unsigned cm_dpi_timing_load(input int unsigned paddr, input int unsigned bytes);
  import "DPI-C" function int unsigned cm_dpi_timing_store(input int unsigned paddr, input int unsigned bytes);
endpackage : cm_dpi_pkg
