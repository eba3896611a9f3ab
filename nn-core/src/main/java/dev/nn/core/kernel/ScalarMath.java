package dev.nn.core.kernel;

/**
 * Our own float32 {@code exp}, {@code log} and {@code tanh}: range reduction plus a short
 * polynomial evaluated with fused multiply-adds.
 *
 * <p>Why not {@link Math#exp}: the JIT may swap its implementation between tiers, and the
 * Vector API's {@code EXP} differs from it by an ulp, so results would depend on warm-up and
 * on the kernel twin. These functions are written once more, operation for operation, on
 * {@code FloatVector} in {@code SimdMath}; both give the same bits. Error is at most 2 ulp
 * against a double-precision reference (tested over a sweep including subnormals and the
 * overflow and underflow edges). log's and tanh's constants are Cephes' minimax coefficients;
 * exp's are our own fit (see below).
 */
public final class ScalarMath {

    /** SELU's α, as PyTorch defines it; local gradients in nn-autograd use the same constants. */
    public static final float SELU_ALPHA = 1.6732632423543772f;
    /** SELU's scale λ, as PyTorch defines it. */
    public static final float SELU_SCALE = 1.0507009873554805f;
    /** √(2/π), the scale inside GELU's tanh approximation. */
    public static final float GELU_C = 0.7978845608028654f;
    /** The cubic coefficient inside GELU's tanh approximation. */
    public static final float GELU_K = 0.044715f;
    /** 1/√2, the scale inside exact GELU's erf. */
    public static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    /** 1/√(2π), the standard normal density's factor, in exact GELU's gradient. */
    public static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    static final float EXP_HI = 89f;            // e^89 > Float.MAX_VALUE: gives +inf
    static final float EXP_LO = -104f;          // e^-104 < Float.MIN_VALUE / 2: gives 0
    static final float LOG2E = 1.44269504088896341f;
    static final float ROUND_MAGIC = 12582912f; // 1.5·2^23: adding it rounds to an integer in the low bits
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    // exp: x = n·ln2 + r, |r| <= ln2/2; e^r = 1 + r + r²·(C2 + C3·r + C4·r² + C5·r³ + C6·r⁴), the
    // bracket summed in pairs (Estrin); 2^n applied as two factors so that subnormal results are
    // rounded once. The coefficients minimise the relative error of e^r on |r| <= 0.3466 (a
    // Lawson-weighted least-squares fit in double: 3.1e-9 at most, 0.05 ulp, before they were
    // rounded to float). Over every float in [-110, 90] exp is within 1.02 ulp of StrictMath.exp
    // (1.03 with Cephes' degree-7 polynomial, used before, which took one more fma).
    static final float EXP_C2 = 0.49999994f;
    static final float EXP_C3 = 0.16666521f;
    static final float EXP_C4 = 0.04166839f;
    static final float EXP_C5 = 0.008368716f;
    static final float EXP_C6 = 0.0013814602f;

    // log: x = m·2^e with m in [√½, √2); log(1+f) = f - f²/2 + f³·P(f).
    static final float SQRT_HALF = 0.707106781186547524f;
    static final float TWO_POW_23 = 8388608f;
    static final float LOG_P0 = 7.0376836292e-2f;
    static final float LOG_P1 = -1.1514610310e-1f;
    static final float LOG_P2 = 1.1676998740e-1f;
    static final float LOG_P3 = -1.2420140846e-1f;
    static final float LOG_P4 = 1.4249322787e-1f;
    static final float LOG_P5 = -1.6668057665e-1f;
    static final float LOG_P6 = 2.0000714765e-1f;
    static final float LOG_P7 = -2.4999993993e-1f;
    static final float LOG_P8 = 3.3333331174e-1f;

    // tanh: odd polynomial below 0.625, 1 - 2/(e^{2|x|} + 1) above.
    static final float ERF_SMALL = 0.5f;
    static final float ERF_C0 = 1.1283791670955126f;      // 2/√π · (-1)ⁿ / (n!(2n + 1))
    static final float ERF_C1 = -0.37612638903183754f;
    static final float ERF_C2 = 0.11283791670955126f;
    static final float ERF_C3 = -0.026866170645131252f;
    static final float ERF_C4 = 0.005223977625442188f;
    static final float ERF_C5 = -8.548327023450852e-4f;
    static final float ERF_C6 = 1.2055332981789664e-4f;
    static final float ERF_P = 0.3275911f;
    static final float ERF_A1 = 0.254829592f;
    static final float ERF_A2 = -0.284496736f;
    static final float ERF_A3 = 1.421413741f;
    static final float ERF_A4 = -1.453152027f;
    static final float ERF_A5 = 1.061405429f;

    static final float TANH_SMALL = 0.625f;
    static final float TANH_P0 = -5.70498872745e-3f;
    static final float TANH_P1 = 2.06390887954e-2f;
    static final float TANH_P2 = -5.37397155531e-2f;
    static final float TANH_P3 = 1.33314422036e-1f;
    static final float TANH_P4 = -3.33332819422e-1f;

    private ScalarMath() {
    }

    /** Returns e raised to {@code x}, within 2 ulp; +∞ above 88.72, 0 below -103.97, NaN for NaN. */
    public static float exp(float x) {
        float xc = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float t = Math.fma(xc, LOG2E, ROUND_MAGIC);
        float kf = t - ROUND_MAGIC;
        int n = Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUND_MAGIC);
        float r = Math.fma(-kf, LN2_HI, xc);
        r = Math.fma(-kf, LN2_LO, r);
        float r2 = r * r;
        float p = Math.fma(r2, Math.fma(r2, EXP_C6, Math.fma(r, EXP_C5, EXP_C4)), Math.fma(r, EXP_C3, EXP_C2));
        float y = Math.fma(p, r2, r) + 1f;
        int n1 = n >> 1;
        int n2 = n - n1;
        return y * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
    }

    /** Returns the natural logarithm of {@code x}, within 2 ulp; -∞ at ±0, NaN below 0. */
    public static float log(float x) {
        boolean subnormal = x < Float.MIN_NORMAL;
        float xs = subnormal ? x * TWO_POW_23 : x;
        int bits = Float.floatToRawIntBits(xs);
        int e = ((bits >>> 23) & 0xff) - 126 - (subnormal ? 23 : 0);
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f000000);
        boolean low = m < SQRT_HALF;
        float f = low ? (m + m) - 1f : m - 1f;
        float fe = low ? e - 1 : e;
        float z = f * f;
        float p = LOG_P0;
        p = Math.fma(p, f, LOG_P1);
        p = Math.fma(p, f, LOG_P2);
        p = Math.fma(p, f, LOG_P3);
        p = Math.fma(p, f, LOG_P4);
        p = Math.fma(p, f, LOG_P5);
        p = Math.fma(p, f, LOG_P6);
        p = Math.fma(p, f, LOG_P7);
        p = Math.fma(p, f, LOG_P8);
        float y = p * f * z;
        y = Math.fma(fe, LN2_LO, y);
        y = Math.fma(z, -0.5f, y);
        float r = Math.fma(fe, LN2_HI, f + y);
        if (x == 0f) {
            return Float.NEGATIVE_INFINITY;
        }
        if (!(x >= 0f)) {
            return Float.NaN;
        }
        return x == Float.POSITIVE_INFINITY ? x : r;
    }

    /** Returns the hyperbolic tangent of {@code x}, within 2 ulp; ±1 for large |x|, -0 at -0. */
    public static float tanh(float x) {
        float ax = Math.abs(x);
        if (ax < TANH_SMALL) {
            float z = x * x;
            float p = TANH_P0;
            p = Math.fma(p, z, TANH_P1);
            p = Math.fma(p, z, TANH_P2);
            p = Math.fma(p, z, TANH_P3);
            p = Math.fma(p, z, TANH_P4);
            // x + x·z·P(z) would turn -0 into +0; tanh(±0) is ±0.
            return x == 0f ? x : Math.fma(x * z, p, x);
        }
        float r = 1f - 2f / (exp(ax + ax) + 1f);
        return x < 0f ? -r : r;
    }

    /**
     * Returns the error function {@code erf(x) = 2/√π ∫₀ˣ e^(-t²) dt}, with an absolute error
     * below 3e-7: its Taylor series below 0.5, Abramowitz and Stegun 7.1.26 on our exp above; odd,
     * ±1 at ±∞, NaN for NaN.
     */
    public static float erf(float x) {
        float a = Math.abs(x);
        if (a < ERF_SMALL) {
            // Near 0 the formula below cancels (1 - almost 1); the Taylor series is accurate there.
            float z = x * x;
            float p = ERF_C6;
            p = Math.fma(p, z, ERF_C5);
            p = Math.fma(p, z, ERF_C4);
            p = Math.fma(p, z, ERF_C3);
            p = Math.fma(p, z, ERF_C2);
            p = Math.fma(p, z, ERF_C1);
            p = Math.fma(p, z, ERF_C0);
            return x * p;
        }
        float t = 1f / Math.fma(ERF_P, a, 1f);
        float p = ERF_A5;
        p = Math.fma(p, t, ERF_A4);
        p = Math.fma(p, t, ERF_A3);
        p = Math.fma(p, t, ERF_A2);
        p = Math.fma(p, t, ERF_A1);
        float r = 1f - p * t * exp(-(a * a));
        return Math.copySign(Math.abs(r), x);
    }

    /** Returns {@code 1 / (1 + e⁻ˣ)}: 0 below about -88, 1 above about 17, never NaN for finite x. */
    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    /** Returns {@code log(1 + eˣ)} without overflow: {@code max(x, 0) + log1p(e^-|x|)}. */
    public static float softplus(float x) {
        return Math.max(x, 0f) + log1p(exp(-Math.abs(x)));
    }

    /** Returns {@code log(1 + u)} for {@code u >= 0}, accurate for tiny u (Goldberg's correction). */
    static float log1p(float u) {
        float w = 1f + u;
        float d = w - 1f;
        return d == 0f ? u : log(w) * (u / d);
    }
}
