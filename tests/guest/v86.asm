; Virtual-8086 mode (SDM Vol. 3A 20.2-20.3): IRET with VM=1 at CPL 0 enters V86 mode
; (segments = selector*16); CLI, PUSHF and INT n with IOPL < 3 raise #GP(0) into the
; ring-0 handler with the V86 frame (EFLAGS.VM=1, GS FS DS ES pushed, data segments null
; in the handler); with IOPL = 3, INT n goes through the IDT (DPL 3 gate) and IRET returns
; to V86 mode; IN/OUT always consult the I/O permission bitmap in V86 mode.
%include "boot.inc"
V86SEG equ 0xFFFF                       ; linear FFFF0h + offset reaches this image
%define V86OFF(x) ((x) - 0xFFFF0)
; Enter V86 at label %1 with EFLAGS %2 (VM set by the macro).
%macro ENTER_V86 2
        push dword 0                    ; GS
        push dword 0                    ; FS
        push dword V86SEG               ; DS
        push dword 0                    ; ES
        push dword 0                    ; SS
        push dword 0x7000               ; ESP
        push dword 0x20000 | %2
        push dword V86SEG               ; CS
        push dword V86OFF(%1)
        iret
%endmacro
test_main:
        mov edi, idt + 13 * 8           ; #GP handler that shows the V86 frame
        mov eax, v86_gp
        mov bx, SEL_CODE0
        mov dx, 0x008E
        call set_gate
        mov edi, idt + 0x31 * 8         ; INT 31h: DPL 3 interrupt gate
        mov eax, h31
        mov dx, 0x00EE
        call set_gate
        PRINTLN "iopl 0:"
        RESUME .p2
        ENTER_V86 v86_cli, 0x0002
.p2:    RESUME .p3
        ENTER_V86 v86_pushf, 0x0002
.p3:    RESUME .p4
        ENTER_V86 v86_int, 0x0002
.p4:    PRINTLN "iopl 3:"
        RESUME .p5
        ENTER_V86 v86_iopl3, 0x3002
.p5:    PRINTLN "done"
        EXIT 0

v86_gp: mov eax, ds                     ; null after the V86 -> ring 0 switch
        mov bx, SEL_DATA0
        mov ds, bx
        mov es, bx
        PRINT "gp err "
        PUTHEX [esp + 8], 4
        PRINT " cs "
        PUTHEX [esp + 8 + 8], 4
        PRINT " vm "
        mov ebx, [esp + 12]
        shr ebx, 17
        and ebx, 1
        PUTHEX ebx, 1
        PRINT " ds-in-handler "
        PUTHEX eax, 4
        PRINT " frame ds "
        PUTHEX [esp + 28 + 8], 4
        call newline
        jmp resume_gate

h31:    push eax
        mov ax, SEL_DATA0
        mov ds, ax
        PRINT "int 31 from v86: vm "
        mov eax, [esp + 12]
        shr eax, 17
        and eax, 1
        PUTHEX eax, 1
        PRINT " ip "
        PUTHEX [esp + 4 + 8], 4
        PRINT " ds "
        PUTHEX [esp + 28 + 8], 4
        call newline
        pop eax
        iret

        bits 16
v86_cli:
        mov al, 'v'
        out 0xE9, al
        mov al, 10
        out 0xE9, al
        cli
        jmp $
v86_pushf:
        pushf
        jmp $
v86_int:
        int 0x31
        jmp $
v86_iopl3:
        cli
        pushf
        pop ax
        int 0x31
.ret:   mov al, 'b'
        out 0xE9, al
        mov al, 10
        out 0xE9, al
        in al, 0x80                     ; permitted by the bitmap
        in al, 0x60                     ; not permitted: #GP(0) even with IOPL 3
        jmp $
        bits 32
