; qemu-differs: QEMU reports RSVD without P (error 8); SDM Vol. 3A 4.7: P=0 only for a not-present entry, so 9
; 4 MiB pages (SDM Vol. 3A 4.3, CR4.PSE): a PDE with PS=1 maps 4 MiB; A and D are set in
; that PDE; a 4 MiB PDE with a reserved bit (21) set faults with RSVD|P (error 9); U/S on
; a 4 MiB page is checked from ring 3 (error 5).
%include "boot.inc"
%include "paging.inc"
BIG  equ 0x800000                       ; PDE 2: alias of 0-4 MiB
BAD  equ 0xC00000                       ; PDE 3: reserved bit set
SUPB equ 0x1000000                      ; PDE 4: supervisor-only alias
test_main:
        call paging_identity_8m
        mov eax, cr4
        or eax, 0x10                    ; CR4.PSE
        mov cr4, eax
        mov dword [PDE(BIG)], 0x00000000 | 0x87
        mov dword [PDE(BAD)], 0x00200000 | 0x87
        mov dword [PDE(SUPB)], 0x00000000 | 0x83
        PAGING_ON
        mov dword [marker], 0x5A5AA5A5
        PRINT "alias read "
        mov eax, [BIG + marker]
        PUTHEX eax, 8
        PRINT " pde "
        mov eax, [PDE(BIG)]
        and eax, 0x60
        PUTHEX eax, 2
        mov dword [BIG + marker], 0x12345678
        PRINT " after write "
        mov eax, [PDE(BIG)]
        and eax, 0x60
        PUTHEX eax, 2
        PRINT " marker "
        PUTHEX [marker], 8
        call newline
        RESUME .r1
        mov eax, [BAD]
        PRINTLN "no fault"
.r1:    RESUME .r2
        ENTER_RING3 .u
.u:     mov ax, SEL_DATA3
        mov ds, ax
        mov eax, [SUPB + marker]
        PRINTLN "no fault"
        int 0x30
.r2:    PRINTLN "done"
        EXIT 0
marker: dd 0
