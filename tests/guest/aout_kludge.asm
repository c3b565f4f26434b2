; guest-test: aout
; The a.out-kludge multiboot path: this image is a flat binary (nasm -f bin) whose header
; gives load/entry addresses (Multiboot 0.6.96 3.1.3); prints and exits 0.
%include "boot.inc"
test_main:
        PRINTLN "a.out kludge image running"
        mov eax, test_main
        PRINT "entry area "
        shr eax, 20
        PUTHEX eax, 3
        call newline
        EXIT 0
