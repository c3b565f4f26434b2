; Smoke test: the multiboot loader entered in 32-bit protected mode with EAX = 2BADB002h,
; the skeleton's GDT/IDT/TSS load, port E9h prints, a #UD reports through the IDT and the
; test resumes, and isa-debug-exit ends the run with status 0.
%include "boot.inc"
test_main:
        PRINTLN "hello from the guest"
        mov eax, cr0
        PRINT "cr0.pe "
        and eax, 1
        PUTHEX eax, 1
        call newline
        RESUME .after_ud
        ud2
.after_ud:
        PRINTLN "resumed"
        EXIT 0
