; Page faults (SDM Vol. 3A 4.7, 4.6): error codes P/W/U with CR2 for a not-present page
; (read, write, from ring 3), a read-only user page (supervisor write allowed with WP=0,
; #PF with WP=1, user write), a supervisor page from ring 3; a dword write that crosses
; into a not-present page faults with CR2 = that page and writes nothing; INVLPG after
; remapping a page makes the new mapping visible.
%include "boot.inc"
%include "paging.inc"
NP  equ 0x300000                        ; not present
RO  equ 0x301000                        ; user, read-only
SUP equ 0x302000                        ; supervisor, writable
%macro TRY0 2+
        RESUME %1
        %2
        PRINTLN "ok"
%1:
%endmacro
%macro TRY3 2+                          ; run one instruction at CPL 3
        RESUME %1
        ENTER_RING3 %%r3
%%r3:   mov ax, SEL_DATA3
        mov ds, ax
        mov es, ax
        %2
        PRINTLN "ok (ring 3)"
        int 0x30
%1:
%endmacro
test_main:
        call paging_identity_8m
        mov dword [PTE(NP)], 0
        mov dword [PTE(RO)], RO | 5
        mov dword [PTE(SUP)], SUP | 3
        PAGING_ON
        PRINTLN "supervisor:"
        TRY0 .a1, mov eax, [NP]
        TRY0 .a2, mov dword [NP + 4], 1
        TRY0 .a3, mov dword [RO], 1
        mov eax, cr0
        or eax, 0x10000                 ; CR0.WP
        mov cr0, eax
        TRY0 .a4, mov dword [RO], 2
        PRINTLN "user:"
        TRY3 .b1, mov eax, [RO]
        TRY3 .b2, mov dword [RO + 8], 3
        TRY3 .b3, mov eax, [SUP + 0x10]
        TRY3 .b4, mov eax, [NP + 0x20]
        TRY3 .b5, mov dword [NP + 0x24], 4
        PRINTLN "page-crossing write:"
        mov dword [NP - 4], 0x11223344
        TRY0 .c1, mov dword [NP - 2], 0xAABBCCDD
        PUTHEX [NP - 4], 8
        call newline
        PRINTLN "invlpg:"
        mov dword [0x200000], 0xAAAA0000
        mov dword [0x201000], 0xBBBB0000
        mov dword [PTE(0x303000)], 0x200000 | 3
        invlpg [0x303000]
        PUTHEX [0x303000], 8
        mov dword [PTE(0x303000)], 0x201000 | 3
        invlpg [0x303000]
        PRINT " "
        PUTHEX [0x303000], 8
        call newline
        EXIT 0
