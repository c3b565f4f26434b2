; A 1 MiB test disk for the PC tests (tests/sim/pc): the boot sector prints a line to
; COM1 with port I/O only (no BIOS call), reads the disk's second sector through INT 13h
; (which exercises SeaBIOS's ATA driver on our IDE model after the boot), prints the
; string it holds, and ends the run through isa-debug-exit with EXIT_CODE (default 0x2A).
; Build: nasm -f bin [-DEXIT_CODE=n] -o boot_hello.img boot_hello.asm
%ifndef EXIT_CODE
%define EXIT_CODE 0x2A
%endif
        bits 16
        org 0x7C00
start:  cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7C00
        mov [drive], dl
        mov si, hello
        call puts
        ; INT 13h AH=02h: read 1 sector, cylinder 0, head 0, sector 2, to 0000:0600.
        mov ax, 0x0201
        mov cx, 0x0002
        xor dh, dh
        mov dl, [drive]
        mov bx, 0x0600
        int 0x13
        jc .fail
        mov si, 0x0600
        call puts
        mov al, EXIT_CODE
        out 0xF4, al
.hang:  hlt
        jmp .hang
.fail:  mov si, failed
        call puts
        mov al, 0x7F
        out 0xF4, al
        jmp .hang

; Prints the NUL-terminated string at DS:SI on COM1, waiting for THRE (LSR bit 5).
puts:   lodsb
        test al, al
        jz .done
        mov ah, al
        mov dx, 0x3FD
.wait:  in al, dx
        test al, 0x20
        jz .wait
        mov al, ah
        mov dx, 0x3F8
        out dx, al
        jmp puts
.done:  ret

hello:  db "codemorph test boot sector", 13, 10, 0
failed: db "INT 13h read failed", 13, 10, 0
drive:  db 0
        times 510-($-$$) db 0
        dw 0xAA55
; Sector 2: what the boot sector reads back through the BIOS.
        db "sector 2 read through INT 13h", 13, 10, 0
        times 1024-($-$$) db 0
        times 1048576-($-$$) db 0
