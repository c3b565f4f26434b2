// Trap logic (docs/iss.md section 6): picks the molecule's fault (FETCH, ILLEGAL, else the
// lowest faulting slot), decides between trap entry, DoubleTrap (tstatus bit 0 set) and
// UnhandledTrap (tvec == 0), and holds the stop state (halt, unhandled service, traps).
module cm_trap
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        fetch_fault_i,
  input  logic        illegal_i,
  input  logic [31:0] word0_i,
  input  slot_res_t [NumSlots-1:0] slot_i,
  input  logic        sw_trap_i,      // trap atom of a completing molecule
  input  logic [31:0] sw_tval_i,
  input  logic [31:0] pc_i,
  input  logic [31:0] next_i,
  input  logic        tstatus0_i,
  input  logic [31:0] tvec_i,
  // what happens
  output logic        fault_o,        // the molecule faults (no effects)
  output logic        trap_o,         // a trap (fault or trap atom) is raised
  output logic        deliver_o,      // ... and entered: pc = tvec
  output logic [7:0]  cause_o,
  output logic [31:0] tval_o,
  output logic [3:0]  tinfo_o,
  output logic [31:0] tpc_o,
  // stop state
  input  logic        retire_i,       // apply at this edge
  input  logic        halt_i,
  input  logic        svc_unhandled_i,
  input  logic [15:0] svc_num_i,
  input  logic        resume_i,       // host: clear the stop state
  // host (checkpoint) writes of the stop state between molecules
  input  logic        dbg_a_we_i,     // cause = dbg_idx_i, pc = wdata[31:0], tval = wdata[63:32]
  input  logic        dbg_b_we_i,     // reason = wdata[2:0], service = wdata[31:16]
  input  logic [7:0]  dbg_idx_i,
  input  logic [63:0] dbg_wdata_i,
  output logic        stopped_o
);
  logic [2:0]  reason_q /*verilator public_flat_rd*/;
  logic [7:0]  stop_cause_q /*verilator public_flat_rd*/;
  logic [31:0] stop_pc_q /*verilator public_flat_rd*/;
  logic [31:0] stop_tval_q /*verilator public_flat_rd*/;
  logic [15:0] stop_service_q /*verilator public_flat_rd*/;

  always_comb begin
    fault_o = 1'b0;
    cause_o = 8'(TRAP_NONE);
    tval_o = '0;
    tinfo_o = '0;
    if (fetch_fault_i) begin
      fault_o = 1'b1;
      cause_o = 8'(TRAP_FETCH);
      tval_o = pc_i;
    end else if (illegal_i) begin
      fault_o = 1'b1;
      cause_o = 8'(TRAP_ILLEGAL);
      tval_o = word0_i;
    end else begin
      for (int s = NumSlots - 1; s >= 0; s--) begin
        if (slot_i[s].fault) begin
          fault_o = 1'b1;
          cause_o = 8'(slot_i[s].cause);
          tval_o = slot_i[s].tval;
          tinfo_o = slot_i[s].tinfo;
        end
      end
    end
    trap_o = fault_o;
    tpc_o = pc_i;
    if (!fault_o && sw_trap_i) begin
      trap_o = 1'b1;
      cause_o = 8'(TRAP_SOFTWARE);
      tval_o = sw_tval_i;
      tinfo_o = '0;
      tpc_o = next_i;
    end
    deliver_o = trap_o && !tstatus0_i && tvec_i != 32'd0;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      reason_q <= STOP_RUNNING;
      stop_cause_q <= '0;
      stop_pc_q <= '0;
      stop_tval_q <= '0;
      stop_service_q <= '0;
    end else if (retire_i) begin
      if (trap_o && !deliver_o) begin
        reason_q <= tstatus0_i ? STOP_DOUBLE_TRAP : STOP_UNHANDLED_TRAP;
        stop_cause_q <= cause_o;
        stop_pc_q <= pc_i;
        stop_tval_q <= tval_o;
        stop_service_q <= '0;
      end else if (!fault_o && halt_i) begin
        reason_q <= STOP_HALTED;
        stop_cause_q <= '0;
        stop_pc_q <= pc_i;
        stop_tval_q <= '0;
        stop_service_q <= '0;
      end
    end else if (resume_i) begin
      reason_q <= STOP_RUNNING;
    end else if (dbg_a_we_i) begin
      stop_cause_q <= dbg_idx_i;
      stop_pc_q <= dbg_wdata_i[31:0];
      stop_tval_q <= dbg_wdata_i[63:32];
    end else if (dbg_b_we_i) begin
      reason_q <= dbg_wdata_i[2:0];
      stop_service_q <= dbg_wdata_i[31:16];
    end else if (svc_unhandled_i) begin
      reason_q <= STOP_UNHANDLED_SERVICE;
      stop_cause_q <= '0;
      stop_pc_q <= pc_i;
      stop_tval_q <= '0;
      stop_service_q <= svc_num_i;
    end
  end
  assign stopped_o = reason_q != STOP_RUNNING;
endmodule
