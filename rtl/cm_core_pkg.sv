// Core-local types and helpers of the codemorph VLIW core (everything that is not an ISA
// encoding: those come from the generated codemorph_isa_pkg only). See docs/rtl.md.
package cm_core_pkg;
  import codemorph_isa_pkg::*;

  // Molecules of up to 8 atoms (hostisa.max_atoms = 8, Efficeon-like; with max_atoms = 4,
  // the Crusoe configuration, an 8-atom size code is ILLEGAL and slots 4..7 stay nop).
  localparam int unsigned NumSlots = 8;
  // Units by slot (codemorph_isa_pkg::slot_accepts): ALUs at slots 0, 1, 4, 5 (ALU0 with
  // the multiplier/divider at 0), LSU lanes at the first LSU slot (0 or 2) and slot 6.
  localparam int unsigned NumAlu = 4;
  localparam int unsigned Lsu1Slot = 6;
  // Scoreboard entries: r0..r63 and xflags (FLAGS_REG_INDEX).
  localparam int unsigned NumSb = NUM_REGS + 1;

  // xflags bits at their EFLAGS positions (docs/iss.md section 1; Intel SDM Vol. 1 3.4.3).
  localparam logic [31:0] FlagCF = 32'h1 << 0;
  localparam logic [31:0] FlagPF = 32'h1 << 2;
  localparam logic [31:0] FlagAF = 32'h1 << 4;
  localparam logic [31:0] FlagZF = 32'h1 << 6;
  localparam logic [31:0] FlagSF = 32'h1 << 7;
  localparam logic [31:0] FlagDF = 32'h1 << 10;
  localparam logic [31:0] FlagOF = 32'h1 << 11;
  localparam logic [31:0] FlagsArith = FlagCF | FlagPF | FlagAF | FlagZF | FlagSF | FlagOF;
  localparam logic [31:0] FlagsMask = FlagsArith | FlagDF;

  // Why the core stopped; values equal hostisa::iss::StopReason.
  typedef enum logic [2:0] {
    STOP_RUNNING = 3'd0,
    STOP_HALTED = 3'd1,
    STOP_DOUBLE_TRAP = 3'd2,
    STOP_UNHANDLED_TRAP = 3'd3,
    STOP_UNHANDLED_SERVICE = 3'd4
  } stop_e;

  // System effect of the molecule's BRU atom (at most one per molecule).
  typedef enum logic [3:0] {
    SYS_NONE, SYS_MTSR, SYS_SVC, SYS_TRAP, SYS_HALT, SYS_ROLLBACK, SYS_ERET, SYS_TLBWR, SYS_TLBFL
  } sys_e;

  // Configuration registers, written through the core's cfg port (cfg_addr_e).
  typedef struct packed {
    logic        timing_en;
    logic [6:0][31:0] latency;    // per timing class (timing_class_e order)
    logic [31:0] branch_pen;
    logic [31:0] trap_pen;
    logic [31:0] commit_cycles;
    logic [31:0] rollback_cycles;
    logic [8:0]  sb_entries;      // 1..SbDepth
    logic [3:0]  alias_regs;      // 1..8
    logic [10:0] tlb_entries;     // 1..TlbDepth
    logic [3:0]  tbit_shift;      // log2(iss.tbit_granule)
    logic [32:0] mem_bytes;
    logic        x86_flags;
    logic        partial_regs;
    logic        seg_agen;
    logic        host_tlb;
    logic        alias_hw;
    logic        max8;            // hostisa.max_atoms = 8
    logic [31:0] reset_pc;
  } cfg_t;

  typedef enum logic [4:0] {
    CFG_LAT0 = 5'd0,  // .. CFG_LAT0 + 6: latencies
    CFG_BRANCH_PEN = 5'd7,
    CFG_TRAP_PEN = 5'd8,
    CFG_COMMIT_CYCLES = 5'd9,
    CFG_ROLLBACK_CYCLES = 5'd10,
    CFG_SB_ENTRIES = 5'd11,
    CFG_ALIAS_REGS = 5'd12,
    CFG_TLB_ENTRIES = 5'd13,
    CFG_TBIT_SHIFT = 5'd14,
    CFG_MEM_BYTES = 5'd15,
    CFG_FEATURES = 5'd16,  // bit 0 timing, 1 x86_flags, 2 partial_regs, 3 seg_agen, 4 host_tlb, 5 alias_hw, 6 max_atoms = 8
    CFG_RESET_PC = 5'd17
  } cfg_addr_e;

  // Debug (host backdoor) write port: what dbg_idx/dbg_wdata address. The host (the C++
  // wrapper, as a debug module would) writes state between molecules through it, one
  // clock per write; reads use the public (read-only) signals. Besides the CoreApi writes
  // it loads every piece of state a checkpoint holds (DBG_SB_ENTRY .. DBG_STOP_B) and
  // starts a fetch (DBG_FETCH). Any write but DBG_FETCH drops a prefetched molecule.
  typedef enum logic [4:0] {
    DBG_REG = 5'd0,           // r[idx] = wdata
    DBG_SHADOW = 5'd1,        // shadow r[idx]
    DBG_FLAGS = 5'd2,         // xflags
    DBG_FLAGS_SHADOW = 5'd3,  // shadow xflags
    DBG_SREG = 5'd4,          // special register idx (host rules: tinfo writable)
    DBG_SREG_SHADOW = 5'd5,
    DBG_PC = 5'd6,
    DBG_RESUME = 5'd7,        // clear the stop state
    DBG_TLB_INSERT = 5'd8,    // as tlbwr: linear = wdata[63:32], entry = wdata[31:0]
    DBG_TLB_FLUSH = 5'd9,     // as tlbfl
    DBG_FETCH = 5'd10,        // fetch the molecule at pc now (the next clock executes it)
    DBG_SB_ENTRY = 5'd11,     // store-buffer entry idx[4:0]: size idx[7:5], addr wdata[31:0], value wdata[63:32]
    DBG_SB_COUNT = 5'd12,     // store-buffer occupancy = wdata
    DBG_ALIAS_LO = 5'd13,     // alias register idx[2:0]: len idx[5:3], valid idx[6], lo wdata[31:0]
    DBG_ALIAS_LO2 = 5'd14,    // alias register idx[2:0]: len2 idx[5:3], lo2 wdata[31:0]
    DBG_TLB_ENTRY = 5'd15,    // TLB entry idx[5:0] as stored: vpn wdata[51:32], value wdata[31:0]
    DBG_TLB_NEXT = 5'd16,     // TLB round-robin fill pointer = wdata
    DBG_READY = 5'd17,        // scoreboard ready cycle of register idx (64 = xflags) = wdata
    DBG_CLASS = 5'd18,        // timing class of the last writer of register idx = wdata
    DBG_NOW = 5'd19,          // cycle counter = wdata
    DBG_STOP_A = 5'd20,       // stop state: cause idx, pc wdata[31:0], tval wdata[63:32]
    DBG_STOP_B = 5'd21        // stop state: reason wdata[2:0], service wdata[31:16]
  } dbg_sel_e;

  // Result of one slot's unit.
  typedef struct packed {
    logic        we;      // writes rd
    logic [5:0]  rd;
    logic [31:0] wdata;
    logic        fwe;     // writes xflags
    logic [31:0] fdata;
    logic        fault;
    trap_cause_e cause;
    logic [31:0] tval;
    logic [3:0]  tinfo;
  } slot_res_t;

  // A load's register write, made by cm_regfile at the retire edge: the memory bytes are
  // read there (the memory's read port is sampled at the edge, so host writes to data
  // memory between molecules are always seen), merged with the store-buffer bytes the
  // LSU forwarded, or replaced by the value of an I/O-bus read.
  typedef struct packed {
    logic        valid;
    logic [5:0]  rd;
    logic [31:0] pa0;        // first piece: len0 bytes (host loads: the whole access)
    logic [2:0]  len0;
    logic [31:0] pa1;        // second piece of a page-crossing guest load (len1 = 0: none)
    logic [2:0]  len1;
    logic [2:0]  size;
    logic        sign;
    logic        io;         // value = io_data
    logic [31:0] io_data;
    logic [3:0]  fwd_hit;    // per byte of the access: forwarded from the store buffer
    logic [3:0][7:0] fwd_data;
  } ld_req_t;

  function automatic logic [31:0] width_mask(logic [2:0] bytes);
    unique case (bytes)
      3'd1: return 32'h0000_00FF;
      3'd2: return 32'h0000_FFFF;
      default: return 32'hFFFF_FFFF;
    endcase
  endfunction

  function automatic logic [31:0] sext_bytes(logic [31:0] v, logic [2:0] bytes);
    unique case (bytes)
      3'd1: return {{24{v[7]}}, v[7:0]};
      3'd2: return {{16{v[15]}}, v[15:0]};
      default: return v;
    endcase
  endfunction

  // x86 condition (Intel SDM Vol. 1 Appendix B, tttn order) evaluated on xflags.
  function automatic logic cond_holds(logic [3:0] cond, logic [31:0] f);
    logic cf, zf, sf, of, pf, r;
    cf = |(f & FlagCF);
    zf = |(f & FlagZF);
    sf = |(f & FlagSF);
    of = |(f & FlagOF);
    pf = |(f & FlagPF);
    unique case (cond[3:1])
      3'd0: r = of;
      3'd1: r = cf;
      3'd2: r = zf;
      3'd3: r = cf | zf;
      3'd4: r = sf;
      3'd5: r = pf;
      3'd6: r = sf ^ of;
      default: r = zf | (sf ^ of);
    endcase
    return cond[0] ? ~r : r;
  endfunction

endpackage : cm_core_pkg
