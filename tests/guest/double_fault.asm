; qemu-differs: QEMU clears EXT in #NP(6*8+2) raised while delivering #UD (SDM Vol. 3A 6.13: EXT=1 during delivery of an earlier exception)
; Double faults (SDM Vol. 3A 6.15 "Interrupt 8", Table 6-5): a benign exception (#UD)
; whose gate is not present is delivered as #NP(6*8+2+EXT) without #DF; #NP while
; delivering #GP (contributory + contributory) is #DF with error code 0; #GP while
; delivering #DE (bad code selector in the gate, error EXT set) is #DF; #NP while
; delivering #PF (page fault + contributory) is #DF.
%include "boot.inc"
%include "paging.inc"
%macro GATE_P 2                         ; vector, present (0/1)
  %if %2
        or byte [idt + %1 * 8 + 5], 0x80
  %else
        and byte [idt + %1 * 8 + 5], 0x7F
  %endif
%endmacro
test_main:
        PRINTLN "benign #UD, gate not present:"
        GATE_P 6, 0
        RESUME .a
        ud2
.a:     GATE_P 6, 1
        PRINTLN "#GP with its gate not present:"
        GATE_P 13, 0
        RESUME .b
        mov ax, 0x80
        mov ds, ax
.b:     GATE_P 13, 1
        PRINTLN "#DE with a bad code selector in its gate:"
        mov word [idt + 0 * 8 + 2], 0x78        ; GDT slot 78h is empty
        RESUME .c
        xor ecx, ecx
        div ecx
.c:     mov word [idt + 0 * 8 + 2], SEL_CODE0
        PRINTLN "#PF with its gate not present:"
        call paging_identity_8m
        mov dword [PTE(0x300000)], 0
        PAGING_ON
        GATE_P 14, 0
        RESUME .d
        mov eax, [0x300000]
.d:     GATE_P 14, 1
        PRINTLN "done"
        EXIT 0
