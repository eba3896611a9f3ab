package dev.nn.core.kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reusable barrier for the members of one {@link Parallel#team} job, which spin while they
 * wait: each runs on a core of its own, and the waits are short (a GEMM's members arrive
 * within a block of work of each other), far shorter than parking and waking a thread. After a
 * while a waiter also yields, so that with more threads than cores the member it waits for can
 * run.
 */
final class SpinBarrier {

    private static final int SPINS_BEFORE_YIELDING = 1 << 12;

    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int generation;
    private volatile Throwable failure;

    /**
     * Returns when all {@code size} members have called it as often as this one has.
     *
     * @throws IllegalStateException if another member failed (see {@link #fail}), with its exception as the cause
     */
    void await(int size) {
        int g = generation;
        if (arrived.incrementAndGet() == size) {
            arrived.set(0);
            generation = g + 1;     // after the reset, so a member passing on sees a fresh count
            return;
        }
        for (int spins = 0; generation == g; spins++) {
            Throwable f = failure;
            if (f != null) {
                throw new IllegalStateException("gemm: another thread of the product failed: " + f, f);
            }
            if (spins < SPINS_BEFORE_YIELDING) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** Releases every member waiting now or later, which then throw: a member failed with {@code cause}. */
    void fail(Throwable cause) {
        failure = cause;
    }
}
