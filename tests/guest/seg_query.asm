; qemu-differs: QEMU does not set the accessed bit of CS on a far JMP (SDM Vol. 3A 3.4.5.1: set on every segment-register load)
; Selector queries and descriptor side effects (SDM Vol. 2A LAR/LSL, 2B VERR/VERW/ARPL,
; SLDT/STR; Vol. 3A 3.4.5.1 accessed bit): results and ZF for valid and invalid selectors.
%include "boot.inc"
%macro ZF 0                             ; prints ZF of the flags pushed right after the insn
        pop eax
        shr eax, 6
        and eax, 1
        PRINT " zf "
        PUTHEX eax, 1
        call newline
%endmacro
test_main:
        mov edi, gdt + 0x30             ; RW data, accessed bit clear
        xor eax, eax
        mov ecx, 0xFFFFF
        mov edx, 0xC092
        call set_desc
        mov edi, gdt + 0x40             ; read-only data
        mov edx, 0xC090
        call set_desc
        mov edi, gdt + 0x48             ; execute-only code
        mov edx, 0xC098
        call set_desc
        PRINT "accessed before "
        movzx eax, byte [gdt + 0x35]
        PUTHEX eax, 2
        mov ax, 0x30
        mov fs, ax
        PRINT " after "
        movzx eax, byte [gdt + 0x35]
        PUTHEX eax, 2
        call newline
        PRINT "lar 08 "
        xor eax, eax
        mov bx, 0x08
        lar eax, bx
        pushfd
        PUTHEX eax, 8
        ZF
        PRINT "lar 28 "
        xor eax, eax
        lar eax, [sel_tss]
        pushfd
        PUTHEX eax, 8
        ZF
        PRINT "lar 80"
        mov bx, 0x80
        lar eax, bx
        pushfd
        ZF
        PRINT "lsl 28 "
        mov bx, 0x28
        lsl eax, bx
        pushfd
        PUTHEX eax, 8
        ZF
        PRINT "lsl 10 "
        mov bx, 0x10
        lsl eax, bx
        pushfd
        PUTHEX eax, 8
        ZF
        PRINT "verr 08"
        mov bx, 0x08
        verr bx
        pushfd
        ZF
        PRINT "verr 48"
        mov bx, 0x48
        verr bx
        pushfd
        ZF
        PRINT "verr 13"
        mov bx, 0x13
        verr bx
        pushfd
        ZF
        PRINT "verw 10"
        mov bx, 0x10
        verw bx
        pushfd
        ZF
        PRINT "verw 40"
        mov bx, 0x40
        verw bx
        pushfd
        ZF
        PRINT "verw 23"
        mov bx, 0x23
        verw bx
        pushfd
        ZF
        PRINT "arpl "
        mov ax, 0x10
        mov bx, 0x03
        arpl ax, bx
        pushfd
        movzx eax, ax
        PUTHEX eax, 4
        ZF
        PRINT "arpl again"
        mov ax, 0x13
        arpl ax, bx
        pushfd
        ZF
        PRINT "str "
        str eax
        PUTHEX eax, 8
        PRINT " sldt "
        sldt eax
        PUTHEX eax, 8
        call newline
        EXIT 0
sel_tss: dw 0x28
