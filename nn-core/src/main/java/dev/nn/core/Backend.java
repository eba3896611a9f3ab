package dev.nn.core;

import dev.nn.core.kernel.ElementwiseKernels;
import dev.nn.core.kernel.Gemm;
import dev.nn.core.kernel.KernelProvider;
import dev.nn.core.kernel.Kernels;
import dev.nn.core.kernel.Parallel;
import dev.nn.core.kernel.ScalarKernels;
import dev.nn.core.kernel.UpdateKernels;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where tensor operations run: the kernels (Vector API or the scalar twin), the GEMM's register
 * tile and a pool of threads. An application creates as many as it needs, makes one current on a
 * thread for a block of work, and closes it to stop its threads:
 *
 * <pre>{@code
 * try (Backend two = Backend.builder().threads(2).build();
 *      var scope = two.use()) {
 *     Tensor y = model.forward(Variable.of(x)).value();   // runs on two's threads
 * }
 * }</pre>
 *
 * <p>Outside any scope, operations run on the {@linkplain #defaultBackend() default backend},
 * made on first use from the system properties {@value #THREADS_PROPERTY} (default: available
 * processors), {@value #KERNELS_PROPERTY} ({@code auto}, {@code scalar} or {@code simd}) and
 * {@value #TILE_PROPERTY}; builders start from the same properties. Results do not depend on the
 * backend: every thread count and tile gives the same bits, and so do the two kernels for
 * nn's own operations.
 *
 * <p>The pool's workers spin for half a millisecond after each job, so that the back-to-back
 * products of a training step find them awake, then park; a backend used now and then costs no
 * processor time while idle. Thread-safe: one backend may be current on many threads (their
 * parallel operations then take turns with the workers; the others run on their callers).
 */
public final class Backend implements AutoCloseable {

    /** The system property that sets the default thread count. */
    public static final String THREADS_PROPERTY = "nn.threads";
    /** The system property that chooses the default kernels: {@code auto}, {@code scalar} or {@code simd}. */
    public static final String KERNELS_PROPERTY = KernelProvider.PROPERTY;
    /** The system property that chooses the default register tile, such as {@code 8x32}. */
    public static final String TILE_PROPERTY = Gemm.TILE_PROPERTY;

    private static final AtomicInteger CREATED = new AtomicInteger();
    private static final ThreadLocal<Backend> CURRENT = new ThreadLocal<>();

    private final String name;
    private final Kernels kernels;
    private final ElementwiseKernels elementwise;
    private final Parallel parallel;
    private final Gemm gemm;
    private final boolean isDefault;

    private Backend(Builder b, boolean isDefault) {
        this.isDefault = isDefault;
        this.name = isDefault ? "nn" : "nn-backend-" + CREATED.incrementAndGet();
        this.kernels = b.kernels == null ? KernelProvider.kernels() : KernelProvider.select(b.kernels);
        this.elementwise = kernels.elementwise();
        this.parallel = new Parallel(b.threads, name);
        try {
            this.gemm = b.tile == null ? new Gemm(kernels, parallel) : new Gemm(kernels, parallel, b.tile);
        } catch (RuntimeException e) {
            parallel.close();   // a bad tile leaves no thread behind
            throw e;
        }
    }

    /** Returns a builder that starts from the system properties' settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the backend made from the system properties, used outside every {@link #use} scope. */
    public static Backend defaultBackend() {
        return DefaultHolder.INSTANCE;
    }

    /** Returns the backend the calling thread's operations run on: the innermost open {@link #use} scope's, or the default. */
    public static Backend current() {
        Backend b = CURRENT.get();
        return b == null ? DefaultHolder.INSTANCE : b;
    }

    /**
     * Makes this the calling thread's backend until the returned scope is closed, which restores
     * the previous one (also when an exception leaves the block). Other threads are not affected.
     *
     * @throws IllegalStateException if this backend is closed
     */
    public Scope use() {
        requireOpen();
        return new Scope(this);
    }

    /** Returns the number of threads an operation may use, the caller included. */
    public int threads() {
        return parallel.threads();
    }

    /** Returns the kernels' name, such as {@code simd(16 lanes)} or {@code scalar}. */
    public String kernels() {
        return kernels.name();
    }

    /** Returns whether the kernels run on the Vector API (false on the scalar twin). */
    public boolean vectorized() {
        return kernels != ScalarKernels.INSTANCE;
    }

    /** Returns the GEMM's register tile as rows × columns of C, such as {@code 8x32}. */
    public String tile() {
        return gemm.tile();
    }

    /** Returns whether {@link #close} was called. */
    public boolean isClosed() {
        return parallel.isClosed();
    }

    /**
     * Stops this backend's threads, waiting for a running operation to finish. Operations that
     * find it current afterwards throw {@link IllegalStateException}. Closing twice does nothing.
     *
     * @throws IllegalStateException for the default backend, which lives as long as the JVM
     */
    @Override
    public void close() {
        if (isDefault) {
            throw new IllegalStateException("backend: the default backend cannot be closed (it serves every thread"
                    + " outside a scope); close the backends you build");
        }
        parallel.close();
    }

    @Override
    public String toString() {
        return "backend(" + name + ": " + kernels.name() + ", " + threads() + (threads() == 1 ? " thread" : " threads")
                + ", tile " + tile() + (isClosed() ? ", closed" : "") + ")";
    }

    ElementwiseKernels elementwise() {
        requireOpen();
        return elementwise;
    }

    UpdateKernels updates() {
        requireOpen();
        return kernels.updates();
    }

    Parallel parallel() {
        requireOpen();
        return parallel;
    }

    Gemm gemm() {
        requireOpen();
        return gemm;
    }

    private void requireOpen() {
        if (parallel.isClosed()) {
            throw new IllegalStateException("backend: " + name + " is closed; open a scope of an open backend, or"
                    + " close the scope with the backend");
        }
    }

    /** The backend in force until {@link #close}; nests, and belongs to the thread that opened it. */
    public static final class Scope implements AutoCloseable {

        private final Thread owner = Thread.currentThread();
        private final Backend previous;
        private boolean closed;

        private Scope(Backend backend) {
            previous = CURRENT.get();
            CURRENT.set(backend);
        }

        /** Restores the backend that was current before this scope opened; closing twice does nothing. */
        @Override
        public void close() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("backend: a scope must be closed on the thread that opened it ("
                        + owner.getName() + "), not on " + Thread.currentThread().getName());
            }
            if (!closed) {
                if (previous == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(previous);
                }
                closed = true;
            }
        }
    }

    /** Settings of a new backend; each starts at its system property's value. */
    public static final class Builder {
        private int threads;
        private String kernels;
        private String tile;

        private Builder() {
            threads = threadsProperty();
        }

        /**
         * Sets the number of threads, the caller included; one runs everything on the calling thread.
         *
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder threads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("backend: threads must be >= 1, got " + n);
            }
            threads = n;
            return this;
        }

        /** Chooses the kernels: {@code auto} (the Vector API when present), {@code scalar} or {@code simd}; checked by {@link #build}. */
        public Builder kernels(String choice) {
            kernels = java.util.Objects.requireNonNull(choice, "backend: kernels is required");
            return this;
        }

        /** Chooses the GEMM's register tile: {@code auto} or a shape such as {@code 8x32}; checked by {@link #build}. */
        public Builder tile(String choice) {
            tile = java.util.Objects.requireNonNull(choice, "backend: tile is required");
            return this;
        }

        /**
         * Returns a new backend with its threads started.
         *
         * @throws IllegalArgumentException if the kernels or the tile name none there is
         * @throws IllegalStateException if {@code simd} is asked for without the Vector API module
         */
        public Backend build() {
            return new Backend(this, false);
        }

        private static int threadsProperty() {
            String value = System.getProperty(THREADS_PROPERTY);
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
            throw new IllegalArgumentException("backend: -D" + THREADS_PROPERTY + " must be a positive integer, got "
                    + value);
        }
    }

    // A holder, so the default's threads start on the first operation that runs outside a scope.
    private static final class DefaultHolder {
        static final Backend INSTANCE = new Backend(new Builder(), true);
    }
}
