; I/O permission in protected mode (SDM Vol. 1 18.5, Vol. 2B CLI/POPF): at CPL 3 with
; IOPL 0, IN/OUT/INS/OUTS consult the TSS I/O bitmap (ports E9h and 80h allowed, 60h and
; 81h denied; a word access needs both bits clear), CLI is #GP(0), POPF leaves IF alone;
; with IOPL 3 the bitmap is not consulted; a bitmap offset beyond the TSS limit denies all.
%include "boot.inc"
; RUN3 snippet, EFLAGS: run `snippet` at CPL 3; it ends with "ok" + INT 30h, or faults.
%macro RUN3 2
        RESUME %%next
        push dword SEL_DATA3
        push dword stack3_top
        push dword %2
        push dword SEL_CODE3
        push dword %1
        iret
%%next:
%endmacro
%macro R3 0
        mov ax, SEL_DATA3
        mov ds, ax
        mov es, ax
%endmacro
%macro OK3 0
        PRINTLN "ok"
        int 0x30
%endmacro
test_main:
        PRINTLN "iopl 0:"
        RUN3 s_out80, 0x0002
        RUN3 s_in60, 0x0002
        RUN3 s_in80w, 0x0002
        RUN3 s_in7fw, 0x0002
        RUN3 s_cli, 0x0002
        RUN3 s_popf, 0x0002
        RUN3 s_outsb, 0x0002
        RUN3 s_insb, 0x0002
        PRINTLN "iopl 3:"
        RUN3 s_in60, 0x3002
        RUN3 s_cli, 0x3002
        PRINTLN "bitmap beyond tss limit:"
        mov word [tss + 0x66], 0x2000
        RUN3 s_out80, 0x0002
        RUN3 s_out80, 0x3002
        EXIT 0

s_out80: R3
        out 0x80, al
        OK3
s_in60: R3
        in al, 0x60
        OK3
s_in80w: R3
        in ax, 0x80                     ; ports 80h and 81h: 81h denied
        OK3
s_in7fw: R3
        mov dx, 0x7F                    ; ports 7Fh and 80h: 7Fh denied
        in ax, dx
        OK3
s_cli:  R3
        cli
        OK3
s_popf: R3
        pushfd
        or dword [esp], 0x200
        popfd
        pushfd
        pop eax
        PRINT "popf if "
        shr eax, 9
        and eax, 1
        PUTHEX eax, 1
        call newline
        OK3
s_outsb: R3
        mov esi, byte_e9
        mov dx, 0xE9
        outsb                           ; allowed: prints '*'
        call newline
        mov dx, 0x60
        outsb                           ; denied
        OK3
s_insb: R3
        mov edi, scratch
        mov dx, 0x61
        insb
        OK3
byte_e9: db '*', 0
scratch: dd 0
