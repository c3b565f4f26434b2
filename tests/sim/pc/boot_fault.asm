; Boot sectors that end badly, for the PC's error paths (tests/sim/pc):
;   default:   loads an empty IDT (limit 0) and executes INT3: #GP on the IDT limit, then
;              #DF, then shutdown = a triple fault (SDM Vol. 3A 6.15, interrupt 8);
;   -DSPIN:    prints a line on COM1 and spins forever with interrupts off, so only
;              --max-cycles ends the run.
; Build: nasm -f bin [-DSPIN] -o IMAGE boot_fault.asm (a 64 KiB disk).
        bits 16
        org 0x7C00
start:  cli
        xor ax, ax
        mov ds, ax
%ifdef SPIN
        mov si, msg
.next:  lodsb
        test al, al
        jz .spin
        mov dx, 0x3F8
        out dx, al
        jmp .next
.spin:  jmp .spin
msg:    db "spinning", 13, 10, 0
%else
        lidt [idt]
        int3
        jmp $
idt:    dw 0        ; limit 0: every vector is outside the IDT
        dd 0
%endif
        times 510-($-$$) db 0
        dw 0xAA55
        times 65536-($-$$) db 0
