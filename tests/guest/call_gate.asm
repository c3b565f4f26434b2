; Call gates (SDM Vol. 3A 5.8.3-5.8.6): a far CALL from ring 3 through a 32-bit call gate
; (DPL 3, 2 parameters) to ring 0 switches to the TSS stack and copies the parameters
; (Figure 5-13); RETF 8 returns to ring 3, restores SS:ESP and nulls ES (DPL 0 data);
; a gate with DPL 0 is #GP(gate) from ring 3; JMP through a gate to a more privileged
; non-conforming segment is #GP(code selector).
%include "boot.inc"
test_main:
        mov edi, gdt + 0x30             ; call gate: DPL 3, 2 dwords, -> 08:gate_target
        mov eax, gate_target
        mov bx, SEL_CODE0
        mov dx, 0x02EC
        call set_gate
        mov edi, gdt + 0x38             ; call gate with DPL 0
        mov dx, 0x028C
        call set_gate
        ENTER_RING3 ring3
ring3:  mov ax, SEL_DATA3
        mov ds, ax
        mov es, ax
        PRINTLN "ring 3"
        push dword 0x11111111
        push dword 0x22222222
        mov [r3_esp], esp
        call 0x33:0
.ret:   PRINT "back in ring 3, cs "
        mov eax, cs
        PUTHEX eax, 4
        PRINT " es "
        mov eax, es
        PUTHEX eax, 4
        PRINT " esp+8 "
        mov eax, esp
        sub eax, [r3_esp]
        PUTHEX eax, 2
        call newline
        RESUME .gp1
        call 0x3B:0                     ; DPL 0 gate: #GP(38)
.gp1:   ; (resumed at ring 0)
        RESUME .gp2
        ENTER_RING3 .r3jmp
.r3jmp: jmp 0x33:0                      ; JMP via gate to DPL 0 code: #GP(08)
.gp2:   PRINTLN "done"
        EXIT 0

gate_target:
        PRINT "ring 0 via gate: cs "
        mov eax, cs
        PUTHEX eax, 4
        PRINT " ss "
        mov eax, ss
        PUTHEX eax, 4
        PRINT " frame"
        mov ecx, 6
        mov esi, esp
.f:     PRINT " "
        mov eax, [esi]
        cmp ecx, 6                      ; EIP: print as "ret ok"/"ret bad"
        jne .p
        cmp eax, ring3.ret
        je .ok
        PRINT "ret bad"
        jmp .n
.ok:    PRINT "ret"
        jmp .n
.p:     cmp ecx, 2                      ; caller ESP: relative to what ring 3 saw
        jne .q
        sub eax, [r3_esp]
        PUTHEX eax, 1
        jmp .n
.q:     PUTHEX eax, 8
.n:     add esi, 4
        loop .f
        call newline
        PRINT "esp0 - esp "
        mov eax, stack0_top
        sub eax, esp
        PUTHEX eax, 2
        call newline
        mov ax, SEL_DATA0
        mov es, ax
        retf 8
r3_esp: dd 0
