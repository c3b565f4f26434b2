; Accessed and dirty bits (SDM Vol. 3A 4.8): a read sets A in the PDE and the PTE but not
; D; a write sets D; an instruction fetch sets A. Every PTE change is followed by INVLPG.
%include "boot.inc"
%include "paging.inc"
PG1 equ 0x304000
%macro SHOW 1
        PRINT %1
        mov eax, [PTE(PG1)]
        and eax, 0x60
        PUTHEX eax, 2
        PRINT " pde "
        mov eax, [PDE(PG1)]
        and eax, 0x60
        PUTHEX eax, 2
        call newline
%endmacro
test_main:
        call paging_identity_8m
        PAGING_ON
        and dword [PTE(PG1)], ~0x60
        and dword [PDE(PG1)], ~0x60
        mov eax, cr3                    ; flush everything
        mov cr3, eax
        SHOW "initial pte "
        mov eax, [PG1]
        SHOW "after read pte "
        mov dword [PG1], 1
        SHOW "after write pte "
        ; execute from PG1: copy a RET there, clear A/D, call it
        mov byte [PG1 + 0x100], 0xC3
        and dword [PTE(PG1)], ~0x60
        invlpg [PG1]
        call PG1 + 0x100
        SHOW "after fetch pte "
        EXIT 0
