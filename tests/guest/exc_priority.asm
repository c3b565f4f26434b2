; qemu-differs: QEMU (TCG) does not check data-segment limits, so limit #GP loses to #PF there (SDM Vol. 3A 6.9, 5.3)
; Exception priorities (SDM Vol. 3A 6.9, Table 6-2, and the order of checks in the
; instruction pages): segmentation before paging (limit #GP before #PF); descriptor type
; before presence (#GP before #NP); INT n gate DPL before presence (#GP before #NP);
; an instruction fetch that needs the next (not-present) page is #PF before the decoder
; could report #UD; a single-step trap is taken after the instruction that follows POPF;
; a faulting instruction under TF reports its fault, not #DB. QEMU (TCG) does not check
; data-segment limits, so the first case follows the SDM only (README.md).
%include "boot.inc"
%include "paging.inc"
NP equ 0x300000
test_main:
        call paging_identity_8m
        mov dword [PTE(NP)], 0
        PAGING_ON
        mov edi, gdt + 0x30             ; FS: base NP, limit FFFh
        mov eax, NP
        mov ecx, 0xFFF
        mov edx, 0x4092
        call set_desc
        mov edi, gdt + 0x38             ; execute-only code, not present
        xor eax, eax
        mov ecx, 0xFFFFF
        mov edx, 0xC018
        call set_desc
        mov edi, idt + 0x50 * 8         ; DPL 0 gate, not present
        mov eax, exc_other
        mov bx, SEL_CODE0
        mov dx, 0x000E
        call set_gate
        mov ax, 0x30
        mov fs, ax
        PRINTLN "limit vs page fault:"
        RESUME .a1
        mov eax, [fs:0x1000]            ; beyond limit and not present: #GP(0)
.a1:    mov ax, 0x30
        mov fs, ax
        RESUME .a2
        mov eax, [fs:0]                 ; within limit, not present: #PF
.a2:    PRINTLN "type vs present:"
        RESUME .b1
        mov ax, 0x38
        mov ds, ax                      ; exec-only and not present: #GP(38)
.b1:    PRINTLN "gate dpl vs present:"
        RESUME .c1
        ENTER_RING3 .c3
.c3:    int 0x50                        ; from ring 3: #GP(282)
.c1:    RESUME .c2
        int 0x50                        ; from ring 0: #NP(282)
.c2:    PRINTLN "fetch #PF vs #UD:"
        mov byte [NP - 1], 0x0F         ; 0F at the last byte before the hole
        RESUME .d1
        jmp NP - 1
.d1:    mov word [NP - 2], 0xFF0F       ; 0F FF (UD0) entirely before the hole: #UD
        RESUME .d2
        jmp NP - 2
.d2:    PRINTLN "single step:"
        RESUME .e1
        pushfd
        or dword [esp], 0x100
        popfd
        nop                             ; #DB after this instruction
        PRINTLN "no trap"
.e1:    mov eax, dr6
        PRINT "dr6.bs "
        shr eax, 14
        and eax, 1
        PUTHEX eax, 1
        call newline
        RESUME .e2
        pushfd
        or dword [esp], 0x100
        popfd
        mov ax, 0x80
        mov ds, ax                      ; #GP(80), not #DB
.e2:    PRINTLN "done"
        EXIT 0
