; A boot sector that resets the PC three times, once through each reset source, and then
; exits (isa-debug-exit 0x33). The step is kept in CMOS RAM byte 0x50, which no reset
; clears: 0 -> reset control 0xCF9 (SRST|RCPU, a hard reset), 1 -> the 8042's pulse
; command 0xFE, 2 -> port 0x92 bit 0 (INIT). Every reset restarts SeaBIOS from the reset
; vector, which boots this sector again. Each boot prints "boot N" on COM1.
; Build: nasm -f bin -o boot_reset.img boot_reset.asm (a 64 KiB disk).
        bits 16
        org 0x7C00
start:  cli
        xor ax, ax
        mov ds, ax
        mov al, 0x50
        out 0x70, al
        in al, 0x71
        mov bl, al              ; bl = step
        mov al, 'b'
        call putc
        mov al, bl
        add al, '0'
        call putc
        mov al, 10
        call putc
        cmp bl, 3
        je .done
        mov al, 0x50
        out 0x70, al
        mov al, bl
        inc al
        out 0x71, al
        cmp bl, 0
        je .cf9
        cmp bl, 1
        je .kbc
        in al, 0x92             ; step 2: port 0x92 fast reset (bit 0 rising)
        and al, 0xFE
        out 0x92, al
        or al, 1
        out 0x92, al
        jmp .hang
.cf9:   mov dx, 0xCF9
        mov al, 0x02
        out dx, al
        mov al, 0x06
        out dx, al
        jmp .hang
.kbc:   mov al, 0xFE
        out 0x64, al
.hang:  hlt
        jmp .hang
.done:  mov al, 0x33
        out 0xF4, al
        jmp .hang

putc:   mov dx, 0x3F8
        out dx, al
        ret

        times 510-($-$$) db 0
        dw 0xAA55
        times 65536-($-$$) db 0
