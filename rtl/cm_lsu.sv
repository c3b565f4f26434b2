// Load/store unit (docs/iss.md section 5): host physical accesses (ld*/st*) and guest
// accesses (ldg/stg, ldp/stc, ldio/stio) through the host TLB, with the checks in the
// ISS's order: translation per page piece (TLB_MISS, TLB_PROT, TLB_DIRTY), space per piece
// (IO_SPACE, BUS_ERROR, IO_ORDER), alias (stc*), T-bits (guest stores), store-buffer
// capacity (gated stores). Loads forward byte-wise from the gated store buffer. The page
// attribute bits are looked up from the memory side (DPI); the checking is here.
// Effects are outputs applied by the core at the retire edge; an I/O-bus access (read or
// write) is made here in an extra clock once the molecule is known not to fault (never
// speculatively), in slot order with the other LSU lane's (cm_core io_go).
module cm_lsu
  import codemorph_isa_pkg::*;
  import cm_core_pkg::*;
  import cm_dpi_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_ni,
  input  atom_t       atom_i,
  input  logic        en_i,           // the molecule's LSU atom is valid
  input  logic [31:0] rs1_i,
  input  logic [31:0] rs2_i,
  input  cfg_t        cfg_i,
  input  logic [31:0] seq_i,          // fetch sequence number (DPI attribute freshness)
  input  logic [8:0]  sb_count_i,
  // TLB lookups
  output logic [1:0]  tlb_lookup_o,
  output logic [1:0][19:0] tlb_vpn_o,
  input  logic [1:0]  tlb_hit_i,
  input  logic [1:0][31:0] tlb_value_i,
  // alias check
  output logic [7:0]  chk_mask_o,
  output logic [31:0] chk_lo_o,
  output logic [2:0]  chk_len_o,
  output logic [31:0] chk_lo2_o,
  output logic [2:0]  chk_len2_o,
  input  logic        chk_hit_i,
  // store-buffer forwarding
  output logic        fwd_en_o,
  output logic [3:0][31:0] fwd_addr_o,
  input  logic [3:0]  fwd_hit_i,
  input  logic [3:0][7:0] fwd_data_i,
  // I/O read handshake with the core
  input  logic        io_go_i,        // make the bus access at this edge
  input  logic        io_clear_i,     // a new molecule was fetched
  output logic        io_rd_o,        // this access is an I/O-bus read
  output logic        io_done_o,
  // result and effects
  output slot_res_t   res_o,
  output logic [1:0]  push_o,         // gated store-buffer pushes (pieces)
  output logic [1:0]  wr_o,           // ungated memory writes (pieces)
  output logic [1:0][31:0] piece_addr_o,
  output logic [1:0][2:0]  piece_size_o,
  output logic [1:0][31:0] piece_value_o,
  output logic        io_wr_o,        // I/O-bus write (paddr = piece 0)
  output logic        protect_o,      // ldp: set alias register atom_i.aux
  output logic        timed_o,        // a MemoryTiming access (paddr piece 0, size)
  output logic        timed_store_o,
  output logic [2:0]  size_o,
  output ld_req_t     ld_o            // the load's register write (valid: completes)
);
  typedef enum logic [2:0] {K_HOST, K_PLAIN, K_PROTECT, K_CHECKED, K_IO} kind_e;

  logic [31:0] io_data_q;
  logic        io_done_q;
  kind_e       kind;
  logic        is_load, is_store, sign;
  logic [2:0]  size;
  logic [31:0] addr;
  slot_res_t   res_chk;  // checks and faults; the load data is added below

  always_comb begin
    logic [12:0] ops;
    ops = atom_operands(atom_i.op);
    is_load = (ops & OPF_LOAD) != '0;
    is_store = (ops & OPF_STORE) != '0;
    unique case (atom_i.op)
      OP_LD8U, OP_LD8S, OP_LDG8U, OP_LDG8S, OP_LDP8U, OP_LDP8S, OP_LDIO8U, OP_LDIO8S,
      OP_ST8, OP_STG8, OP_STC8, OP_STIO8: size = 3'd1;
      OP_LD16U, OP_LD16S, OP_LDG16U, OP_LDG16S, OP_LDP16U, OP_LDP16S, OP_LDIO16U, OP_LDIO16S,
      OP_ST16, OP_STG16, OP_STC16, OP_STIO16: size = 3'd2;
      default: size = 3'd4;
    endcase
    sign = atom_i.op inside {OP_LD8S, OP_LD16S, OP_LDG8S, OP_LDG16S, OP_LDP8S, OP_LDP16S, OP_LDIO8S, OP_LDIO16S};
    if ((ops & OPF_GUEST) == '0) kind = K_HOST;
    else if ((ops & OPF_IO) != '0) kind = K_IO;
    else if (atom_i.op inside {OP_LDP8U, OP_LDP8S, OP_LDP16U, OP_LDP16S, OP_LDP32}) kind = K_PROTECT;
    else if (atom_i.op inside {OP_STC8, OP_STC16, OP_STC32}) kind = K_CHECKED;
    else kind = K_PLAIN;
    addr = (kind == K_CHECKED) ? rs1_i : rs1_i + atom_i.imm;
  end

  // Pieces (split at the page boundary, guest accesses only) and their physical addresses.
  logic [2:0]  len0, len1;
  logic        two;
  logic [31:0] lin1, pa0, pa1;
  always_comb begin
    len0 = size;
    len1 = '0;
    two = 1'b0;
    lin1 = '0;
    if (kind != K_HOST && ({1'b0, addr[11:0]} + {10'd0, size}) > 13'h1000) begin
      len0 = 3'(13'h1000 - {1'b0, addr[11:0]});
      len1 = size - len0;
      two = 1'b1;
      lin1 = addr + 32'(len0);
    end
    tlb_vpn_o[0] = addr[31:PAGE_SHIFT];
    tlb_vpn_o[1] = lin1[31:PAGE_SHIFT];
    tlb_lookup_o[0] = en_i && kind != K_HOST && cfg_i.host_tlb;
    tlb_lookup_o[1] = en_i && kind != K_HOST && cfg_i.host_tlb && two;
    fwd_en_o = en_i && kind != K_HOST && is_load;
  end
  always_comb begin
    pa0 = addr;
    pa1 = lin1;
    if (kind != K_HOST && cfg_i.host_tlb) begin
      pa0 = {tlb_value_i[0][31:PAGE_SHIFT], addr[11:0]};
      pa1 = {tlb_value_i[1][31:PAGE_SHIFT], lin1[11:0]};
    end
    chk_lo_o = pa0;
    chk_len_o = len0;
    chk_lo2_o = pa1;
    chk_len2_o = len1;
    for (int unsigned b = 0; b < 4; b++) begin
      fwd_addr_o[b] = (3'(b) < len0) ? pa0 + 32'(b) : pa1 + {29'd0, 3'(b) - len0};
    end
  end

  always_comb begin
    logic [3:0]  tinfo;
    logic [32:0] end_a;
    logic        io, pending, flt, tbit_hit;
    logic [31:0] pa, tb_first;
    logic [63:0] tb;
    logic [11:0] off;
    logic [5:0]  g_lo, g_hi;
    logic [19:0] p0, p1;
    trap_cause_e cause;
    logic [31:0] tval;

    res_chk = '0;
    res_chk.cause = TRAP_NONE;
    push_o = '0;
    wr_o = '0;
    piece_addr_o = '0;
    piece_size_o = '0;
    piece_value_o = '0;
    io_wr_o = 1'b0;
    io_rd_o = 1'b0;
    protect_o = 1'b0;
    timed_o = 1'b0;
    timed_store_o = is_store;
    size_o = size;
    chk_mask_o = atom_i.aux;
    tinfo = {size, is_store};
    flt = 1'b0;
    cause = TRAP_NONE;
    tval = '0;
    io = 1'b0;
    tb_first = '0;
    tbit_hit = 1'b0;
    end_a = '0;
    p0 = '0;
    p1 = '0;
    pending = sb_count_i != 9'd0;
    pa = '0;
    tb = '0;
    off = '0;
    g_lo = '0;
    g_hi = '0;

    if (kind == K_HOST) begin
      // ---- host physical access ----
      end_a = {1'b0, addr} + 33'(size);
      p0 = addr[31:PAGE_SHIFT];
      p1 = 20'((end_a - 33'd1) >> PAGE_SHIFT);
      if (end_a > 33'h1_0000_0000) begin
        flt = 1'b1; cause = TRAP_BUS_ERROR; tval = addr;
      end else if (cm_dpi_page_io(32'(p0), seq_i) || cm_dpi_page_io(32'(p1), seq_i)) begin
        if (p0 != p1) begin
          flt = 1'b1; cause = TRAP_BUS_ERROR; tval = addr;
        end else begin
          io = 1'b1;
        end
      end else if (end_a > cfg_i.mem_bytes[32:0]) begin
        flt = 1'b1; cause = TRAP_BUS_ERROR; tval = addr;
      end
      if (!flt) begin
        timed_o = 1'b1;
        if (is_load) begin
          if (io) io_rd_o = 1'b1;
        end else if (io) begin
          io_wr_o = 1'b1;
        end else begin
          wr_o[0] = 1'b1;
        end
        piece_addr_o[0] = addr;
        piece_size_o[0] = size;
        piece_value_o[0] = rs2_i;
      end
    end else begin
      // ---- guest access: 1. translation per piece ----
      if (cfg_i.host_tlb) begin
        for (int unsigned k = 0; k < 2; k++) begin
          if (!flt && (k == 0 || two)) begin
            if (!tlb_hit_i[k]) begin
              flt = 1'b1; cause = TRAP_TLB_MISS; tval = (k == 0) ? addr : lin1;
            end else if (is_store && (tlb_value_i[k] & TLB_WRITABLE) == '0) begin
              flt = 1'b1; cause = TRAP_TLB_PROT; tval = (k == 0) ? addr : lin1;
            end else if (is_store && (tlb_value_i[k] & TLB_DIRTY_OK) == '0) begin
              flt = 1'b1; cause = TRAP_TLB_DIRTY; tval = (k == 0) ? addr : lin1;
            end
          end
        end
      end
      // 2. space per piece
      for (int unsigned k = 0; k < 2; k++) begin
        pa = (k == 0) ? pa0 : pa1;
        if (!flt && (k == 0 || two)) begin
          if (cm_dpi_page_io(32'(pa >> PAGE_SHIFT), seq_i)) begin
            if (kind != K_IO) begin
              flt = 1'b1; cause = TRAP_IO_SPACE; tval = pa;
            end else if (two) begin
              flt = 1'b1; cause = TRAP_BUS_ERROR; tval = pa;
            end else if (pending) begin
              flt = 1'b1; cause = TRAP_IO_ORDER; tval = pa;
            end else begin
              io = 1'b1;
            end
          end else if (({1'b0, pa} + {30'd0, (k == 0) ? len0 : len1}) > cfg_i.mem_bytes) begin
            flt = 1'b1; cause = TRAP_BUS_ERROR; tval = pa;
          end
        end
      end
      // stio to ordinary memory must not pass older gated stores either.
      if (!flt && is_store && kind == K_IO && !io && pending) begin
        flt = 1'b1; cause = TRAP_IO_ORDER; tval = pa0;
      end
      if (!flt && is_store && !io) begin
        // 3. alias check
        if (kind == K_CHECKED && chk_hit_i) begin
          flt = 1'b1; cause = TRAP_ALIAS; tval = pa0;
        end
        // 4. T-bits, piece by piece, first set granule
        for (int unsigned k = 0; k < 2; k++) begin
          pa = (k == 0) ? pa0 : pa1;
          if (!tbit_hit && (k == 0 || two)) begin
            tb = cm_dpi_page_tbits(32'(pa >> PAGE_SHIFT), seq_i);
            off = pa[11:0];
            g_lo = 6'(off >> cfg_i.tbit_shift);
            g_hi = 6'((off + {9'd0, (k == 0) ? len0 : len1} - 12'd1) >> cfg_i.tbit_shift);
            if (tb[g_lo]) begin
              tbit_hit = 1'b1; tb_first = pa;
            end else if (g_hi != g_lo && tb[g_hi]) begin
              tbit_hit = 1'b1;
              tb_first = {pa[31:12], 12'(32'(g_hi) << cfg_i.tbit_shift)};
            end
          end
        end
        if (!flt && tbit_hit) begin
          flt = 1'b1; cause = TRAP_TBIT; tval = tb_first;
        end
        // 5. store-buffer capacity (gated stores)
        if (!flt && kind != K_IO && ({1'b0, sb_count_i} + (two ? 10'd2 : 10'd1)) > {1'b0, cfg_i.sb_entries}) begin
          flt = 1'b1; cause = TRAP_SB_OVERFLOW; tval = pa0;
        end
      end
      if (!flt) begin
        timed_o = 1'b1;
        piece_addr_o[0] = pa0;
        piece_size_o[0] = len0;
        piece_value_o[0] = rs2_i;
        piece_addr_o[1] = pa1;
        piece_size_o[1] = len1;
        piece_value_o[1] = rs2_i >> {len0, 3'b000};
        if (is_store) begin
          if (io) io_wr_o = 1'b1;
          else if (kind == K_IO) wr_o = {two, 1'b1};
          else push_o = {two, 1'b1};
        end else if (io) begin
          io_rd_o = 1'b1;
        end else begin
          protect_o = kind == K_PROTECT;
        end
      end
    end

    if (en_i) begin
      res_chk.rd = atom_i.rd;
      res_chk.fault = flt;
      res_chk.cause = cause;
      res_chk.tval = tval;
      res_chk.tinfo = tinfo;
    end
    if (!en_i) begin
      push_o = '0;
      wr_o = '0;
      io_wr_o = 1'b0;
      io_rd_o = 1'b0;
      protect_o = 1'b0;
      timed_o = 1'b0;
    end
  end

  // Load result: the request cm_regfile completes at the retire edge (memory bytes read
  // there, merged with the forwarded store-buffer bytes, or the I/O-bus read value).
  always_comb begin
    ld_o = '0;
    ld_o.valid = en_i && is_load && !res_chk.fault;
    ld_o.rd = atom_i.rd;
    ld_o.pa0 = pa0;
    ld_o.len0 = len0;
    ld_o.pa1 = pa1;
    ld_o.len1 = two ? len1 : 3'd0;
    ld_o.size = size;
    ld_o.sign = sign;
    ld_o.io = io_rd_o;
    ld_o.io_data = io_data_q;
    if (kind != K_HOST) ld_o.fwd_hit = fwd_hit_i;
    ld_o.fwd_data = fwd_data_i;
  end

  assign io_done_o = io_done_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      io_data_q <= '0;
      io_done_q <= 1'b0;
    end else if (io_clear_i) begin
      io_done_q <= 1'b0;
    end else if (io_go_i) begin
      if (io_wr_o) cm_dpi_io_write(piece_addr_o[0], 32'(size), piece_value_o[0] & width_mask(size));
      else io_data_q <= cm_dpi_io_read(piece_addr_o[0], 32'(size)) & width_mask(size);
      io_done_q <= 1'b1;
    end
  end

  assign res_o = res_chk;
endmodule
