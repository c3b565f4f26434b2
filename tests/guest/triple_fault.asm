; guest-test: exit=1 interp-only stderr=triple fault
; Triple fault (SDM Vol. 3A 6.15 "Interrupt 8": a fault while delivering #DF is a
; shutdown): #GP's and #DF's gates are not present, so #GP -> #NP -> #DF -> #NP. The
; interpreter stops with a one-line report (CS:EIP and the exception chain) and exit
; status 1; QEMU resets (or exits 0 with -no-reboot), so this test runs on the
; interpreter only.
%include "boot.inc"
test_main:
        PRINTLN "before"
        and byte [idt + 13 * 8 + 5], 0x7F
        and byte [idt + 8 * 8 + 5], 0x7F
        mov ax, 0x80
        mov ds, ax
        PRINTLN "after (unreachable)"
        EXIT 0
