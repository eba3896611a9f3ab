package dev.nn.autograd;

/**
 * Switches that govern graph recording: no-grad scopes (per thread) and anomaly detection.
 *
 * <pre>{@code
 * try (var scope = Autograd.noGrad()) {
 *     Tensor prediction = model.forward(x).value();   // no graph is recorded
 * }
 * }</pre>
 */
public final class Autograd {

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});
    private static volatile boolean detectAnomaly;

    private Autograd() {
    }

    /**
     * Disables graph recording on the calling thread until the returned scope is closed, which
     * restores the previous state (also when an exception leaves the block). Other threads are
     * not affected.
     */
    public static Scope noGrad() {
        return new Scope(false);
    }

    /** Enables graph recording on the calling thread until the returned scope is closed. */
    public static Scope enableGrad() {
        return new Scope(true);
    }

    /** Returns whether operations on the calling thread are recorded in the graph. */
    public static boolean gradEnabled() {
        return ENABLED.get()[0];
    }

    /**
     * Turns anomaly detection on or off for all threads. When on, each operation remembers where
     * it was created and every gradient computed by backward is checked for NaN and infinity; the
     * error names the operation and that place. Off by default: it costs a stack walk per operation.
     */
    public static void detectAnomaly(boolean on) {
        detectAnomaly = on;
    }

    /** Returns whether anomaly detection is on. */
    public static boolean detectingAnomaly() {
        return detectAnomaly;
    }

    /** A region with graph recording switched on or off; closing it restores the previous state. */
    public static final class Scope implements AutoCloseable {

        private final Thread owner = Thread.currentThread();
        private final boolean previous;
        private boolean closed;

        private Scope(boolean enabled) {
            boolean[] cell = ENABLED.get();
            previous = cell[0];
            cell[0] = enabled;
        }

        /** Restores the state from before this scope opened; closing twice does nothing. */
        @Override
        public void close() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("noGrad: a scope must be closed on the thread that opened it ("
                        + owner.getName() + "), not on " + Thread.currentThread().getName());
            }
            if (!closed) {
                ENABLED.get()[0] = previous;
                closed = true;
            }
        }
    }
}
