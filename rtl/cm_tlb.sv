// Host TLB keyed by x86 linear page (knob hostisa.host_tlb; docs/iss.md "Host TLB"):
// fully associative, TlbDepth entries of which cfg tlb_entries are used, round-robin fill.
// Four lookup ports (per LSU lane, the two pages of a page-crossing access). tlbwr replaces a valid entry
// of the same page in place (without TLB_VALID this removes it), else fills at the pointer.
module cm_tlb
  import codemorph_isa_pkg::*;
#(
  parameter int unsigned TlbDepth = 64
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,        // architectural reset
  input  logic [10:0] entries_i,      // configured entries, 1..TlbDepth
  // lookup ports: per LSU lane, the two pages of a page-crossing access
  input  logic [1:0][1:0]  lookup_i,  // the port is used (else hit_o = 0: saves the search)
  input  logic [1:0][1:0][19:0] vpn_i,
  output logic [1:0][1:0]  hit_o,
  output logic [1:0][1:0][31:0] value_o,   // physical page | attributes
  input  logic        wr_i,           // tlbwr
  input  logic [31:0] wr_linear_i,
  input  logic [31:0] wr_value_i,
  input  logic        flush_i,        // tlbfl
  // host (checkpoint) writes between molecules: entry idx as stored, fill pointer
  input  logic        dbg_entry_we_i,
  input  logic        dbg_next_we_i,
  input  logic [7:0]  dbg_idx_i,
  input  logic [63:0] dbg_wdata_i     // entry: vpn [51:32], value [31:0]; pointer: [10:0]
);
  // Visible (read-only) to the C++ wrapper; CoreApi::tlbInsert/tlbFlush use wr_i/flush_i.
  logic [19:0] vpn_q [TlbDepth] /*verilator public_flat_rd*/;
  logic [31:0] val_q [TlbDepth] /*verilator public_flat_rd*/;
  logic [10:0] next_q /*verilator public_flat_rd*/;

  always_comb begin
    hit_o = '0;
    value_o = '0;
    for (int unsigned k = 0; k < 2; k++) begin
      for (int unsigned p = 0; p < 2; p++) begin
        // At most one valid entry maps a page (tlbwr replaces in place), so an OR of the
        // matching entries is the lookup (no priority chain).
        if (lookup_i[k][p]) begin
          for (int unsigned i = 0; i < TlbDepth; i++) begin
            if (11'(i) < entries_i && val_q[i][0] && vpn_q[i] == vpn_i[k][p]) begin
              hit_o[k][p] = 1'b1;
              value_o[k][p] = value_o[k][p] | val_q[i];
            end
          end
        end
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned i = 0; i < TlbDepth; i++) begin
        vpn_q[i] <= '0;
        val_q[i] <= '0;
      end
      next_q <= '0;
    end else if (dbg_entry_we_i) begin
      vpn_q[dbg_idx_i[$clog2(TlbDepth)-1:0]] <= dbg_wdata_i[51:32];
      val_q[dbg_idx_i[$clog2(TlbDepth)-1:0]] <= dbg_wdata_i[31:0];
    end else if (dbg_next_we_i) begin
      next_q <= dbg_wdata_i[10:0];
    end else if (clear_i || flush_i) begin
      for (int unsigned i = 0; i < TlbDepth; i++) begin
        vpn_q[i] <= '0;
        val_q[i] <= '0;
      end
      next_q <= '0;
    end else if (wr_i) begin : write
      logic found;
      logic [31:0] v;
      v = wr_value_i & (32'hFFFF_F000 | TLB_VALID | TLB_WRITABLE | TLB_DIRTY_OK);
      found = 1'b0;
      for (int unsigned i = 0; i < TlbDepth; i++) begin
        if (!found && 11'(i) < entries_i && val_q[i][0] && vpn_q[i] == wr_linear_i[31:PAGE_SHIFT]) begin
          val_q[i] <= v;
          found = 1'b1;
        end
      end
      if (!found && v[0]) begin
        vpn_q[next_q[$clog2(TlbDepth)-1:0]] <= wr_linear_i[31:PAGE_SHIFT];
        val_q[next_q[$clog2(TlbDepth)-1:0]] <= v;
        next_q <= (next_q + 11'd1 >= entries_i) ? 11'd0 : next_q + 11'd1;
      end
    end
  end
endmodule
