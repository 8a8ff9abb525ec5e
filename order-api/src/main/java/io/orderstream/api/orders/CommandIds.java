package io.orderstream.api.orders;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code requestId} and {@code commandId} of the commands this instance sends, without a
 * {@link SecureRandom} draw per id (two {@code UUID.randomUUID()} per command were a visible part of
 * the API's CPU).
 *
 * <p>What the ids are for: a requestId routes a result to the request waiting for it on this
 * instance, a commandId names the command in events ({@code causationId}) and logs. Neither is a
 * credential: no client ever presents one to the API, and a result can only be written by the
 * processor. So they must be unique, across instances and restarts, not secret. Each id is
 * <em>this instance's</em> 60 random bits (drawn once from {@code SecureRandom} at start) and a
 * 62-bit counter passed through a bijection keyed by 62 more random bits: unique within the instance
 * by construction (a bijection of distinct counters), unique across instances unless two instances
 * draw the same 60 bits (odds 2<sup>-60</sup> per pair), and not sequential to the eye, so that a 202
 * body does not tell a client how many commands the instance took. RFC 9562 version 8 (custom)
 * UUIDs, in the usual text form.
 */
final class CommandIds {

    private static final long MASK_62 = (1L << 62) - 1;

    private final long instance;
    private final long key;
    private final AtomicLong counter = new AtomicLong();

    CommandIds() {
        this(new SecureRandom());
    }

    CommandIds(SecureRandom random) {
        // version 8 in bits 12-15 of the high word
        this.instance = (random.nextLong() & ~0xF000L) | 0x8000L;
        this.key = random.nextLong() & MASK_62;
    }

    String next() {
        long x = counter.getAndIncrement() & MASK_62;
        // each step is a bijection of the 62-bit numbers: xor, an odd multiplier, a right xorshift
        x = (x ^ key) * 0x9E3779B97F4A7C15L & MASK_62;
        x ^= x >>> 31;
        x = x * 0xBF58476D1CE4E5B9L & MASK_62;
        x ^= x >>> 29;
        // variant 0b10 in the top bits of the low word
        return new UUID(instance, x | 0x8000_0000_0000_0000L).toString();
    }
}
