# Demo for the reference ISS: count the primes below N with a sieve of Eratosthenes kept
# in guest memory. It exercises the host TLB (identity mapping set up with tlbwr), gated
# guest stores drained at commit points, store-to-load forwarding, an x86 condition-code
# atom with a flags branch, and the multiplier. The answer (1229 for N = 10000) is left
# in r1 when the core halts. Syntax: docs/assembler.md; atoms: docs/isa.md.

        .equ N,      10000
        .equ SIEVE,  0x10000            # guest linear address of the sieve (byte per number)
        .equ PAGES,  (N + 4095) / 4096

        .text
start:
        # Map the sieve's pages linear = physical, writable and dirty-ok (TLB attributes 7).
        { li r10, %lo(SIEVE) ; li r11, PAGES }
        { lih r10, %hi(SIEVE) ; li r13, 4096 }
map:    ori r12, r10, 7
        { add r10, r10, r13 ; tlbwr r10, r12 }      # tlbwr sees the old r10 (VLIW read-before-write)
        addi r11, r11, -1
        bnz r11, map

        # r1 = prime count, r2 = i, r3 = N, r9 = 1, r10 = sieve base
        { li r1, 0 ; li r2, 2 }
        { li r3, N ; li r9, 1 }
        { li r10, %lo(SIEVE) }
        { lih r10, %hi(SIEVE) } commit

outer:  add r4, r10, r2                        # &sieve[i]
        ldg8u r5, 0(r4)                         # forwarded from the store buffer if pending
        bnz r5, next
        { addi r1, r1, 1 ; mul r6, r2, r2 }     # a prime: count it, j = i * i
inner:  { add r8, r10, r6 ; sltu r7, r6, r3 }
        bz r7, next
        { add r6, r6, r2 ; stg8 r9, 0(r8) ; j inner } commit   # mark j composite; commit drains it
next:   addi r2, r2, 1
        sub.cc.32 r0, r2, r3                    # x86 CMP i, N
        bcc b, outer                            # JB: loop while i < N (unsigned)
        halt commit
