# Dispatch: r9 (@eip) = the x86 EIP to continue at, state committed. Probe the lookup
# table (docs/cms-runtime.md 2): entry = @lookup_base + 16 * ((eip ^ eip >> SHIFT) & mask),
# hit when {eip, context} match; count the hit (gear-3 profiling: a count equal to @hot
# asks for PROMOTE) and jump to the translation. A miss asks the CMS (gear 1/2).
# Indirect exits (RET, JMP/CALL r/m) enter at fw_dispatch_indirect: the same probe.
        .global fw_dispatch, fw_dispatch_indirect, fw_interpret, fw_exit_budget
fw_dispatch:
fw_dispatch_indirect:
        shri    @t0, @eip, LOOKUP_HASH_SHIFT
        xor     @t0, @t0, @eip
        and     @t0, @t0, @lookup_mask
        shli    @t0, @t0, LOOKUP_ENTRY_SHIFT
        add     @t0, @t0, @lookup_base
        ld32    @t1, LOOKUP_EIP(@t0)
        ld32    @t2, LOOKUP_CONTEXT(@t0)
        { ld32  @t3, LOOKUP_COUNT(@t0) ; bne @t1, @eip, fw_miss }
        { ld32  @t4, LOOKUP_HOSTPC(@t0) ; bne @t2, @context, fw_miss }
        addi    @t3, @t3, 1
        { st32  @t3, LOOKUP_COUNT(@t0) ; beq @t3, @hot, fw_promote }
        jalr    zero, @t4

fw_miss:
        svc     SVC_DISPATCH
        j       fw_dispatch commit
fw_promote:
        svc     SVC_PROMOTE
        j       fw_dispatch commit

# A translation exited before an instruction it does not translate (r9 = its EIP).
fw_interpret:
        svc     SVC_INTERPRET
        j       fw_dispatch commit

# A translation's entry check found r30 < N: it rolled back (r9 = its entry EIP).
fw_exit_budget:
        svc     SVC_BUDGET
        j       fw_dispatch commit
