# Trap entry (tvec; docs/cms-runtime.md 6, docs/iss.md 6). Saves the trap frame in the
# data block, then:
#  - TLB_MISS / TLB_DIRTY / TLB_PROT: TLB_FILL walks the x86 page tables; @result = 0
#    means the host TLB now maps the page: eret re-executes the molecule (a faulting
#    molecule had no effect, and nothing here touches r1..r31 or the store buffer);
#    otherwise the x86 access faults: continue as below.
#  - anything else: rollback to the last commit point (an x86 instruction boundary, r9 its
#    EIP), then FAULT: the CMS re-executes in the interpreter to find the precise x86
#    exception and adapts the translation.
        .global fw_trap, fw_fault
fw_trap:
        mfsr    @t0, tcause
        { mfsr  @t1, tval ; st32 @t0, DATA_TRAP_CAUSE(@data) }
        { mfsr  @t2, tpc ; st32 @t1, DATA_TRAP_VAL(@data) }
        { mfsr  @t3, tinfo ; st32 @t2, DATA_TRAP_PC(@data) }
        { seqi  @t1, @t0, CAUSE_TLB_MISS ; seqi @t2, @t0, CAUSE_TLB_DIRTY ; st32 @t3, DATA_TRAP_INFO(@data) }
        { or    @t1, @t1, @t2 ; seqi @t3, @t0, CAUSE_TLB_PROT ; ld32 @t4, DATA_TRAPS(@data) }
        { or    @t1, @t1, @t3 ; addi @t4, @t4, 1 }
        { st32  @t4, DATA_TRAPS(@data) ; bnz @t1, fw_tlb }
fw_fault:
        rollback
        svc     SVC_FAULT
        mtsr    tstatus, zero
        j       fw_dispatch commit
fw_tlb:
        svc     SVC_TLB_FILL
        bnz     @result, fw_fault
        eret
