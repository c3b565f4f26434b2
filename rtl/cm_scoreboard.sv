// Scoreboard and cycle counter (docs/iss.md section 8). now_q is the earliest cycle the
// next molecule may issue; ready_q[r] the cycle register r (64 = xflags) is ready. The
// issue cycle is t = max(now + fetch extra, ready of every source). At retire every
// written register becomes ready at t + latency(class of its writer) (+ the MemoryTiming
// load cycles for a load's rd), set by the youngest writer, and now becomes
// t + 1 + penalties + MemoryTiming store cycles. The MemoryTiming load/store callbacks are
// made here, once per executed access, at the retire edge.
module cm_scoreboard
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
  import cm_dpi_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_ni,
  input  cfg_t        cfg_i,
  input  logic [NumSlots-1:0][2:0][5:0] src_i,   // cm_decode sources (0 = none)
  input  logic [NumSlots-1:0] src_fl_i,
  input  logic [31:0] fetch_extra_i,
  output logic [63:0] issue_o,        // t
  output logic [63:0] now_o,
  // retire
  input  logic        retire_i,
  input  logic        ok_i,           // the molecule completed (else it faulted)
  input  logic [NumSlots-1:0][1:0][5:0] dst_i,   // cm_decode destinations (0 = none)
  input  logic [NumSlots-1:0] dst_fl_i,
  input  atom_t [NumSlots-1:0] atoms_i,
  // per LSU lane (slot order): its slot, and the access the MemoryTiming model is asked about
  input  logic [1:0][NumSlots-1:0] lsu_slot_i,
  input  logic [1:0]  timed_i,
  input  logic [1:0]  timed_store_i,
  input  logic [1:0][31:0] timed_addr_i,
  input  logic [1:0][2:0]  timed_size_i,
  input  logic [31:0] extra_i,        // branch/commit/rollback/eret/trap penalties
  // service calls and CoreApi::advanceCycles
  input  logic        add_i,
  input  logic [63:0] add_cycles_i,
  // host (checkpoint) writes between molecules: ready cycle / class of register idx, now
  input  logic        dbg_ready_we_i,
  input  logic        dbg_class_we_i,
  input  logic        dbg_now_we_i,
  input  logic [7:0]  dbg_idx_i,
  input  logic [63:0] dbg_wdata_i
);
  logic [63:0] ready_q [NumSb] /*verilator public_flat_rd*/;
  // Timing class of each register's last writer: not needed for the cycle count, kept
  // because the ISS's checkpoints (stall attribution) hold it.
  logic [2:0]  class_q [NumSb] /*verilator public_flat_rd*/;
  logic [63:0] now_q /*verilator public_flat_rd*/;

  // Latest ready cycle of the sources (state only), then t with the fetch extra cycles
  // (an input of the core, answered by the host per molecule): two blocks, so that only
  // the final maximum is re-evaluated when the input changes.
  logic [63:0] src_ready;
  always_comb begin
    src_ready = '0;
    for (int unsigned s = 0; s < NumSlots; s++) begin
      for (int unsigned k = 0; k < 3; k++) begin
        if (src_i[s][k] != 6'd0 && ready_q[{1'b0, src_i[s][k]}] > src_ready) src_ready = ready_q[{1'b0, src_i[s][k]}];
      end
      if (src_fl_i[s] && ready_q[FLAGS_REG_INDEX] > src_ready) src_ready = ready_q[FLAGS_REG_INDEX];
    end
  end
  always_comb begin
    logic [63:0] t;
    t = now_q + {32'd0, fetch_extra_i};
    if (src_ready > t) t = src_ready;
    issue_o = cfg_i.timing_en ? t : now_q;
  end
  assign now_o = now_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ready_q <= '{default: '0};
      class_q <= '{default: '0};
      now_q <= '0;
    end else if (retire_i) begin : retire
      logic [1:0][31:0] lx;
      logic [31:0] sx;
      logic [63:0] rdy;
      logic [2:0]  cls;
      lx = '0;
      sx = '0;
      for (int unsigned k = 0; k < 2; k++) begin
        if (cfg_i.timing_en && ok_i && timed_i[k]) begin
          if (timed_store_i[k]) sx = sx + cm_dpi_timing_store(timed_addr_i[k], 32'(timed_size_i[k]));
          else lx[k] = cm_dpi_timing_load(timed_addr_i[k], 32'(timed_size_i[k]));
        end
      end
      if (!cfg_i.timing_en) begin
        now_q <= now_q + 64'd1;
      end else begin
        now_q <= issue_o + 64'd1 + {32'd0, extra_i} + {32'd0, sx};
        if (ok_i) begin
          // At most one writer per register and molecule (cm_decode), so the order of
          // these writes does not matter; each replaces the entry (youngest writer wins).
          for (int unsigned s = 0; s < NumSlots; s++) begin
            cls = 3'(atom_timing(atoms_i[s].op));
            rdy = issue_o + {32'd0, cfg_i.latency[cls]} + (lsu_slot_i[0][s] ? {32'd0, lx[0]} : 64'd0) +
                  (lsu_slot_i[1][s] ? {32'd0, lx[1]} : 64'd0);
            for (int unsigned k = 0; k < 2; k++) begin
              if (dst_i[s][k] != 6'd0) begin
                ready_q[{1'b0, dst_i[s][k]}] <= rdy;
                class_q[{1'b0, dst_i[s][k]}] <= cls;
              end
            end
            if (dst_fl_i[s]) begin
              ready_q[FLAGS_REG_INDEX] <= rdy;
              class_q[FLAGS_REG_INDEX] <= cls;
            end
          end
        end
      end
    end else if (dbg_ready_we_i) begin
      ready_q[dbg_idx_i[6:0]] <= dbg_wdata_i;
    end else if (dbg_class_we_i) begin
      class_q[dbg_idx_i[6:0]] <= dbg_wdata_i[2:0];
    end else if (dbg_now_we_i) begin
      now_q <= dbg_wdata_i;
    end else if (add_i) begin
      now_q <= now_q + add_cycles_i;
    end
  end
endmodule
