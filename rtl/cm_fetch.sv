// Molecule fetch (docs/iss.md section 2 step 1): on a fetch edge, checks the pc (8-aligned,
// inside memory, not I/O space), reads the size code, then the whole molecule. The core
// fetches at the retire edge of the previous molecule (prefetch) or on the host's
// DBG_FETCH clock (docs/rtl.md "Micro-architecture"). Words of an ILLEGAL size code are
// passed on for the decoder to reject.
//
// bytes_o is the access the MemoryTiming fetch callback is made for (8 for an ILLEGAL
// size code, 0 for a FETCH fault = no callback). The callback itself is made by the host
// at the start of the molecule's step and answered through cm_core's fetch_extra_i: a
// prefetch happens in the previous molecule's step, and the (stateful) timing model must
// see exactly one fetch per executed molecule, in that molecule's step.
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
  input  logic                  max8_i,       // 8-atom molecules allowed
  output logic [NumSlots-1:0][31:0] words_o,
  output logic                  fault_o,      // FETCH fault (tval = pc)
  output logic [31:0]           seq_o         // fetch sequence number
);
  logic [NumSlots-1:0][31:0] words_q;
  logic        fault_q;
  logic [5:0]  bytes_q /*verilator public_flat_rd*/;
  logic [31:0] seq_q /*verilator public_flat_rd*/;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      words_q <= '0;
      fault_q <= 1'b0;
      bytes_q <= '0;
      seq_q   <= '0;
    end else if (fetch_i) begin : fetch
      logic [31:0] w0;
      logic [3:0]  n;
      logic [33:0] last;
      seq_q   <= seq_q + 32'd1;
      words_q <= '0;
      bytes_q <= '0;
      fault_q <= 1'b0;
      if (pc_i[2:0] != 3'd0 || ({2'b0, pc_i} + 34'd8) > {1'b0, mem_bytes_i} ||
          cm_dpi_page_io(32'(pc_i >> PAGE_SHIFT), seq_q)) begin
        fault_q <= 1'b1;
      end else begin
        w0 = cm_dpi_mem_read(pc_i, 32'd4, seq_q);
        n  = size_code_atoms(w0[31:HEADER_LO]);
        if (n == 4'd0 || n > (max8_i ? 4'd8 : 4'd4)) begin
          words_q[0] <= w0;
          bytes_q <= 6'd8;
        end else begin
          last = {2'b0, pc_i} + 34'({n, 2'b00});
          if (last > {1'b0, mem_bytes_i} || cm_dpi_page_io(32'((last - 34'd1) >> PAGE_SHIFT), seq_q)) begin
            fault_q <= 1'b1;
          end else begin
            for (int unsigned i = 0; i < NumSlots; i++) begin
              if (i < 32'(n)) words_q[i] <= cm_dpi_mem_read(pc_i + 32'(4 * i), 32'd4, seq_q);
            end
            bytes_q <= {n, 2'b00};
          end
        end
      end
    end
  end

  assign words_o = words_q;
  assign fault_o = fault_q;
  assign seq_o   = seq_q;
endmodule
