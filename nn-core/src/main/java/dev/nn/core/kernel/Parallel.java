package dev.nn.core.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * A fork/join pool of a fixed number of threads that runs numbered tasks.
 *
 * <p>Callers split their work into tasks by fixed-size chunks of data and never combine
 * partial results in completion order, so results do not depend on the thread count.
 * {@code -Dnn.threads=N} sets the shared pool's size (default: available processors).
 */
public final class Parallel {

    /** The system property that sets the shared pool's thread count. */
    public static final String PROPERTY = "nn.threads";

    private static final Parallel SHARED = new Parallel(defaultThreads());

    private final int threads;
    private final ForkJoinPool pool;

    /**
     * Creates a pool of {@code threads} threads (daemon threads named {@code nn-worker-N});
     * with one thread, tasks run on the calling thread.
     */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("parallel: threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads, Parallel::newWorker, null, false);
    }

    /** Returns the pool shared by all tensor operations, sized by {@code -Dnn.threads}. */
    public static Parallel shared() {
        return SHARED;
    }

    /** Returns the number of threads. */
    public int threads() {
        return threads;
    }

    /** Runs {@code body.accept(t)} for every {@code t < tasks}, in parallel when there are threads to spare. */
    public void forEach(int tasks, IntConsumer body) {
        if (pool == null || tasks <= 1) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        pool.invoke(new Range(0, tasks, body));
    }

    private static int defaultThreads() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("parallel: -D" + PROPERTY + " must be a positive integer, got " + value);
    }

    private static ForkJoinWorkerThread newWorker(ForkJoinPool pool) {
        ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        thread.setName("nn-worker-" + thread.getPoolIndex());
        thread.setDaemon(true);
        return thread;
    }

    private static final class Range extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final int from;
        private final int to;
        private final transient IntConsumer body;

        Range(int from, int to, IntConsumer body) {
            this.from = from;
            this.to = to;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                body.accept(from);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Range(from, mid, body), new Range(mid, to, body));
        }
    }
}
