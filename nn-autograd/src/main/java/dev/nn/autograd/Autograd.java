package dev.nn.autograd;

/**
 * Switches that govern graph recording, each per thread and scoped: no-grad and anomaly detection.
 *
 * <pre>{@code
 * try (var scope = Autograd.noGrad()) {
 *     Tensor prediction = model.forward(x).value();   // no graph is recorded
 * }
 * }</pre>
 */
public final class Autograd {

    // Per thread: {graph recording on, anomaly detection on}.
    private static final ThreadLocal<boolean[]> SWITCHES = ThreadLocal.withInitial(() -> new boolean[] {true, false});
    private static final int GRAD = 0;
    private static final int ANOMALY = 1;

    private Autograd() {
    }

    /**
     * Disables graph recording on the calling thread until the returned scope is closed, which
     * restores the previous state (also when an exception leaves the block). Other threads are
     * not affected.
     */
    public static Scope noGrad() {
        return new Scope(GRAD, false, "noGrad");
    }

    /** Enables graph recording on the calling thread until the returned scope is closed. */
    public static Scope enableGrad() {
        return new Scope(GRAD, true, "enableGrad");
    }

    /** Returns whether operations on the calling thread are recorded in the graph. */
    public static boolean gradEnabled() {
        return SWITCHES.get()[GRAD];
    }

    /**
     * Turns anomaly detection on for the calling thread until the returned scope is closed (like
     * {@code torch.autograd.detect_anomaly()}). Within it, each operation remembers where it was
     * created and every gradient computed by backward is checked for NaN and infinity; the error
     * names the operation and that place. Off by default: it costs a stack walk per operation.
     * Backward checks when it runs inside such a scope; operations record their place when they
     * are made inside one.
     */
    public static Scope detectAnomaly() {
        return new Scope(ANOMALY, true, "detectAnomaly");
    }

    /** Returns whether anomaly detection is on for the calling thread. */
    public static boolean detectingAnomaly() {
        return SWITCHES.get()[ANOMALY];
    }

    /** A region with one switch set; closing it restores the switch's previous state. */
    public static final class Scope implements AutoCloseable {

        private final Thread owner = Thread.currentThread();
        private final int which;
        private final boolean previous;
        private final String name;
        private boolean closed;

        private Scope(int which, boolean value, String name) {
            boolean[] cell = SWITCHES.get();
            this.which = which;
            this.previous = cell[which];
            this.name = name;
            cell[which] = value;
        }

        /** Restores the state from before this scope opened; closing twice does nothing. */
        @Override
        public void close() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException(name + ": a scope must be closed on the thread that opened it ("
                        + owner.getName() + "), not on " + Thread.currentThread().getName());
            }
            if (!closed) {
                SWITCHES.get()[which] = previous;
                closed = true;
            }
        }
    }
}
