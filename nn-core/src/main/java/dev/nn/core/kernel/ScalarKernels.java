package dev.nn.core.kernel;

/**
 * The scalar twin: plain loops that define what every kernel computes.
 *
 * <p>It is the reference the SIMD kernels are tested against and the fallback when the
 * {@code jdk.incubator.vector} module is absent. Each operation here is written so the vector
 * version can repeat it step for step: fused multiply-adds where the vector code fuses,
 * the same polynomials, the same reduction tree.
 */
public final class ScalarKernels implements Kernels {

    /** The instance the provider hands out; the class is stateless but for its panel width. */
    public static final ScalarKernels INSTANCE = new ScalarKernels(8);

    // The width of the GEMM's B panels; any width gives the same bits (see gemmTile). Tests make
    // it 16 or 32, the SIMD kernels' widths at 8 and 16 lanes, so that every path Gemm takes for
    // some width runs on any machine.
    private final int nr;

    static final float SELU_ALPHA = FloatMath.SELU_ALPHA;
    static final float SELU_SCALE = FloatMath.SELU_SCALE;
    static final float GELU_C = FloatMath.GELU_C;
    static final float GELU_K = FloatMath.GELU_K;

    ScalarKernels(int nr) {
        if (nr < 2 * Gemm.MR || nr % (2 * Gemm.MR) != 0) {
            throw new IllegalArgumentException("scalar kernels: panel width must be a positive multiple of "
                    + 2 * Gemm.MR + ", got " + nr);
        }
        this.nr = nr;
    }

    @Override
    public String name() {
        return nr == 8 ? "scalar" : "scalar(nr=" + nr + ")";
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
            case EXP: return FloatMath.exp(x);
            case LOG: return FloatMath.log(x);
            case TANH: return FloatMath.tanh(x);
            case SIGMOID: return FloatMath.sigmoid(x);
            case ERF: return FloatMath.erf(x);
            case RELU: return x < 0f ? 0f : x;
            case LEAKY_RELU: return x > 0f ? x : p * x;
            case ELU: return x > 0f ? x : p * (FloatMath.exp(x) - 1f);
            case SELU: return SELU_SCALE * (x > 0f ? x : SELU_ALPHA * (FloatMath.exp(x) - 1f));
            case SILU: return x * FloatMath.sigmoid(x);
            case SOFTPLUS: return FloatMath.softplus(x);
            case SOFTSIGN: return x / (1f + Math.abs(x));
            case GELU_TANH: {
                float inner = GELU_C * Math.fma(GELU_K * x, x * x, x);
                return 0.5f * x * (1f + FloatMath.tanh(inner));
            }
            case MISH: return x * FloatMath.tanh(FloatMath.softplus(x));
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
    public void map(FloatFunction f, VectorFunction vf, float[] x, int xo, float[] y, int yo, int n) {
        assert xo >= 0 && yo >= 0 && xo + n <= x.length && yo + n <= y.length;
        for (int i = 0; i < n; i++) {
            y[yo + i] = f.apply(x[xo + i]);
        }
    }

    @Override
    public void adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, float[] vmax, int xo,
                     int n, float beta1, float beta2, float weightDecay, float stepSize, float bc2Sqrt, float eps) {
        assert po >= 0 && go >= 0 && mo >= 0 && vo >= 0 && po + n <= p.length;
        for (int i = 0; i < n; i++) {
            float pi = p[po + i];
            float gi = weightDecay == 0f ? g[go + i] : g[go + i] + pi * weightDecay;
            float mi = Math.fma(1f - beta1, gi, m[mo + i] * beta1);
            float vi = Math.fma(1f - beta2, gi * gi, v[vo + i] * beta2);
            m[mo + i] = mi;
            v[vo + i] = vi;
            float w = vi;
            if (vmax != null) {
                w = Math.max(vmax[xo + i], vi);
                vmax[xo + i] = w;
            }
            float denom = (float) Math.sqrt(w) / bc2Sqrt + eps;
            p[po + i] = Math.fma(-stepSize, mi / denom, pi);
        }
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
     * Folds the {@value Kernels#REDUCTION_WIDTH} partial sums in a fixed tree: halves added
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

    @Override
    public void packPanelsTransposed(float[] b, int bo, int ldb, int rows, int panels, float[] dst, int dOff) {
        for (int q = 0; q < panels; q++) {
            for (int j = 0; j < nr; j++) {
                int s = bo + (q * nr + j) * ldb;
                int d = dOff + q * rows * nr + j;
                for (int p = 0; p < rows; p++) {
                    dst[d + p * nr] = b[s + p];
                }
            }
        }
    }

    @Override
    public void packRowPanels(float[] a, int ao, int lda, int kc, int panels, float[] dst) {
        for (int r = 0; r < panels; r++) {
            for (int i = 0; i < Gemm.MR; i++) {
                int s = ao + (r * Gemm.MR + i) * lda;
                int d = r * kc * Gemm.MR + i;
                for (int p = 0; p < kc; p++) {
                    dst[d + p * Gemm.MR] = a[s + p];
                }
            }
        }
    }

    @Override
    public void packColumnPanels(float[] a, int ao, int lda, int kc, int panels, float[] dst) {
        for (int r = 0; r < panels; r++) {
            for (int p = 0; p < kc; p++) {
                int s = ao + p * lda + r * Gemm.MR;
                int d = (r * kc + p) * Gemm.MR;
                for (int i = 0; i < Gemm.MR; i++) {
                    dst[d + i] = a[s + i];
                }
            }
        }
    }

    @Override
    public void packPanels(float[] b, int bo, int ldb, int rows, int panels, float[] dst, int dOff) {
        for (int p = 0; p < rows; p++) {
            for (int q = 0; q < panels; q++) {
                int d = dOff + (q * rows + p) * nr;
                int s = bo + p * ldb + q * nr;
                for (int j = 0; j < nr; j++) {
                    dst[d + j] = b[s + j];
                }
            }
        }
    }

    @Override
    public int gemmNr() {
        return nr;
    }

    @Override
    public void gemmTile(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                         float[] c, int co, int ldc) {
        final int mr = Gemm.MR;
        float[] acc = new float[mr * nr];
        for (int k = 0; k < kc; k++) {
            for (int i = 0; i < mr; i++) {
                float ai = a[ao + k * mr + i];
                for (int j = 0; j < nr; j++) {
                    acc[i * nr + j] = Math.fma(b[bo + k * nr + j], ai, acc[i * nr + j]);
                }
            }
        }
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < nr; j++) {
                int ci = co + i * ldc + j;
                c[ci] = Math.fma(acc[i * nr + j], alpha, accumulate ? c[ci] : 0f);
            }
        }
    }

    @Override
    public void gemmTiles(int kc, float[] a, int ao, int aStep, float[] b, int bo, int bStep, int tiles, float alpha,
                          float[] c, int co, int cStep, int ldc) {
        for (int t = 0; t < tiles; t++) {
            gemmTile(kc, a, ao + t * aStep, b, bo + t * bStep, alpha, false, c, co + t * cStep, ldc);
        }
    }

    @Override
    public void gemmTileTall(int kc, float[] a, int ao, float[] b, int bo, float alpha, float[] c, int co, int ldc) {
        tileRowPair(nr, nr, kc, a, ao, b, bo, alpha, true, c, co, ldc);
    }

    @Override
    public void gemmTilesTall(int kc, float[] a, int ao, int aStep, float[] b, int bo, int bStep, int tiles,
                              float alpha, float[] c, int co, int cStep, int ldc) {
        for (int t = 0; t < tiles; t++) {
            tileRowPair(nr, nr, kc, a, ao + t * aStep, b, bo + t * bStep, alpha, false, c, co + t * cStep, ldc);
        }
    }

    @Override
    public void gemmTileNarrow(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                               float[] c, int co, int ldc) {
        tileRowPair(nr / 2, nr, kc, a, ao, b, bo, alpha, accumulate, c, co, ldc);
    }

    @Override
    public void gemmTileQuarter(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                                float[] c, int co, int ldc) {
        tileRowPair(nr / 4, nr, kc, a, ao, b, bo, alpha, accumulate, c, co, ldc);
    }

    /** The 2·MR × w tile of two A micro-panels and the first w floats of each packed B row. */
    private static void tileRowPair(int w, int nr, int kc, float[] a, int ao, float[] b, int bo, float alpha,
                                    boolean accumulate, float[] c, int co, int ldc) {
        final int mr = Gemm.MR;
        float[] acc = new float[2 * mr * w];
        for (int k = 0; k < kc; k++) {
            for (int i = 0; i < 2 * mr; i++) {
                float ai = a[ao + i / mr * kc * mr + k * mr + i % mr];
                for (int j = 0; j < w; j++) {
                    acc[i * w + j] = Math.fma(b[bo + k * nr + j], ai, acc[i * w + j]);
                }
            }
        }
        for (int i = 0; i < 2 * mr; i++) {
            for (int j = 0; j < w; j++) {
                int ci = co + i * ldc + j;
                c[ci] = Math.fma(acc[i * w + j], alpha, accumulate ? c[ci] : 0f);
            }
        }
    }

    @Override
    public void gemmTileColumns(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                                float[] c, int co, int ldc) {
        tileColumns(nr, kc, a, ao, b, bo, alpha, accumulate, c, co, ldc);
    }

    /**
     * {@link Kernels#gemmTileColumns} over B panels {@code nr} wide (also SimdKernels' at widths
     * where it has no vector form); one element at a time, so it allocates nothing.
     */
    static void tileColumns(int nr, int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                            float[] c, int co, int ldc) {
        final int mr = Gemm.MR;
        for (int j = 0; j < mr; j++) {
            for (int i = 0; i < 4 * mr; i++) {
                int ai = ao + i / mr * kc * mr + i % mr;
                float acc = 0f;
                for (int k = 0; k < kc; k++) {
                    acc = Math.fma(b[bo + k * nr + j], a[ai + k * mr], acc);
                }
                int ci = co + j * ldc + i;
                c[ci] = Math.fma(acc, alpha, accumulate ? c[ci] : 0f);
            }
        }
    }
}
