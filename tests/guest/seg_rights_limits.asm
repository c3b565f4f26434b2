; qemu-differs: QEMU (TCG) checks no data-segment limits or rights on accesses (SDM Vol. 3A 5.3, 5.5)
; Segment rights and limits on access (SDM Vol. 3A 5.3, 5.5): write to a read-only data
; segment and through CS (#GP(0)), byte-granular limit, expand-down data segments (32- and
; 16-bit upper bound), use of a null-loaded ES (#GP(0)), stack-segment limit (#SS(0), taken from ring 3 so that delivery
; switches to the TSS stack). QEMU (TCG) checks neither limits nor rights on data
; accesses: this test's expected output follows the SDM (README.md).
%include "boot.inc"
%macro TRY 2+                           ; label, instruction
        RESUME %1
        %2
        PRINTLN "ok"
%1:
%endmacro
test_main:
        mov edi, gdt + 0x30             ; read-only data, flat
        xor eax, eax
        mov ecx, 0xFFFFF
        mov edx, 0xC090
        call set_desc
        mov edi, gdt + 0x38             ; RW data base 200000h limit FFFh (bytes)
        mov eax, 0x200000
        mov ecx, 0xFFF
        mov edx, 0x4092
        call set_desc
        mov edi, gdt + 0x40             ; expand-down RW, B=1, limit FFFh
        mov edx, 0x4096
        call set_desc
        mov edi, gdt + 0x48             ; expand-down RW, B=0 (upper bound FFFFh)
        mov edx, 0x0096
        call set_desc
        mov edi, gdt + 0x50             ; ring-3 stack: RW base 210000h limit FFFh, B=1
        mov eax, 0x210000
        mov edx, 0x40F2
        call set_desc
        mov ax, 0x30
        mov es, ax
        PRINTLN "read-only:"
        TRY .a1, mov eax, [es:0x2000]
        TRY .a2, mov [es:0x2000], eax
        PRINTLN "cs override:"
        TRY .a3, mov eax, [cs:0x2000]
        TRY .a4, mov [cs:0x2000], eax
        PRINTLN "limit fff:"
        mov ax, 0x38
        mov fs, ax
        TRY .b1, mov eax, [fs:0xFFC]
        TRY .b2, mov eax, [fs:0xFFD]
        TRY .b3, mov al, [fs:0x1000]
        PRINTLN "expand-down 32:"
        mov ax, 0x40
        mov gs, ax
        TRY .c1, mov eax, [gs:0x1000]
        TRY .c2, mov eax, [gs:0xFFF]
        TRY .c3, mov eax, [gs:0xFFFFFFFC]
        TRY .c4, mov eax, [gs:0xFFFFFFFE]
        PRINTLN "expand-down 16:"
        mov ax, 0x48
        mov gs, ax
        TRY .d1, mov eax, [gs:0xFFFC]
        TRY .d2, mov eax, [gs:0xFFFE]
        PRINTLN "null segment:"
        mov ax, 0x03
        mov es, ax
        TRY .n1, mov eax, [es:0x1000]
        PRINTLN "stack limit (ring 3):"
        RESUME .e1
        ENTER_RING3 .r3a
.r3a:   mov ax, 0x53
        mov ss, ax
        mov esp, 0x1000
        push eax
        mov ax, SEL_DATA3
        mov ds, ax
        PRINTLN "ok"
        int 0x30
.e1:    RESUME .e2
        ENTER_RING3 .r3b
.r3b:   mov ax, 0x53
        mov ss, ax
        mov esp, 0x1002
        push eax
        int 0x30
.e2:    EXIT 0
