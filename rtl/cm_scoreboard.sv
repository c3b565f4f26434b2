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
  input  logic [NumSb-1:0] src_mask_i,
  input  logic [31:0] fetch_extra_i,
  output logic [63:0] issue_o,        // t
  output logic [63:0] now_o,
  // retire
  input  logic        retire_i,
  input  logic        ok_i,           // the molecule completed (else it faulted)
  input  logic [NumSlots-1:0][NumSb-1:0] dst_mask_i,
  input  atom_t [NumSlots-1:0] atoms_i,
  input  logic [NumSlots-1:0] lsu_slot_i, // which slot holds the timed access
  input  logic        timed_i,
  input  logic        timed_store_i,
  input  logic [31:0] timed_addr_i,
  input  logic [2:0]  timed_size_i,
  input  logic [31:0] extra_i,        // branch/commit/rollback/eret/trap penalties
  // service calls and CoreApi::advanceCycles
  input  logic        add_i,
  input  logic [63:0] add_cycles_i
);
  logic [63:0] ready_q [NumSb] /*verilator public_flat_rd*/;
  logic [63:0] now_q /*verilator public_flat_rd*/;

  always_comb begin
    logic [63:0] t;
    t = now_q + {32'd0, fetch_extra_i};
    for (int unsigned r = 0; r < NumSb; r++) begin
      if (src_mask_i[r] && ready_q[r] > t) t = ready_q[r];
    end
    issue_o = cfg_i.timing_en ? t : now_q;
  end
  assign now_o = now_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ready_q <= '{default: '0};
      now_q <= '0;
    end else if (retire_i) begin : retire
      logic [31:0] lx, sx;
      logic [63:0] rdy [NumSb];
      rdy = ready_q;
      lx = '0;
      sx = '0;
      if (cfg_i.timing_en && ok_i && timed_i) begin
        if (timed_store_i) sx = cm_dpi_timing_store(timed_addr_i, 32'(timed_size_i));
        else lx = cm_dpi_timing_load(timed_addr_i, 32'(timed_size_i));
      end
      if (!cfg_i.timing_en) begin
        now_q <= now_q + 64'd1;
      end else begin
        now_q <= issue_o + 64'd1 + {32'd0, extra_i} + {32'd0, sx};
        if (ok_i) begin
          for (int unsigned s = 0; s < NumSlots; s++) begin
            for (int unsigned r = 0; r < NumSb; r++) begin
              if (dst_mask_i[s][r]) begin
                rdy[r] = issue_o + {32'd0, cfg_i.latency[atom_timing(atoms_i[s].op)]} +
                              (lsu_slot_i[s] ? {32'd0, lx} : 64'd0);
              end
            end
          end
        end
      end
      ready_q <= rdy;
    end else if (add_i) begin
      now_q <= now_q + add_cycles_i;
    end
  end
endmodule
