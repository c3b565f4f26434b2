; Interrupt and trap gates from ring 3 (SDM Vol. 3A 6.12.1): INT 40h through a 32-bit
; interrupt gate (DPL 3) switches to the TSS ring-0 stack, pushes SS ESP EFLAGS CS EIP,
; clears IF; IRET returns to ring 3 with the old stack and IF; INT 41h through a trap gate
; keeps IF; INT 42h through a DPL 0 gate is #GP(42h*8+2) from ring 3.
%include "boot.inc"
test_main:
        mov edi, idt + 0x40 * 8
        mov eax, h40
        mov bx, SEL_CODE0
        mov dx, 0x00EE                  ; interrupt gate, DPL 3
        call set_gate
        mov edi, idt + 0x41 * 8
        mov eax, h41
        mov dx, 0x00EF                  ; trap gate, DPL 3
        call set_gate
        mov edi, idt + 0x42 * 8
        mov eax, h41
        mov dx, 0x008E                  ; interrupt gate, DPL 0
        call set_gate
        push dword SEL_DATA3
        push dword stack3_top
        push dword 0x00000202           ; IF = 1 (the 8259s are masked)
        push dword SEL_CODE3
        push dword ring3
        iret
ring3:  mov ax, SEL_DATA3
        mov ds, ax
        mov es, ax
        mov [r3_esp], esp
        mov eax, 0x12345678
        int 0x40
.after40:
        PRINT "back: eax "
        PUTHEX eax, 8
        PRINT " cs "
        mov eax, cs
        PUTHEX eax, 4
        PRINT " esp same "
        cmp esp, [r3_esp]
        sete al
        movzx eax, al
        PUTHEX eax, 1
        PRINT " if "
        pushfd
        pop eax
        shr eax, 9
        and eax, 1
        PUTHEX eax, 1
        call newline
        int 0x41
        RESUME done
        int 0x42
        PRINTLN "no fault"
done:   PRINTLN "done"
        EXIT 0

h40:    push eax
        PRINT "int 40: cs "
        mov eax, cs
        PUTHEX eax, 4
        PRINT " ss "
        mov eax, ss
        PUTHEX eax, 4
        PRINT " depth "
        mov eax, stack0_top
        sub eax, esp
        PUTHEX eax, 2                   ; 5 dwords + our push = 18h
        PRINT " eip "
        mov eax, [esp + 4]
        cmp eax, ring3.after40
        sete al
        movzx eax, al
        PUTHEX eax, 1
        PRINT " cs3 "
        PUTHEX [esp + 8 + 8], 4         ; PUTHEX pushes 2 dwords first
        PRINT " fl.if "
        mov eax, [esp + 12]
        shr eax, 9
        and eax, 1
        PUTHEX eax, 1
        PRINT " ss3 "
        PUTHEX [esp + 20 + 8], 4
        PRINT " if "
        pushfd
        pop eax
        shr eax, 9
        and eax, 1
        PUTHEX eax, 1
        call newline
        pop eax
        iret

h41:    push eax
        PRINT "int 41 (trap gate): if "
        pushfd
        pop eax
        shr eax, 9
        and eax, 1
        PUTHEX eax, 1
        call newline
        pop eax
        iret
r3_esp: dd 0
