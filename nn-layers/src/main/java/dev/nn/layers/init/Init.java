package dev.nn.layers.init;

import dev.nn.core.Generator;
import dev.nn.core.Shape;
import dev.nn.core.Tensor;

/**
 * Initial values for parameters, each drawn from an explicit {@link Generator}:
 *
 * <pre>{@code
 * var g = new Generator(7);
 * layer.weight().value().copyInPlace(Init.xavierUniform(g, 256, 784));
 * }</pre>
 *
 * <p>Fans follow PyTorch: for a weight {@code [out, in, k...]}, {@code fanIn = in·k...} and
 * {@code fanOut = out·k...}. Layers constructed without a generator take one from
 * {@link #nextGenerator()}: a fixed-seed sequence, so a program that builds the same model in the
 * same order gets the same weights, run after run.
 */
public final class Init {

    private static final long DEFAULT_SEED = 0x6E6E5EEDL;
    private static Generator sequence = new Generator(DEFAULT_SEED);

    private Init() {
    }

    /** Restarts the sequence behind {@link #nextGenerator()} from {@code seed} (like {@code torch.manual_seed}). */
    public static synchronized void manualSeed(long seed) {
        sequence = new Generator(seed);
    }

    /** Returns a new generator seeded from the fixed-seed sequence; layers built without a generator use it. */
    public static synchronized Generator nextGenerator() {
        long seed = ((long) sequence.nextInt(Integer.MAX_VALUE) << 31) ^ sequence.nextInt(Integer.MAX_VALUE);
        return new Generator(seed);
    }

    /** Returns draws from U(low, high). */
    public static Tensor uniform(Generator g, float low, float high, int... shape) {
        if (!(low < high)) {
            throw new IllegalArgumentException("uniform: low must be < high, got " + low + " and " + high);
        }
        float[] a = Tensor.rand(g, shape).toArray();
        for (int i = 0; i < a.length; i++) {
            a[i] = low + (high - low) * a[i];
        }
        return Tensor.of(a, shape);
    }

    /** Returns draws from N(mean, std²). */
    public static Tensor normal(Generator g, float mean, float std, int... shape) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        }
        float[] a = Tensor.randn(g, shape).toArray();
        for (int i = 0; i < a.length; i++) {
            a[i] = mean + std * a[i];
        }
        return Tensor.of(a, shape);
    }

    /** Returns Xavier/Glorot uniform draws: U(-b, b) with {@code b = √(6 / (fanIn + fanOut))}. */
    public static Tensor xavierUniform(Generator g, int... shape) {
        float bound = (float) Math.sqrt(6.0 / (fanIn("xavierUniform", shape) + fanOut(shape)));
        return uniform(g, -bound, bound, shape);
    }

    /** Returns Xavier/Glorot normal draws: N(0, σ²) with {@code σ = √(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal(Generator g, int... shape) {
        float std = (float) Math.sqrt(2.0 / (fanIn("xavierNormal", shape) + fanOut(shape)));
        return normal(g, 0f, std, shape);
    }

    /** Returns Kaiming/He uniform draws for ReLU layers: U(-b, b) with {@code b = √(6 / fanIn)}. */
    public static Tensor kaimingUniform(Generator g, int... shape) {
        float bound = (float) Math.sqrt(6.0 / fanIn("kaimingUniform", shape));
        return uniform(g, -bound, bound, shape);
    }

    /** Returns Kaiming/He normal draws for ReLU layers: N(0, σ²) with {@code σ = √(2 / fanIn)}. */
    public static Tensor kaimingNormal(Generator g, int... shape) {
        float std = (float) Math.sqrt(2.0 / fanIn("kaimingNormal", shape));
        return normal(g, 0f, std, shape);
    }

    /** Returns zeros. */
    public static Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    /** Returns ones. */
    public static Tensor ones(int... shape) {
        return Tensor.ones(shape);
    }

    /** Returns {@code in·k...} for a weight {@code [out, in, k...]}. */
    public static int fanIn(String op, int... shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException(op + ": needs a weight of at least 2 dimensions, got " + Shape.of(shape));
        }
        return Shape.of(shape).size() / shape[0];
    }

    private static int fanOut(int... shape) {
        return Shape.of(shape).size() / shape[1];
    }
}
