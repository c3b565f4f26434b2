/* The demo disk's 32-bit program (guests/README.md). Entered from the boot sector in flat
 * protected mode with IF = 0 (entry.asm zeroes .bss and calls demo_main). In order:
 * COM1 16550 init, A20 check, paging (identity map of 0-4 MiB plus a non-identity window),
 * IDT, 8259A remap, 8254 channel 0 at 1 kHz on IRQ0, the workload with interrupts on, a
 * STI/HLT wait for ticks, power-off through isa-debug-exit (port F4h) and Bochs's shutdown
 * port (8900h). Everything printed must be identical on QEMU, Bochs and codemorph: no value
 * that depends on how fast the host runs (such as the number of ticks during the workload).
 * Output lines end in "\n" only (QEMU's stdio chardev keeps OPOST, terminals look right). */
#include <stdint.h>

#include "workload.h"

#define COM1 0x3F8
#define PIC1 0x20
#define PIC2 0xA0
#define PIT_HZ 1193182u
#define TICK_HZ 1000u
#define TICKS_WANTED 10u
#define EXIT_PORT 0xF4
#define ALIAS_VIRT 0x40000000u /* the sieve lives here, mapped page-reversed onto... */
#define ALIAS_PHYS 0x00200000u /* ...these 8 physical pages */
#define ALIAS_PAGES (SIEVE_LIMIT / 4096u)

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) {
  uint8_t v;
  __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}

/* ---- COM1 (16550A), polled: wait for THR empty (LSR bit 5) before each byte ---- */
static void serial_init(void) {
  outb(COM1 + 1, 0x00); /* IER: no interrupts */
  outb(COM1 + 3, 0x80); /* LCR: DLAB */
  outb(COM1 + 0, 0x01); /* divisor 1: 115200 baud */
  outb(COM1 + 1, 0x00);
  outb(COM1 + 3, 0x03); /* 8N1 */
  outb(COM1 + 2, 0xC7); /* FIFO on, cleared, 14-byte trigger */
  outb(COM1 + 4, 0x03); /* DTR RTS; OUT2 off: the UART raises no IRQ */
}
static void putc_serial(char c) {
  while (!(inb(COM1 + 5) & 0x20)) {
  }
  outb(COM1, (uint8_t)c);
}
static void puts_serial(const char *s) {
  while (*s) putc_serial(*s++);
}
static void putx_serial(uint32_t v) {
  puts_serial("0x");
  for (int i = 28; i >= 0; i -= 4) putc_serial("0123456789abcdef"[(v >> i) & 15]);
}
static void putu_serial(uint32_t v) {
  char b[11];
  int n = 0;
  do b[n++] = (char)('0' + v % 10); while (v /= 10);
  while (n) putc_serial(b[--n]);
}

/* ---- power off: our simulator and QEMU stop at F4h, Bochs at the 8900h "Shutdown" ---- */
static __attribute__((noreturn)) void power_off(uint8_t code) {
  while (!(inb(COM1 + 5) & 0x40)) { /* LSR.TEMT: the last byte has left the UART */
  }
  outb(EXIT_PORT, code); /* codemorph: exit status = code; QEMU: (code << 1) | 1 */
  for (const char *s = "Shutdown"; *s; ++s) __asm__ volatile("outb %0, %1" : : "a"(*s), "d"((uint16_t)0x8900));
  for (;;) __asm__ volatile("cli; hlt");
}

static __attribute__((noreturn)) void fail(const char *what) {
  puts_serial("FAIL: ");
  puts_serial(what);
  puts_serial("\n");
  power_off(1);
}

/* ---- paging: 0-4 MiB identity, ALIAS_VIRT..+32 KiB -> ALIAS_PHYS pages in reverse ---- */
static uint32_t page_dir[1024] __attribute__((aligned(4096)));
static uint32_t pt_low[1024] __attribute__((aligned(4096)));
static uint32_t pt_alias[1024] __attribute__((aligned(4096)));

static void paging_init(void) {
  for (uint32_t i = 0; i < 1024; ++i) pt_low[i] = (i << 12) | 3; /* present, writable */
  pt_low[0] = 0;                                                /* page 0 unmapped: catches NULL */
  for (uint32_t i = 0; i < ALIAS_PAGES; ++i) pt_alias[i] = (ALIAS_PHYS + (ALIAS_PAGES - 1 - i) * 4096u) | 3;
  page_dir[0] = (uint32_t)pt_low | 3;
  page_dir[ALIAS_VIRT >> 22] = (uint32_t)pt_alias | 3;
  __asm__ volatile("movl %0, %%cr3" : : "r"(page_dir) : "memory");
  uint32_t cr0;
  __asm__ volatile("movl %%cr0, %0" : "=r"(cr0));
  __asm__ volatile("movl %0, %%cr0" : : "r"(cr0 | 0x80000000u) : "memory");
}

/* ---- IDT: vectors 0-31 exceptions, 32-47 the remapped 8259A pair ---- */
struct isr_frame { /* entry.asm's push order, lowest address first */
  uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
  uint32_t vector, error, eip, cs, eflags;
};
extern const uint32_t isr_table[48];
static uint64_t idt[48];
static volatile uint32_t ticks;

void isr_dispatch(struct isr_frame *f) {
  if (f->vector == 32) { /* IRQ0: PIT channel 0 */
    ++ticks;
    outb(PIC1, 0x20); /* non-specific EOI */
    return;
  }
  if (f->vector >= 32) { /* masked lines: only spurious IRQ7/15 can arrive, no EOI (8259A) */
    return;
  }
  puts_serial("exception ");
  putu_serial(f->vector);
  puts_serial(" error ");
  putx_serial(f->error);
  puts_serial(" eip ");
  putx_serial(f->eip);
  if (f->vector == 14) {
    uint32_t cr2;
    __asm__ volatile("movl %%cr2, %0" : "=r"(cr2));
    puts_serial(" cr2 ");
    putx_serial(cr2);
  }
  puts_serial("\n");
  power_off(2);
}

static void idt_init(void) {
  for (int v = 0; v < 48; ++v) {
    const uint32_t h = isr_table[v];
    /* 32-bit interrupt gate, DPL 0, present, selector 08h (SDM Vol. 3A Figure 6-2) */
    idt[v] = (uint64_t)(h & 0xFFFFu) | (uint64_t)0x08u << 16 | (uint64_t)0x8E00u << 32 |
             (uint64_t)(h >> 16) << 48;
  }
  struct __attribute__((packed)) {
    uint16_t limit;
    uint32_t base;
  } idtr = {sizeof idt - 1, (uint32_t)idt};
  __asm__ volatile("lidt %0" : : "m"(idtr));
}

/* 8259A pair: ICW1-ICW4, master at 20h (IRQ0-7), slave at 28h (IRQ8-15), cascade on IRQ2;
 * every line masked except IRQ0. */
static void pic_init(void) {
  outb(PIC1, 0x11);
  outb(PIC2, 0x11);
  outb(PIC1 + 1, 0x20);
  outb(PIC2 + 1, 0x28);
  outb(PIC1 + 1, 0x04);
  outb(PIC2 + 1, 0x02);
  outb(PIC1 + 1, 0x01);
  outb(PIC2 + 1, 0x01);
  outb(PIC1 + 1, 0xFE);
  outb(PIC2 + 1, 0xFF);
}

/* 8254 channel 0, mode 2 (rate generator), binary, lobyte/hibyte. */
static void pit_init(void) {
  const uint16_t divisor = (uint16_t)((PIT_HZ + TICK_HZ / 2) / TICK_HZ);
  outb(0x43, 0x34);
  outb(0x40, (uint8_t)(divisor & 0xFF));
  outb(0x40, (uint8_t)(divisor >> 8));
}

/* A20 as the program sees it: 0x100000 and 0x000000 are different bytes (page 0 is unmapped
 * once paging is on, so this runs before). */
static int a20_enabled(void) {
  volatile uint8_t *lo = (volatile uint8_t *)0x000600, *hi = (volatile uint8_t *)0x100600;
  __asm__("" : "+r"(lo), "+r"(hi)); /* fixed addresses: keep -Warray-bounds quiet */
  const uint8_t a = *lo, b = *hi;
  *lo = 0x5A;
  *hi = 0xA5;
  const int on = *lo == 0x5A;
  *hi = b;
  *lo = a;
  return on;
}

static char lines[256];

void __attribute__((noreturn)) demo_main(void) {
  serial_init();
  puts_serial("codemorph demo disk: 32-bit protected mode\n");
  if (!a20_enabled()) fail("A20 is off");
  puts_serial("a20: on\n");

  paging_init();
  puts_serial("paging: on, 0-4 MiB identity, ");
  putx_serial(ALIAS_VIRT);
  puts_serial(" -> ");
  putx_serial(ALIAS_PHYS);
  puts_serial(" in reverse page order\n");

  idt_init();
  pic_init();
  pit_init();
  puts_serial("pic: irq0-15 at vectors 32-47, pit: 1000 Hz on irq0\n");

  __asm__ volatile("sti");
  uint8_t *sieve = (uint8_t *)ALIAS_VIRT;
  workload_lines(sieve, lines, sizeof lines);
  puts_serial(lines);

  /* The non-identity mapping really is one: virtual page i is physical page 7 - i. */
  const uint32_t want = crc32_bytes(sieve, SIEVE_LIMIT);
  for (uint32_t i = 0; i < ALIAS_PAGES; ++i) {
    const uint8_t *phys = (const uint8_t *)(ALIAS_PHYS + (ALIAS_PAGES - 1 - i) * 4096u);
    const uint8_t *virt = sieve + i * 4096u;
    for (uint32_t j = 0; j < 4096u; ++j)
      if (phys[j] != virt[j]) fail("alias page differs from its physical page");
  }
  if (crc32_bytes(sieve, SIEVE_LIMIT) != want) fail("sieve changed");
  puts_serial("paging: alias view matches the physical pages\n");

  for (;;) { /* STI's interrupt shadow covers HLT: no tick lost between test and halt */
    __asm__ volatile("cli");
    if (ticks >= TICKS_WANTED) break;
    __asm__ volatile("sti; hlt");
  }
  puts_serial("timer: ticks>=");
  putu_serial(TICKS_WANTED);
  puts_serial(" ok\n");

  outb(PIC1 + 1, 0xFF); /* quiet for the power-off */
  puts_serial("power off\n");
  power_off(0);
}
