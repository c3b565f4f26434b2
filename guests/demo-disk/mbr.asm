; The demo disk's boot sector and, after it, the whole disk image (guests/README.md).
;
; Assembled with `nasm -f bin -I BUILDDIR/ -o demo.img mbr.asm`: the first 512 bytes are the
; MBR the BIOS loads at 0000:7C00 with DL = boot drive; the 32-bit program
; (demo-prog.bin, linked at PROG_BASE by demo.ld) follows from LBA 1 and the image is
; padded to DISK_BYTES. The MBR:
;   1. reads the program to PROG_BASE with INT 13h: the EDD extensions (AH=41h check,
;      AH=42h extended read, one call) and, if they are missing or fail, CHS reads of one
;      sector at a time with the geometry from AH=08h (so no read crosses a track or a
;      64 KiB DMA boundary);
;   2. enables A20: already on? else INT 15h AX=2401h, else port 92h bit 1 ("fast A20"),
;      else the 8042 output port (command D1h); each step verified by the 1 MiB wrap test;
;   3. loads a flat GDT (08h code, 10h data, base 0, limit 4 GiB), sets CR0.PE and jumps to
;      the program's entry (PROG_BASE) in 32-bit protected mode with interrupts off.
; Errors print one line on COM1 (and the screen through INT 10h) and halt.
; Invariants: PROG_SECTORS <= 127 (one EDD call; demo.ld asserts the size); the program must not
; overwrite 0x7C00-0x7DFF while it still uses this GDT (it lives at PROG_BASE and up).
; Assemble with -DFORCE_CHS to exercise the CHS path on a BIOS that has EDD.

bits 16
org 0x7C00

PROG_BASE   equ 0x10000              ; physical load address of the 32-bit program
PROG_SEG    equ PROG_BASE >> 4
DISK_BYTES  equ 1024 * 1024          ; 2048 sectors = 32 cylinders x 4 heads x 16 sectors
COM1        equ 0x3F8

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    jmp 0:.flat                       ; some BIOSes enter at 07C0:0000
.flat:
    sti
    cld
    mov [boot_drive], dl

%ifndef FORCE_CHS
    ; --- EDD: installation check, then one extended read (INT 13h AH=41h/42h) ---
    mov ah, 0x41
    mov bx, 0x55AA
    mov dl, [boot_drive]
    int 0x13
    jc chs_read
    cmp bx, 0xAA55
    jne chs_read
    test cl, 1                        ; bit 0: packet (AH=42h) interface supported
    jz chs_read
    mov si, dap
    mov ah, 0x42
    mov dl, [boot_drive]
    int 0x13
    jnc loaded
%endif

chs_read:
    ; --- CHS fallback: geometry from AH=08h, then one sector per AH=02h call ---
    mov ah, 0x08
    mov dl, [boot_drive]
    xor di, di                        ; ES:DI = 0 works around buggy BIOSes
    int 0x13
    jc disk_error
    and cx, 0x3F                      ; CL bits 0-5: sectors per track
    jz disk_error
    mov [spt], cx
    movzx dx, dh                      ; DH: highest head number
    inc dx
    mov [heads], dx
    mov word [lba], 1
    mov word [dest_seg], PROG_SEG
.next:
    mov ax, [lba]
    xor dx, dx
    div word [spt]                    ; AX = track, DX = sector - 1
    mov cl, dl
    inc cl                            ; CL bits 0-5 = sector
    xor dx, dx
    div word [heads]                  ; AX = cylinder, DX = head
    mov dh, dl
    mov ch, al                        ; CH = cylinder bits 0-7
    shl ah, 6
    or cl, ah                         ; CL bits 6-7 = cylinder bits 8-9
    mov di, 3                         ; tries
.retry:
    mov es, [dest_seg]
    xor bx, bx
    mov ax, 0x0201                    ; read one sector
    mov dl, [boot_drive]
    push cx
    push dx
    int 0x13
    pop dx
    pop cx
    jnc .ok
    xor ah, ah                        ; reset the drive and try again
    mov dl, [boot_drive]
    int 0x13
    dec di
    jnz .retry
    jmp disk_error
.ok:
    add word [dest_seg], 512 >> 4
    inc word [lba]
    cmp word [lba], PROG_SECTORS + 1
    jbe .next

loaded:
    xor ax, ax
    mov es, ax

    ; --- A20 ---
    call a20_on
    jnz a20_done
    mov ax, 0x2401
    int 0x15
    call a20_on
    jnz a20_done
    in al, 0x92
    or al, 2
    and al, 0xFE                      ; bit 0 would reset the machine
    out 0x92, al
    call a20_on
    jnz a20_done
    call kbc_wait
    mov al, 0xD1                      ; 8042: write output port
    out 0x64, al
    call kbc_wait
    mov al, 0xDF                      ; A20 on, reset line inactive
    out 0x60, al
    call kbc_wait
    call a20_on
    jnz a20_done
    mov si, msg_a20
    jmp fail
a20_done:

    ; --- 32-bit protected mode ---
    cli
    lgdt [gdt_desc]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword 0x08:pm32

; ZF = 0 if A20 is on: 0000:0500 and FFFF:0510 (= 0x100500) are different bytes. Tries a
; few times because port 92h/8042 may take effect late. Preserves everything but flags.
a20_on:
    push ax
    push cx
    push si
    push di
    push ds
    push es
    xor ax, ax
    mov ds, ax
    dec ax
    mov es, ax
    mov si, 0x0500
    mov di, 0x0510
    mov cx, 64
.try:
    mov al, [si]
    mov ah, [es:di]
    mov byte [si], 0x00
    mov byte [es:di], 0xFF
    cmp byte [si], 0xFF               ; written through the wrap -> A20 off
    mov [es:di], ah
    mov [si], al
    jne .done                         ; ZF = 0: on
    loop .try
    cmp ax, ax                        ; ZF = 1: off
.done:
    pop es
    pop ds
    pop di
    pop si
    pop cx
    pop ax
    ret

kbc_wait:                             ; until the 8042 input buffer is empty (bounded)
    push cx
    mov cx, 0xFFFF
.w: in al, 0x64
    test al, 2
    loopnz .w
    pop cx
    ret

disk_error:
    mov si, msg_disk
fail:                                 ; print DS:SI (NUL-terminated) on COM1 and screen, halt
    lodsb
    test al, al
    jz .halt
    mov ah, al
    mov dx, COM1 + 5
.thre:
    in al, dx
    test al, 0x20
    jz .thre
    mov dx, COM1
    mov al, ah
    out dx, al
    mov bx, 0x0007
    mov ah, 0x0E
    int 0x10
    jmp fail
.halt:
    cli
    hlt
    jmp .halt

bits 32
pm32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, 0x7C00
    movzx edx, byte [boot_drive]
    mov eax, PROG_BASE
    jmp eax

align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF             ; 08h: code, base 0, 4 GiB, 32-bit, DPL 0
    dq 0x00CF92000000FFFF             ; 10h: data, base 0, 4 GiB, 32-bit, DPL 0
gdt_desc:
    dw gdt_desc - gdt - 1
    dd gdt

dap:                                  ; EDD disk address packet (EDD 3.0, section 5.2)
    db 16, 0
    dw PROG_SECTORS
    dw 0, PROG_SEG                    ; buffer offset, segment
    dq 1                              ; first LBA

msg_disk: db "boot: disk error", 13, 10, 0
msg_a20:  db "boot: A20 error", 13, 10, 0

boot_drive: db 0
spt:        dw 0
heads:      dw 0
lba:        dw 0
dest_seg:   dw 0

    times 510 - ($ - $$) db 0         ; no partition table (the BIOSes boot any 55AAh sector)
    dw 0xAA55

prog_start:
    incbin "demo-prog.bin"
prog_end:
PROG_SECTORS equ (prog_end - prog_start + 511) / 512
    align 512, db 0
    times DISK_BYTES - ($ - $$) db 0
