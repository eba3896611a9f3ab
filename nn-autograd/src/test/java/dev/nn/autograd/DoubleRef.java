package dev.nn.autograd;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A minimal double-precision n-dimensional array: the reference forward of each operation, for
 * finite differences with eps 1e-6 (RELIABILITY.md). Written plainly, independent of nn-core.
 */
record DoubleRef(double[] v, int[] shape) {

    static DoubleRef of(float[] values, int[] shape) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return new DoubleRef(d, shape.clone());
    }

    int size() {
        return v.length;
    }

    DoubleRef map(DoubleUnaryOperator f) {
        double[] out = new double[v.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(v[i]);
        }
        return new DoubleRef(out, shape);
    }

    DoubleRef zip(DoubleRef o, DoubleBinaryOperator f) {
        int rank = Math.max(shape.length, o.shape.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int a = dim(shape, d - rank + shape.length);
            int b = dim(o.shape, d - rank + o.shape.length);
            out[d] = Math.max(a, b);
        }
        int n = Arrays.stream(out).reduce(1, (x, y) -> x * y);
        double[] r = new double[n];
        int[] index = new int[rank];
        for (int k = 0; k < n; k++) {
            int rem = k;
            for (int d = rank - 1; d >= 0; d--) {
                index[d] = rem % out[d];
                rem /= out[d];
            }
            r[k] = f.applyAsDouble(v[at(shape, index)], o.v[at(o.shape, index)]);
        }
        return new DoubleRef(r, out);
    }

    private static int dim(int[] s, int d) {
        return d < 0 ? 1 : s[d];
    }

    /** Returns the flat index in shape s of a (broadcast) index of larger rank. */
    private static int at(int[] s, int[] index) {
        int flat = 0;
        int off = index.length - s.length;
        for (int d = 0; d < s.length; d++) {
            flat = flat * s[d] + (s[d] == 1 ? 0 : index[d + off]);
        }
        return flat;
    }

    /** Reduces along axis (or all when axis < 0) with op, starting from init. */
    DoubleRef reduce(int axis, boolean keepDims, double init, DoubleBinaryOperator op) {
        if (axis < 0) {
            double acc = init;
            for (double x : v) {
                acc = op.applyAsDouble(acc, x);
            }
            return new DoubleRef(new double[] {acc}, new int[0]);
        }
        int n = shape[axis];
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int outer = v.length / Math.max(1, n * inner);
        double[] r = new double[outer * inner];
        Arrays.fill(r, init);
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < inner; i++) {
                    r[o * inner + i] = op.applyAsDouble(r[o * inner + i], v[(o * n + k) * inner + i]);
                }
            }
        }
        int[] out;
        if (keepDims) {
            out = shape.clone();
            out[axis] = 1;
        } else {
            out = new int[shape.length - 1];
            for (int d = 0, j = 0; d < shape.length; d++) {
                if (d != axis) {
                    out[j++] = shape[d];
                }
            }
        }
        return new DoubleRef(r, out);
    }

    /** erf by its Taylor series, accurate to about 1e-10 for |x| <= 4 (and ±1 beyond, to within 2e-8). */
    static double erf(double x) {
        if (Math.abs(x) > 4) {
            return Math.signum(x);
        }
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    DoubleRef softmax(boolean log) {
        int c = shape[shape.length - 1];
        double[] r = new double[v.length];
        for (int row = 0; row < v.length / c; row++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                m = Math.max(m, v[row * c + j]);
            }
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += Math.exp(v[row * c + j] - m);
            }
            for (int j = 0; j < c; j++) {
                double z = v[row * c + j] - m;
                r[row * c + j] = log ? z - Math.log(s) : Math.exp(z) / s;
            }
        }
        return new DoubleRef(r, shape);
    }

    DoubleRef matmul(DoubleRef o) {
        boolean rowVector = shape.length == 1;
        boolean colVector = o.shape.length == 1;
        int m = rowVector ? 1 : shape[0];
        int k = shape[shape.length - 1];
        int n = colVector ? 1 : o.shape[1];
        double[] r = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += v[i * k + p] * o.v[p * n + j];
                }
                r[i * n + j] = s;
            }
        }
        int[] out = rowVector && colVector ? new int[0] : rowVector ? new int[] {n} : colVector ? new int[] {m}
                : new int[] {m, n};
        return new DoubleRef(r, out);
    }

    DoubleRef transpose() {
        int m = shape[0];
        int n = shape[1];
        double[] r = new double[v.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                r[j * m + i] = v[i * n + j];
            }
        }
        return new DoubleRef(r, new int[] {n, m});
    }

    DoubleRef gather(int[] indices) {
        int c = shape[1];
        double[] r = new double[indices.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = v[i * c + indices[i]];
        }
        return new DoubleRef(r, new int[] {indices.length});
    }
}
