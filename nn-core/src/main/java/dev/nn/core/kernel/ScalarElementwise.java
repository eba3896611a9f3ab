package dev.nn.core.kernel;

import dev.nn.core.function.FloatBiFunction;
import dev.nn.core.function.FloatFunction;
import dev.nn.core.function.VectorBiFunction;
import dev.nn.core.function.VectorFunction;
import java.lang.invoke.MethodType;

/**
 * The scalar twin of the elementwise kernels: plain loops that define what each computes.
 *
 * <p>It is the reference {@code SimdElementwise} is tested against, the fallback when the
 * {@code jdk.incubator.vector} module is absent, and the tail of every vector loop. Each
 * operation is written so the vector loop can repeat it step for step: fused multiply-adds
 * where the vector code fuses, the same polynomials ({@link ScalarMath}), the same reduction tree.
 */
public final class ScalarElementwise implements ElementwiseKernels {

    private static final MethodType MAP_LOOP = MethodType.methodType(void.class, FloatFunction.class);
    private static final MethodType GRADIENT_LOOP = MethodType.methodType(void.class, FloatFunction.class,
            FloatBiFunction.class);

    /** The instance; the class is stateless. */
    public static final ScalarElementwise INSTANCE = new ScalarElementwise();

    private ScalarElementwise() {
    }

    @Override
    public void unary(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n) {
        assert xo >= 0 && yo >= 0 && xo + n <= x.length && yo + n <= y.length;
        for (int i = 0; i < n; i++) {
            y[yo + i] = apply(op, p, x[xo + i]);
        }
    }

    /** Returns {@code op(x)}: the definition of each {@link UnaryOp}. */
    static float apply(UnaryOp op, float p, float x) {
        switch (op) {
            case NEG: return -x;
            case ABS: return Math.abs(x);
            case SQUARE: return x * x;
            case SQRT: return (float) Math.sqrt(x);
            case EXP: return ScalarMath.exp(x);
            case LOG: return ScalarMath.log(x);
            case TANH: return ScalarMath.tanh(x);
            case SIGMOID: return ScalarMath.sigmoid(x);
            case ERF: return ScalarMath.erf(x);
            case RELU: return x < 0f ? 0f : x;
            case LEAKY_RELU: return x > 0f ? x : p * x;
            case ELU: return x > 0f ? x : p * (ScalarMath.exp(x) - 1f);
            case SELU: return ScalarMath.SELU_SCALE * (x > 0f ? x : ScalarMath.SELU_ALPHA * (ScalarMath.exp(x) - 1f));
            case SILU: return x * ScalarMath.sigmoid(x);
            case SOFTPLUS: return ScalarMath.softplus(x);
            case SOFTSIGN: return x / (1f + Math.abs(x));
            case GELU_TANH: {
                float inner = ScalarMath.GELU_C * Math.fma(ScalarMath.GELU_K * x, x * x, x);
                return 0.5f * x * (1f + ScalarMath.tanh(inner));
            }
            case MISH: return x * ScalarMath.tanh(ScalarMath.softplus(x));
            case GELU: return x * ((1f + ScalarMath.erf(x * ScalarMath.INV_SQRT2)) * 0.5f);
            case RECIPROCAL: return 1f / x;
            case POW: return (float) Math.pow(x, p);
            default: throw new AssertionError(op);
        }
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                       float[] y, int yo, int n) {
        assert (aInc == 0 || aInc == 1) && (bInc == 0 || bInc == 1);
        for (int i = 0; i < n; i++) {
            y[yo + i] = apply(op, a[ao + i * aInc], b[bo + i * bInc]);
        }
    }

    /** Returns {@code op(a, b)}: the definition of each {@link BinaryOp}. */
    static float apply(BinaryOp op, float a, float b) {
        switch (op) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return a / b;
            case MAX: return Math.max(a, b);
            case MIN: return Math.min(a, b);
            case GT: return a > b ? 1f : 0f;
            case GE: return a >= b ? 1f : 0f;
            case LT: return a < b ? 1f : 0f;
            case LE: return a <= b ? 1f : 0f;
            case EQ: return a == b ? 1f : 0f;
            case NE: return a != b ? 1f : 0f;
            default: throw new AssertionError(op);
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        assert xo >= 0 && yo >= 0 && xo + n <= x.length && yo + n <= y.length;
        for (int i = 0; i < n; i++) {
            y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
        }
    }

    @Override
    public void uniform(long state, float[] y, int yo, int n) {
        assert yo >= 0 && yo + n <= y.length;
        for (int i = 0; i < n; i++) {
            y[yo + i] = SplitMix.unit(SplitMix.mix(state + (i + 1) * SplitMix.GAMMA));
        }
    }

    @Override
    public void backward(UnaryOp op, float p, float[] g, int go, float[] s, int so, float[] out, int oo, int n) {
        assert op.backwardReads() != UnaryOp.Saved.NONE : op;
        assert go >= 0 && so >= 0 && oo >= 0 && go + n <= g.length && so + n <= s.length && oo + n <= out.length;
        for (int i = 0; i < n; i++) {
            out[oo + i] = backward(op, p, g[go + i], s[so + i]);
        }
    }

    /**
     * Returns {@code g·op'} from s, the op's output or input as {@link UnaryOp#backwardReads()}
     * says: the definition of each fused backward, the same operations in the same order as the
     * composed backward it replaced, so gradients keep their bits.
     */
    static float backward(UnaryOp op, float p, float g, float s) {
        switch (op) {
            case RELU: return g * (s > 0f ? 1f : 0f);
            case LEAKY_RELU: return g * ((s > 0f ? 1f : 0f) * (1f - p) + p);
            case SIGMOID: return g * s * (1f - s);
            case TANH: return g * (1f - s * s);
            case SILU: {
                float sg = ScalarMath.sigmoid(s);
                return g * (sg * (1f + s * (1f - sg)));
            }
            case SOFTPLUS: return g * ScalarMath.sigmoid(s);
            case SOFTSIGN: {
                float d = 1f + Math.abs(s);
                return g / (d * d);
            }
            case GELU: {
                float cdf = (1f + ScalarMath.erf(s * ScalarMath.INV_SQRT2)) * 0.5f;
                float pdf = ScalarMath.exp(-(s * s * 0.5f)) * ScalarMath.INV_SQRT_2PI;
                return g * (cdf + s * pdf);
            }
            default: throw new AssertionError(op);
        }
    }

    @Override
    public MapKernel map(FloatFunction f, VectorFunction vf) {
        return OwnLoops.map(ScalarMapLoop.class, MAP_LOOP, f);
    }

    @Override
    public GradientKernel gradient(FloatFunction d, VectorFunction vd) {
        return OwnLoops.gradient(ScalarGradientLoop.class, GRADIENT_LOOP, d, null);
    }

    @Override
    public GradientKernel gradient(FloatBiFunction d, VectorBiFunction vd) {
        return OwnLoops.gradient(ScalarGradientLoop.class, GRADIENT_LOOP, null, d);
    }

    @Override
    public float sum(float[] x, int xo, int n) {
        float[] partial = new float[REDUCTION_WIDTH];
        for (int i = 0; i < n; i++) {
            partial[i & (REDUCTION_WIDTH - 1)] += x[xo + i];
        }
        return combine(partial);
    }

    /**
     * Folds the {@value ElementwiseKernels#REDUCTION_WIDTH} partial sums in a fixed tree: halves added
     * pairwise ({@code p[i] + p[i + w/2]}) until one value is left. Both twins end with this.
     */
    static float combine(float[] partial) {
        for (int w = REDUCTION_WIDTH / 2; w >= 1; w /= 2) {
            for (int i = 0; i < w; i++) {
                partial[i] += partial[i + w];
            }
        }
        return partial[0];
    }

    @Override
    public float max(float[] x, int xo, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[xo + i]);
        }
        return m;
    }
}
