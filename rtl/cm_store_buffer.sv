// Gated store buffer (docs/iss.md "Guest accesses" step 5 and "Order of effects"): guest
// stores (stg*, stc*) are pushed at apply time, one entry per page piece, oldest first;
// loads forward byte-wise from the youngest entry covering each byte; commit drains every
// entry to memory in order; rollback discards. This module also owns the memory write
// port, so that ungated writes of the molecule (host stores, stio to memory) reach memory
// before the commit drains the buffer, as in the ISS's order of effects.
module cm_store_buffer
  import cm_dpi_pkg::*;
#(
  parameter int unsigned SbDepth = 32
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        discard_i,      // rollback
  input  logic        commit_i,       // commit point: drain in order
  // pushes of this molecule in slot order (LSU lane 0 pieces 0, 1, then lane 1's)
  input  logic [3:0]  push_i,
  input  logic [3:0][31:0] push_addr_i,
  input  logic [3:0][2:0]  push_size_i,
  input  logic [3:0][31:0] push_value_i,
  // ungated memory writes of this molecule, before the drain
  input  logic [3:0]  wr_i,
  input  logic [3:0][31:0] wr_addr_i,
  input  logic [3:0][2:0]  wr_size_i,
  input  logic [3:0][31:0] wr_value_i,
  // forwarding: one physical byte address per byte of a load
  // per LSU lane: a guest load asks (else no hits: saves the search), its byte addresses
  input  logic [1:0]  fwd_en_i,
  input  logic [1:0][3:0][31:0] fwd_addr_i,
  output logic [1:0][3:0]  fwd_hit_o,
  output logic [1:0][3:0][7:0] fwd_data_o,
  output logic [8:0]  count_o,
  // does an entry overlap the 32 bytes at win_lo_i (the next molecule, for the prefetch)?
  input  logic        win_en_i,
  input  logic [31:0] win_lo_i,
  output logic        win_hit_o,
  // host (checkpoint) writes, between molecules: entry dbg_idx_i, occupancy
  input  logic        dbg_entry_we_i,
  input  logic        dbg_count_we_i,
  input  logic [7:0]  dbg_idx_i,      // entry [4:0], size [7:5]
  input  logic [63:0] dbg_wdata_i     // entry: value [63:32], addr [31:0]; count: [8:0]
);
  localparam int unsigned IdxW = $clog2(SbDepth);
  logic [31:0] addr_q  [SbDepth] /*verilator public_flat_rd*/;
  logic [2:0]  size_q  [SbDepth] /*verilator public_flat_rd*/;
  logic [31:0] value_q [SbDepth] /*verilator public_flat_rd*/;
  logic [8:0]  count_q /*verilator public_flat_rd*/;
  logic        drained_q;  // for the assertion below

  assign count_o = count_q;

  always_comb begin
    win_hit_o = 1'b0;
    if (win_en_i) begin
      for (int unsigned e = 0; e < 32'(count_q); e++) begin
        if ({1'b0, addr_q[e[IdxW-1:0]]} < {1'b0, win_lo_i} + 33'd32 &&
            {1'b0, win_lo_i} < {1'b0, addr_q[e[IdxW-1:0]]} + 33'(size_q[e[IdxW-1:0]])) win_hit_o = 1'b1;
      end
    end
  end

  // Youngest entry first: a later (younger) match overrides an older one.
  always_comb begin
    fwd_hit_o = '0;
    fwd_data_o = '0;
    // (The entry loop runs over the occupied entries only: a loop bound the simulator does
    // not unroll, which is faster than 4 x SbDepth unrolled compares.)
    for (int unsigned k = 0; k < 2; k++) begin
      if (fwd_en_i[k]) begin
        for (int unsigned e = 0; e < 32'(count_q); e++) begin
          for (int unsigned b = 0; b < 4; b++) begin
            if (fwd_addr_i[k][b] >= addr_q[e[IdxW-1:0]] &&
                {1'b0, fwd_addr_i[k][b]} < {1'b0, addr_q[e[IdxW-1:0]]} + 33'(size_q[e[IdxW-1:0]])) begin
              fwd_hit_o[k][b] = 1'b1;
              fwd_data_o[k][b] = 8'(value_q[e[IdxW-1:0]] >> {(fwd_addr_i[k][b] - addr_q[e[IdxW-1:0]]), 3'b000});
            end
          end
        end
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned e = 0; e < SbDepth; e++) begin
        addr_q[e] <= '0;
        size_q[e] <= '0;
        value_q[e] <= '0;
      end
      count_q <= '0;
      drained_q <= 1'b0;
    end else begin : apply
      logic [8:0] n;
      for (int unsigned k = 0; k < 4; k++) begin
        if (wr_i[k]) cm_dpi_mem_write(wr_addr_i[k], 32'(wr_size_i[k]), wr_value_i[k]);
      end
      n = count_q;
      for (int unsigned k = 0; k < 4; k++) begin
        if (push_i[k]) begin
          addr_q[n[IdxW-1:0]] <= push_addr_i[k];
          size_q[n[IdxW-1:0]] <= push_size_i[k];
          value_q[n[IdxW-1:0]] <= push_value_i[k];
          n = n + 9'd1;
        end
      end
      drained_q <= 1'b0;
      if (dbg_entry_we_i) begin
        addr_q[dbg_idx_i[IdxW-1:0]] <= dbg_wdata_i[31:0];
        size_q[dbg_idx_i[IdxW-1:0]] <= dbg_idx_i[7:5];
        value_q[dbg_idx_i[IdxW-1:0]] <= dbg_wdata_i[63:32];
      end
      if (dbg_count_we_i) begin
        count_q <= dbg_wdata_i[8:0];
      end else if (discard_i) begin
        count_q <= '0;
      end else if (commit_i) begin
        // Drain in order; this molecule's own pushes (not yet in the arrays) go last.
        for (int unsigned e = 0; e < SbDepth; e++) begin
          if (9'(e) < count_q) cm_dpi_mem_write(addr_q[e], 32'(size_q[e]), value_q[e]);
        end
        for (int unsigned k = 0; k < 4; k++) begin
          if (push_i[k]) cm_dpi_mem_write(push_addr_i[k], 32'(push_size_i[k]), push_value_i[k]);
        end
        count_q <= '0;
        drained_q <= 1'b1;
      end else begin
        count_q <= n;
      end
    end
  end

`ifndef SYNTHESIS
  // Invariant: no store leaves the buffer before commit. Entries are written to memory
  // only by the drain loop above, which runs only with commit_i; here we check that a
  // commit really empties the buffer and that the buffer keeps its entries otherwise
  // (occupancy only grows by this cycle's pushes, or drops to 0 on commit/rollback).
  logic [8:0] count_prev_q;
  logic       commit_prev_q, discard_prev_q;
  logic [3:0] push_prev_q;
  logic       dbg_prev_q;
  always_ff @(posedge clk_i) begin
    count_prev_q <= count_q;
    commit_prev_q <= commit_i;
    discard_prev_q <= discard_i;
    push_prev_q <= push_i;
    if (rst_ni && drained_q) begin
      assert (count_q == 9'd0) else $error("store buffer not empty after a commit drain");
    end
    dbg_prev_q <= dbg_count_we_i;
    if (rst_ni && !commit_prev_q && !discard_prev_q && !dbg_prev_q) begin
      assert (count_q == count_prev_q + 9'(push_prev_q[0]) + 9'(push_prev_q[1]) + 9'(push_prev_q[2]) +
                         9'(push_prev_q[3]))
        else $error("store buffer entries left without a commit");
    end
    if (rst_ni) begin
      assert (count_q <= 9'(SbDepth)) else $error("store buffer over capacity");
    end
  end
`endif
endmodule
