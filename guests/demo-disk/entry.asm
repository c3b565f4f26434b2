; The demo program's entry and interrupt stubs (32-bit, linked first at 0x10000 by demo.ld).
; The boot sector jumps here in flat 32-bit protected mode with IF = 0. The stubs push a
; uniform frame (vector, error code or 0, then PUSHAD) and call isr_dispatch(frame*) in
; demo.c; see struct isr_frame there, which must match the push order below.

bits 32
section .text.entry
global _start
extern demo_main, isr_dispatch, __bss_start, __bss_end

_start:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, stack_top
    cld
    mov edi, __bss_start              ; .bss is not in the image: zero it
    mov ecx, __bss_end
    sub ecx, edi
    xor eax, eax
    rep stosb
    call demo_main
.hang:                                ; demo_main powers off; never reached
    cli
    hlt
    jmp .hang

section .text
%macro STUB_NOERR 1
isr_%1:
    push dword 0
    push dword %1
    jmp isr_common
%endmacro
%macro STUB_ERR 1                     ; the CPU pushed an error code (SDM Vol. 3A 6.13)
isr_%1:
    push dword %1
    jmp isr_common
%endmacro

%assign v 0
%rep 48
%if v == 8 || (v >= 10 && v <= 14) || v == 17
    STUB_ERR v
%else
    STUB_NOERR v
%endif
%assign v v + 1
%endrep

isr_common:
    pushad
    push esp                          ; struct isr_frame *
    call isr_dispatch
    add esp, 4
    popad
    add esp, 8                        ; vector, error code
    iretd

section .rodata
global isr_table
isr_table:                            ; vectors 0-47: exceptions, then the remapped PICs
%assign v 0
%rep 48
    dd isr_ %+ v
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits

section .bss
align 16
    resb 16384
stack_top:
