package dev.nn.core.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each kind of user function a loop of its own: a template loop class ({@code SimdMapLoop},
 * ...) is defined anew as a hidden class for each combination of function classes it runs.
 *
 * <p>Why: a loop calling user functions through an interface is one call site for all of them.
 * The JIT inlines it for the one or two function classes it has seen there, and calls the rest,
 * which boxes every {@code FloatVector} (16 bytes per float) and stops C2 from vectorizing a
 * scalar lambda: once three vector forms were in use, each ran 20x slower. A hidden class has its
 * own methods and so its own profile: the call site in each copy sees one function class, which
 * C2 inlines. Copies are kept per combination of classes for the life of the JVM, so an
 * activation created many times (a lambda capturing other values is still one class) defines its
 * loop once, and their number is bounded by the program's lambda expressions. Where a class
 * cannot be defined (a runtime without class-file access), the template itself runs, as the
 * shared loop did, and that is logged once at debug level.
 */
final class OwnLoops {

    private static final Logger LOG = LoggerFactory.getLogger(OwnLoops.class);
    private static final MethodType MAP_APPLY = MethodType.methodType(void.class, float[].class, int.class,
            float[].class, int.class, int.class);
    private static final MethodType GRADIENT_APPLY = MethodType.methodType(void.class, float[].class, int.class,
            float[].class, int.class, float[].class, int.class, float[].class, int.class, int.class);
    private static final Map<List<Class<?>>, Copy> COPIES = new ConcurrentHashMap<>();
    private static final Map<Class<?>, byte[]> TEMPLATES = new ConcurrentHashMap<>();
    private static volatile boolean warned;

    private OwnLoops() {
    }

    /**
     * One defined copy of a template: its constructor, and a handle on its {@code apply} that
     * callers bind to each instance and reach it through. C2 does not inline through a handle that
     * is not a constant, so each loop is compiled on its own: inlined into the benchmark's whole
     * step (one activation in use, so its call site saw one class), the vector loop ran out of
     * C2's budget and boxed every vector.
     */
    private record Copy(MethodHandle constructor, MethodHandle apply) {
        Object make(Object[] functions) {
            try {
                return constructor.invokeWithArguments(functions);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }
    }

    /** Returns {@code template}'s copy for these functions, a {@link MapKernel} (see {@link #copy}). */
    static MapKernel map(Class<? extends MapKernel> template, MethodType constructor, Object... functions) {
        Copy copy = copy(template, constructor, MAP_APPLY, functions);
        MethodHandle apply = copy.apply().bindTo(copy.make(functions));
        return (x, xo, y, yo, n) -> {
            try {
                apply.invokeExact(x, xo, y, yo, n);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        };
    }

    /** Returns {@code template}'s copy for these functions, a {@link GradientKernel} (see {@link #copy}). */
    static GradientKernel gradient(Class<? extends GradientKernel> template, MethodType constructor,
                                   Object... functions) {
        Copy copy = copy(template, constructor, GRADIENT_APPLY, functions);
        GradientKernel loop = (GradientKernel) copy.make(functions);
        MethodHandle apply = copy.apply().bindTo(loop);
        boolean readsOutput = loop.readsOutput();
        return new GradientKernel() {
            @Override
            public boolean readsOutput() {
                return readsOutput;
            }

            @Override
            public void apply(float[] g, int go, float[] x, int xo, float[] y, int yo, float[] out, int oo, int n) {
                try {
                    apply.invokeExact(g, go, x, xo, y, yo, out, oo, n);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new AssertionError(t);
                }
            }
        };
    }

    /** Returns {@code template}'s copy for these functions' classes (null where a function is absent). */
    private static Copy copy(Class<?> template, MethodType constructor, MethodType apply, Object[] functions) {
        List<Class<?>> key = new ArrayList<>(functions.length + 1);
        key.add(template);
        for (Object f : functions) {
            key.add(f == null ? Void.class : f.getClass());
        }
        return COPIES.computeIfAbsent(List.copyOf(key), k -> define(template, constructor, apply));
    }

    private static Copy define(Class<?> template, MethodType constructor, MethodType apply) {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        String why = "its class file cannot be read";
        try {
            byte[] bytes = TEMPLATES.computeIfAbsent(template, OwnLoops::read);
            if (bytes.length > 0) {
                MethodHandles.Lookup copy = lookup.defineHiddenClass(bytes, true);
                return new Copy(copy.findConstructor(copy.lookupClass(), constructor),
                        copy.findVirtual(copy.lookupClass(), "apply", apply));
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            why = e.toString();
        }
        if (!warned) {
            warned = true;
            LOG.debug("kernels: user functions share one {} loop ({})", template.getSimpleName(), why);
        }
        try {
            return new Copy(lookup.findConstructor(template, constructor), lookup.findVirtual(template, "apply", apply));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Returns the template's class file, or no bytes where it cannot be read. */
    private static byte[] read(Class<?> template) {
        String name = template.getName();
        try (InputStream in = template.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
