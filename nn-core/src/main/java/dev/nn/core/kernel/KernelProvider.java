package dev.nn.core.kernel;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the {@link Kernels} implementation once per JVM.
 *
 * <p>{@code -Dnn.kernels=auto} (the default) uses the Vector API when the
 * {@code jdk.incubator.vector} module is present and otherwise logs one warning and runs the
 * scalar twin; {@code scalar} forces the twin; {@code simd} insists on the Vector API and fails
 * when the module is absent.
 */
public final class KernelProvider {

    /** The system property that selects the kernels. */
    public static final String PROPERTY = "nn.kernels";

    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final Logger LOG = LoggerFactory.getLogger(KernelProvider.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final Kernels KERNELS = select(System.getProperty(PROPERTY, "auto"), vectorModulePresent());

    private KernelProvider() {
    }

    /**
     * Returns the kernels {@code choice} names: {@code auto}, {@code scalar} or {@code simd}.
     *
     * @throws IllegalArgumentException if it names none of them
     * @throws IllegalStateException if it is {@code simd} and the Vector API module is absent
     */
    public static Kernels select(String choice) {
        return select(choice, vectorModulePresent());
    }

    /** Returns the kernels {@code -Dnn.kernels} chose for this JVM. */
    public static Kernels kernels() {
        return KERNELS;
    }

    /** Returns the Vector API kernels, or throws if the module is absent (used by parity tests and benchmarks). */
    public static Kernels simd() {
        if (!vectorModulePresent()) {
            throw new IllegalStateException("kernels: the Vector API is not available; run java with"
                    + " --add-modules " + VECTOR_MODULE);
        }
        return SimdHolder.INSTANCE;
    }

    /** Returns whether the {@code jdk.incubator.vector} module is in the boot layer. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    static Kernels select(String choice, boolean vectorPresent) {
        switch (choice.trim().toLowerCase(Locale.ROOT)) {
            case "scalar":
                return ScalarKernels.INSTANCE;
            case "simd":
                if (!vectorPresent) {
                    throw new IllegalStateException("kernels: -D" + PROPERTY + "=simd needs the Vector API;"
                            + " run java with --add-modules " + VECTOR_MODULE);
                }
                return SimdHolder.INSTANCE;
            case "auto":
                if (vectorPresent) {
                    return SimdHolder.INSTANCE;
                }
                if (WARNED.compareAndSet(false, true)) {
                    Warnings.warn(LOG, "nn runs its scalar kernels, several times slower: the Vector API module is"
                            + " absent; run java with --add-modules " + VECTOR_MODULE);
                }
                return ScalarKernels.INSTANCE;
            default:
                throw new IllegalArgumentException("kernels: -D" + PROPERTY + " must be auto, scalar or simd, got "
                        + choice);
        }
    }

    // A holder class, so SimdKernels (and jdk.incubator.vector) is loaded only when asked for.
    private static final class SimdHolder {
        static final Kernels INSTANCE = new SimdKernels();
    }
}
