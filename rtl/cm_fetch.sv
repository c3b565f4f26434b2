// Molecule fetch (docs/iss.md section 2 step 1): on a fetch edge, checks the pc (8-aligned,
// inside memory, not I/O space), reads the size code, then the whole molecule, and asks the
// MemoryTiming model for the fetch's extra cycles (once per fetched molecule; not for a
// FETCH fault). Words of an ILLEGAL size code are passed on for the decoder to reject.
module cm_fetch
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
  import cm_dpi_pkg::*;
(
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  fetch_i,      // fetch the molecule at pc_i at this edge
  input  logic [31:0]           pc_i,
  input  logic [32:0]           mem_bytes_i,
  input  logic                  timing_en_i,
  output logic [NumSlots-1:0][31:0] words_o,
  output logic                  fault_o,      // FETCH fault (tval = pc)
  output logic [31:0]           extra_o,      // MemoryTiming fetch cycles
  output logic [31:0]           seq_o         // fetch sequence number
);
  logic [NumSlots-1:0][31:0] words_q;
  logic        fault_q;
  logic [31:0] extra_q, seq_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      words_q <= '0;
      fault_q <= 1'b0;
      extra_q <= '0;
      seq_q   <= '0;
    end else if (fetch_i) begin : fetch
      logic [31:0] w0;
      logic [3:0]  n;
      logic [33:0] last;
      seq_q   <= seq_q + 32'd1;
      words_q <= '0;
      extra_q <= '0;
      fault_q <= 1'b0;
      if (pc_i[2:0] != 3'd0 || ({2'b0, pc_i} + 34'd8) > {1'b0, mem_bytes_i} ||
          cm_dpi_page_io(32'(pc_i >> PAGE_SHIFT), seq_q)) begin
        fault_q <= 1'b1;
      end else begin
        w0 = cm_dpi_mem_read(pc_i, 32'd4, seq_q);
        n  = size_code_atoms(w0[31:HEADER_LO]);
        if (n == 4'd0 || n > 4'(NumSlots)) begin
          words_q[0] <= w0;
          if (timing_en_i) extra_q <= cm_dpi_timing_fetch(pc_i, 32'd8);
        end else begin
          last = {2'b0, pc_i} + 34'({n, 2'b00});
          if (last > {1'b0, mem_bytes_i} || cm_dpi_page_io(32'((last - 34'd1) >> PAGE_SHIFT), seq_q)) begin
            fault_q <= 1'b1;
          end else begin
            for (int unsigned i = 0; i < NumSlots; i++) begin
              if (i < 32'(n)) words_q[i] <= cm_dpi_mem_read(pc_i + 32'(4 * i), 32'd4, seq_q);
            end
            if (timing_en_i) extra_q <= cm_dpi_timing_fetch(pc_i, 32'({n, 2'b00}));
          end
        end
      end
    end
  end

  assign words_o = words_q;
  assign fault_o = fault_q;
  assign extra_o = extra_q;
  assign seq_o   = seq_q;
endmodule
