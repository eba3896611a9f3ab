package dev.nn.core.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed set of threads that runs numbered tasks: the calling thread plus {@code threads - 1}
 * daemon workers named {@code <name>-worker-N}, until {@link #close} stops them.
 *
 * <p>Why not a {@code ForkJoinPool}: waking a parked thread costs 80-100 µs on these virtual
 * machines, as much as a whole mid-sized GEMM. Workers here spin for {@value #SPIN_MICROS} µs
 * after each job before parking, so back-to-back kernel calls in a training step find them
 * awake, as OpenBLAS's threads do. One job runs at a time; a call made while the workers are
 * busy (another thread's job) or from inside a task runs serially on its caller.
 *
 * <p>Callers split work so that no result depends on the split, and never combine partial results
 * in completion order: elementwise work by fixed-size chunks of data, GEMM by as many rectangles
 * of C as there are threads (each element of C keeps its one order of k-sums), so results do not
 * depend on the thread count. Applications reach a pool through {@code dev.nn.core.Backend},
 * which owns one.
 *
 * <p>Each thread has its own run of a job's tasks, the same run in every job of as many tasks:
 * the caller the first, worker N the (N + 2)-th of {@code threads} even runs. Consecutive calls
 * over the same data then find each part where the same core left it (Adam's moments never
 * move; a weight a thread updated is packed by that thread in the next forward), where taking
 * tasks first come first served moved them between cores at random, and across two dies that
 * cost a two-thread step its whole gain. A thread that finishes its run takes tasks left in the
 * others', so a late worker delays nothing. Which thread runs a task never changes its result.
 */
public final class Parallel implements AutoCloseable {

    static final long SPIN_MICROS = 500;

    private final String name;
    private final int threads;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Job job;
    private volatile boolean closed;

    /** One member's part of a {@link #team} job: member {@code member} of {@code size} running at once. */
    @FunctionalInterface
    public interface Member {
        /** Runs this member's part. */
        void run(int member, int size);
    }

    /** Creates a pool for {@code threads} threads, the caller included, its workers named {@code nn-worker-N}. */
    public Parallel(int threads) {
        this(threads, "nn");
    }

    /**
     * Creates a pool for {@code threads} threads, the caller included, its workers named
     * {@code <name>-worker-N}; with one thread, tasks run on the caller alone and no thread starts.
     */
    public Parallel(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("parallel: threads must be >= 1, got " + threads);
        }
        this.name = name;
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(this, name + "-worker-" + i, i + 1);
            workers[i].start();
        }
    }

    /** Returns the number of threads, the caller included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body.accept(t)} for every {@code t < tasks} and returns when all are done.
     * The first exception thrown by a task is rethrown after every task has finished.
     */
    public void forEach(int tasks, IntConsumer body) {
        requireOpen();
        if (workers.length == 0 || tasks <= 1 || Thread.currentThread() instanceof Worker
                || !busy.compareAndSet(false, true)) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        run(tasks, body);
    }

    /**
     * Runs {@code body.run(member, size)} for every {@code member < size} and returns when all
     * are done. Members may wait for each other (a barrier): a thread takes a new member only
     * when it has finished one, so a member that waits keeps its thread and the others start on
     * other threads. {@code size} is {@code min(wanted, threads())} when the workers are free; when
     * they are not (another thread's job, or a call from inside a task) or {@code wanted} is 1,
     * it is 1 and the caller runs {@code body.run(0, 1)} alone. The first exception thrown by a
     * member is rethrown after every member has finished; members waiting for one that failed
     * must notice it themselves.
     */
    public void team(int wanted, Member body) {
        requireOpen();
        int size = Math.min(wanted, threads);
        if (size <= 1 || Thread.currentThread() instanceof Worker || !busy.compareAndSet(false, true)) {
            body.run(0, 1);
            return;
        }
        run(size, member -> body.run(member, size));
    }

    /** Runs the tasks on the caller and the workers, the pool already marked busy by the caller. */
    private void run(int tasks, IntConsumer body) {
        Job j = new Job(tasks, threads, body);
        try {
            job = j;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
            j.run(0);
            while (j.done.get() < tasks) {
                Thread.onSpinWait();
            }
        } finally {
            job = null;
            busy.set(false);
        }
        Throwable failure = j.failure.get();
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
    }

    /**
     * Returns where part {@code part} of {@code items} split into {@code parts} begins: parts as
     * even as they can be, the later ones longer. The one cut of the kernels: a job's tasks among
     * threads, and {@link Gemm}'s rows, columns and panels among them, so that the chunks of a
     * weight a thread updated are mostly the rows it packs next.
     */
    static int partStart(int part, int parts, int items) {
        return (int) ((long) part * items / parts);
    }

    /**
     * Stops the workers once no job is running and waits for them to end; later calls to
     * {@link #forEach} or {@link #team} throw. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!busy.compareAndSet(false, true)) {   // let a running job finish; none starts after
            Thread.onSpinWait();
        }
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
        boolean interrupted = false;
        for (Worker w : workers) {
            while (w.isAlive()) {
                try {
                    w.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns whether {@link #close} was called. */
    public boolean isClosed() {
        return closed;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("parallel: the pool " + name + " is closed");
        }
    }

    /**
     * One call's tasks, in one run per thread ({@link #partStart}); each run's next task is claimed
     * from a counter of its own, by its thread and then by any thread that has finished its own.
     */
    private static final class Job {
        // Counters a cache line apart (16 ints), so that claiming in one run does not take the
        // line the other threads claim from.
        private static final int PAD = 16;

        final int tasks;
        final int threads;
        final IntConsumer body;
        final AtomicIntegerArray next;
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int tasks, int threads, IntConsumer body) {
            this.tasks = tasks;
            this.threads = threads;
            this.body = body;
            this.next = new AtomicIntegerArray(threads * PAD);
            for (int t = 0; t < threads; t++) {
                next.set(t * PAD, partStart(t, threads, tasks));
            }
        }

        /** Runs thread {@code self}'s tasks, then whatever is left of the others' runs, in turn after it. */
        void run(int self) {
            for (int i = 0; i < threads; i++) {
                int owner = (self + i) % threads;
                int end = partStart(owner + 1, threads, tasks);
                for (int t; (t = next.getAndIncrement(owner * PAD)) < end; ) {
                    try {
                        body.accept(t);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        done.incrementAndGet();
                    }
                }
            }
        }
    }

    private static final class Worker extends Thread {
        private final Parallel owner;
        private final int index;

        Worker(Parallel owner, String name, int index) {
            super(name);
            this.owner = owner;
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job last = null;
            long idleSince = System.nanoTime();
            while (!owner.closed) {
                Job j = owner.job;
                if (j != null && j != last) {
                    last = j;
                    j.run(index);
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_MICROS * 1000) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);   // forEach unparks after publishing a job
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
