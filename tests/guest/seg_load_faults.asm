; Segment-register loads in protected mode and their error codes (SDM Vol. 2B MOV
; "Protected Mode Exceptions", Vol. 3A 5.4-5.5, 6.13): selector beyond the GDT limit,
; system descriptor, SS privilege/type, not-present data (#NP) and stack (#SS), execute-only
; code into DS, LDT selector with a null LDTR, RPL > DPL, null SS; a null DS loads.
%include "boot.inc"
test_main:
        mov edi, gdt + 0x30             ; not-present RW data
        xor eax, eax
        mov ecx, 0xFFFFF
        mov edx, 0xC012
        call set_desc
        mov edi, gdt + 0x40             ; read-only data
        mov edx, 0xC090
        call set_desc
        mov edi, gdt + 0x48             ; execute-only code
        mov edx, 0xC098
        call set_desc
        xor eax, eax
        lldt ax                         ; null LDTR: LDT selectors are invalid
%macro TRY_LOAD 2                       ; sreg, selector
        RESUME %%next
        mov ax, %2
        mov %1, ax
        mov ax, SEL_DATA0
        mov %1, ax
        PRINTLN "no fault"
%%next:
%endmacro
        TRY_LOAD ds, 0x80               ; beyond limit: #GP(80)
        TRY_LOAD ds, 0x28               ; TSS: #GP(28)
        TRY_LOAD ss, 0x20               ; DPL 3 data at CPL 0: #GP(20)
        TRY_LOAD ss, 0x40               ; read-only: #GP(40)
        TRY_LOAD ds, 0x30               ; not present: #NP(30)
        TRY_LOAD ss, 0x30               ; not present stack: #SS(30)
        TRY_LOAD es, 0x48               ; execute-only code: #GP(48)
        TRY_LOAD fs, 0x0C               ; LDT selector, null LDTR: #GP(0C)
        TRY_LOAD gs, 0x13               ; RPL 3 > DPL 0: #GP(10)
        TRY_LOAD ss, 0x00               ; null SS: #GP(0)
        TRY_LOAD ds, 0x03               ; a null DS loads fine (using it: seg_rights_limits)
        PRINTLN "done"
        EXIT 0
