/* Entry of every suite kernel: the multiboot header (Multiboot 0.6.96 section 3.1; flags 0:
 * the loader takes the layout from the ELF program headers and zeroes .bss as p_memsz
 * says), then a stack of our own and kmain(). The loader enters in flat 32-bit protected
 * mode with interrupts off (section 3.2); kmain() ends the run through port F4h. */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0

        .section .multiboot, "a"
        .align 4
        .long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

        .text
        .globl _start
_start:
        movl $stack_top, %esp
        cld
        call kmain
1:      cli
        hlt
        jmp 1b

        .bss
        .align 16
        .skip 65536
stack_top:

        .section .note.GNU-stack, "", @progbits
