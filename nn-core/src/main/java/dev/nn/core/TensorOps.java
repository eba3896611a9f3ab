package dev.nn.core;

import dev.nn.core.kernel.BinaryOp;
import dev.nn.core.kernel.ElementwiseKernels;
import dev.nn.core.kernel.Parallel;
import dev.nn.core.kernel.ScalarMath;
import dev.nn.core.kernel.SplitMix;
import dev.nn.core.kernel.Gemm;
import dev.nn.core.kernel.UnaryOp;
import java.util.Locale;

/** The loops behind {@link Tensor}'s operations: validation, broadcasting and kernel calls. */
final class TensorOps {

    // Elementwise work on at least PARALLEL_ELEMENTS floats is split into chunks of at most
    // CHUNK floats across the backend's pool, as many for each thread, each starting at a
    // multiple of CHUNK_ALIGN floats; lane-wise results do not depend on the split.
    static final int PARALLEL_ELEMENTS = 1 << 20;
    static final int CHUNK = 1 << 16;
    // A multiple of every vector's lanes (and of a 64-byte line's floats): chunks break where
    // vectors do, so the scalar tail is where one call over all n would put it.
    static final int CHUNK_ALIGN = 64;
    // A fused optimizer update reads and writes four to five arrays and takes a square root and a
    // division per element, so splitting it pays from two chunks on: a parameter of 128k floats
    // and more (the MNIST MLP's first weight has 401k) is updated by every thread of the pool.
    static final int UPDATE_PARALLEL_ELEMENTS = 2 * CHUNK;

    private TensorOps() {
    }

    /**
     * Returns the calling thread's backend's elementwise kernels. Taken once per operation on the
     * calling thread: tasks that run on the pool's workers must not look up the backend themselves.
     */
    static ElementwiseKernels kernels() {
        return Backend.current().elementwise();
    }

    static Tensor unary(UnaryOp op, float p, Tensor x) {
        Tensor y = new Tensor(new float[x.size()], x.shape);
        unary(op, p, x, y);
        return y;
    }

    /** Writes op(x) into y, which has x's size; y may be x (the kernels read each element before writing it). */
    static void unary(UnaryOp op, float p, Tensor x, Tensor y) {
        ElementwiseKernels k = kernels();
        chunked(y.size(), (from, n) -> k.unary(op, p, x.data, x.offset + from, y.data, y.offset + from, n));
    }

    static Tensor activationBackward(UnaryOp op, float p, Tensor g, Tensor saved) {
        ElementwiseKernels k = kernels();
        if (op.backwardReads() == UnaryOp.Saved.NONE) {
            throw new IllegalArgumentException(backwardName(op) + ": " + op + " has no fused backward (compose it of"
                    + " tensor operations)");
        }
        if (!g.shape.equals(saved.shape)) {
            throw new ShapeException(backwardName(op) + ": gradient " + g.shape + " and saved tensor " + saved.shape
                    + " differ");
        }
        float[] out = new float[g.size()];
        chunked(out.length, (from, n) -> k.backward(op, p, g.data, g.offset + from, saved.data, saved.offset + from,
                out, from, n));
        return new Tensor(out, g.shape);
    }

    /** The name errors give op's backward, built only when one is thrown (backward runs every step). */
    private static String backwardName(UnaryOp op) {
        return op.name().toLowerCase(Locale.ROOT) + " backward";
    }

    static void scale(float factor, Tensor y) {
        ElementwiseKernels k = kernels();
        float[] f = {factor};
        chunked(y.size(), (from, n) -> k.binary(BinaryOp.MUL, y.data, y.offset + from, 1, f, 0, 0, y.data,
                y.offset + from, n));
    }

    /** Fills {@code y} with the uniform draws that follow generator state {@code state}, draw i into y[i]. */
    static void uniform(long state, float[] y) {
        ElementwiseKernels k = kernels();
        chunked(y.length, (from, n) -> k.uniform(state + from * SplitMix.GAMMA, y, from, n));
    }

    static void axpy(float alpha, Tensor x, Tensor y) {
        ElementwiseKernels k = kernels();
        if (!x.shape.equals(y.shape)) {
            throw new ShapeException("addInPlace: shapes " + y.shape + " and " + x.shape + " differ (in-place"
                    + " addition does not broadcast)");
        }
        // An overlapping but shifted source would be overwritten while it is read.
        Tensor src = x.data == y.data && x.offset != y.offset ? x.copy() : x;
        chunked(y.size(), (from, n) -> k.axpy(alpha, src.data, src.offset + from, y.data, y.offset + from, n));
    }

    interface Range {
        void run(int from, int n);
    }

    /** Runs {@code body} over [0, n) in one call, or in chunks on the backend's pool when n is large. */
    static void chunked(int n, Range body) {
        chunked(n, PARALLEL_ELEMENTS, body);
    }

    /**
     * Runs {@code body} over [0, n) in chunks across the pool when {@code n >= parallelFrom}, else
     * on the caller. The chunks come in as many for each thread ({@link #chunkSize}), so that each
     * thread's run of them is the same part of n every call, with no task left over for a
     * thread to take from another's run: Adam's moments of a part of a weight then stay with one
     * core.
     */
    static void chunked(int n, int parallelFrom, Range body) {
        if (n < parallelFrom) {
            body.run(0, n);
            return;
        }
        Parallel pool = Backend.current().parallel();
        int size = chunkSize(n, pool.threads());
        pool.forEach((n + size - 1) / size, t -> body.run(t * size, Math.min(size, n - t * size)));
    }

    /**
     * Returns the size of {@link #chunked}'s chunks of n floats on {@code threads} threads: at most
     * {@link #CHUNK}, a multiple of {@link #CHUNK_ALIGN}, and as even as those allow over a
     * multiple of {@code threads} chunks. The MNIST MLP's first weight (401,408 floats) on two
     * threads: eight chunks of 50,176 floats, 64 of its rows, so each thread updates the 256 rows
     * that it packs in the forward's product and computes in the gradient's. Seven chunks of
     * 65,536 left one for the first thread done to take from the other's run, so that chunk's
     * moments could cross cores twice a step (the two-thread step across two dies: 2790 -> 2737
     * µs, medians of 344 interleaved runs on Zen 4; within one core complex no change).
     */
    static int chunkSize(int n, int threads) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        chunks = (chunks + threads - 1) / threads * threads;
        int size = (n + chunks - 1) / chunks;
        return (size + CHUNK_ALIGN - 1) / CHUNK_ALIGN * CHUNK_ALIGN;
    }

    /**
     * Applies {@code op} with NumPy broadcasting. Dimensions are first coalesced (adjacent ones
     * merged where both operands are laid out alike), so the kernel sees runs as long as possible:
     * a bias added to a [128, 512] batch is 128 kernel calls of length 512.
     */
    static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        ElementwiseKernels k = kernels();
        Shape out = Shape.broadcast(name, a.shape, b.shape);
        float[] y = new float[out.size()];
        if (a.shape.equals(b.shape) || y.length == 0) {
            chunked(y.length,
                (from, n) -> k.binary(op, a.data, a.offset + from, 1, b.data, b.offset + from, 1, y, from, n));
            return new Tensor(y, out);
        }
        int rank = out.rank();
        int[] sa = broadcastStrides(a.shape, out);
        int[] sb = broadcastStrides(b.shape, out);
        // Coalesce from the innermost dimension outwards; size-1 dimensions vanish.
        int[] dims = new int[rank];
        int[] as = new int[rank];
        int[] bs = new int[rank];
        int g = -1;
        for (int i = rank - 1; i >= 0; i--) {
            int d = out.dim(i);
            if (d == 1) {
                continue;
            }
            if (g >= 0 && sa[i] == as[g] * dims[g] && sb[i] == bs[g] * dims[g]) {
                dims[g] *= d;
            } else {
                g++;
                dims[g] = d;
                as[g] = sa[i];
                bs[g] = sb[i];
            }
        }
        if (g < 0) {   // every dimension is 1
            k.binary(op, a.data, a.offset, 1, b.data, b.offset, 1, y, 0, 1);
            return new Tensor(y, out);
        }
        // One group (a scalar against anything, or shapes that differ by ones): one call. Left to
        // the loop below, whose odometer then never runs, it cost recompilations: C2 hoisted the
        // odometer's entry test out of the loop on calls of two groups, and a one-group call then
        // failed it (JFR over the MNIST example's first epoch: four deoptimizations here, this
        // method compiled three times; once with this and Shape.broadcast's loop without ranks).
        if (g == 0) {
            k.binary(op, a.data, a.offset, as[0], b.data, b.offset, bs[0], y, 0, dims[0]);
            return new Tensor(y, out);
        }
        int inner = dims[0];
        int outerCount = y.length / inner;
        int[] counter = new int[g + 1];
        int ao = a.offset;
        int bo = b.offset;
        for (int o = 0, yo = 0; o < outerCount; o++, yo += inner) {
            k.binary(op, a.data, ao, as[0], b.data, bo, bs[0], y, yo, inner);
            // Odometer over the outer groups 1..g.
            for (int j = 1; j <= g; j++) {
                ao += as[j];
                bo += bs[j];
                if (++counter[j] < dims[j]) {
                    break;
                }
                counter[j] = 0;
                ao -= as[j] * dims[j];
                bo -= bs[j] * dims[j];
            }
        }
        return new Tensor(y, out);
    }

    /** Returns the element strides of {@code s} seen through {@code out}'s dimensions (0 where broadcast). */
    private static int[] broadcastStrides(Shape s, Shape out) {
        int[] strides = new int[out.rank()];
        int lead = out.rank() - s.rank();
        for (int i = 0; i < s.rank(); i++) {
            strides[lead + i] = s.dim(i) == 1 ? 0 : s.stride(i);
        }
        return strides;
    }

    /** Reduces along one axis with ADD or MAX. Rows reduce in the kernels' fixed order; columns add row by row. */
    static Tensor reduce(String name, BinaryOp op, Tensor x, int axis, boolean keepDims) {
        ElementwiseKernels k = kernels();
        int ax = x.shape.axis(axis, name);
        int len = x.shape.dim(ax);
        if (len == 0 && op == BinaryOp.MAX) {
            throw new ShapeException(name + ": cannot reduce over axis " + axis + " of size 0 (shape " + x.shape + ")");
        }
        Shape kept = x.shape.withDim(ax, 1);
        int inner = x.shape.stride(ax);
        int outer = inner == 0 ? 0 : kept.size() / inner;
        float[] y = new float[kept.size()];
        for (int o = 0; o < outer; o++) {
            int xo = x.offset + o * len * inner;
            int yo = o * inner;
            if (inner == 1) {
                y[yo] = op == BinaryOp.ADD ? k.sum(x.data, xo, len) : k.max(x.data, xo, len);
            } else if (len > 0) {
                System.arraycopy(x.data, xo, y, yo, inner);
                for (int l = 1; l < len; l++) {
                    k.binary(op, y, yo, 1, x.data, xo + l * inner, 1, y, yo, inner);
                }
            }
        }
        return new Tensor(y, keepDims ? kept : x.shape.without(ax));
    }

    /** Returns the position of the first largest of n elements spaced {@code stride} apart; NaN counts as largest. */
    static int argmax(float[] x, int xo, int n, int stride) {
        int best = 0;
        float bestValue = x[xo];
        for (int i = 1; i < n && !Float.isNaN(bestValue); i++) {
            float v = x[xo + i * stride];
            if (v > bestValue || Float.isNaN(v)) {
                best = i;
                bestValue = v;
            }
        }
        return best;
    }

    static Tensor argmaxAlong(Tensor x, int axis, boolean keepDims) {
        int ax = x.shape.axis(axis, "argmax");
        int len = x.shape.dim(ax);
        if (len == 0) {
            throw new ShapeException("argmax: cannot reduce over axis " + axis + " of size 0 (shape " + x.shape + ")");
        }
        Shape kept = x.shape.withDim(ax, 1);
        int inner = x.shape.stride(ax);
        float[] y = new float[kept.size()];
        for (int o = 0; o < y.length; o++) {
            int outerIdx = o / inner;
            int innerIdx = o % inner;
            y[o] = argmax(x.data, x.offset + outerIdx * len * inner + innerIdx, len, inner);
        }
        return new Tensor(y, keepDims ? kept : x.shape.without(ax));
    }

    static Tensor softmax(Tensor x, boolean log) {
        ElementwiseKernels k = kernels();
        String name = log ? "logSoftmax" : "softmax";
        if (x.rank() == 0) {
            throw new ShapeException(name + ": expects at least 1 dimension, got shape []");
        }
        int n = x.shape.dim(-1);
        float[] y = new float[x.size()];
        float[] shift = new float[1];
        for (int r = 0, rows = n == 0 ? 0 : y.length / n; r < rows; r++) {
            int xo = x.offset + r * n;
            int yo = r * n;
            shift[0] = k.max(x.data, xo, n);
            k.binary(BinaryOp.SUB, x.data, xo, 1, shift, 0, 0, y, yo, n);
            k.unary(UnaryOp.EXP, 0f, y, yo, y, yo, n);
            float total = k.sum(y, yo, n);
            if (log) {
                k.binary(BinaryOp.SUB, x.data, xo, 1, shift, 0, 0, y, yo, n);
                shift[0] = ScalarMath.log(total);
                k.binary(BinaryOp.SUB, y, yo, 1, shift, 0, 0, y, yo, n);
            } else {
                shift[0] = total;
                k.binary(BinaryOp.DIV, y, yo, 1, shift, 0, 0, y, yo, n);
            }
        }
        return new Tensor(y, x.shape);
    }

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() < 1 || a.rank() > 2 || b.rank() < 1 || b.rank() > 2) {
            throw new ShapeException("matmul: expects 1-D or 2-D tensors, got shapes " + a.shape + " and " + b.shape);
        }
        Tensor a2 = a.rank() == 1 ? a.reshape(1, a.size()) : a;
        Tensor b2 = b.rank() == 1 ? b.reshape(b.size(), 1) : b;
        if (a2.shape.dim(1) != b2.shape.dim(0)) {
            throw new ShapeException("matmul: shapes " + a.shape + " and " + b.shape + " cannot be multiplied ("
                    + a2.shape.dim(1) + " != " + b2.shape.dim(0) + ")");
        }
        Tensor c = product(a2, false, b2, false);
        if (a.rank() == 1 && b.rank() == 1) {
            return c.reshape();
        }
        if (a.rank() == 1) {
            return c.reshape(c.shape.dim(1));
        }
        return b.rank() == 1 ? c.reshape(c.shape.dim(0)) : c;
    }

    static Tensor matmul(Tensor a, boolean ta, Tensor b, boolean tb) {
        checkProduct("matmul", a, ta, b, tb);
        return product(a, ta, b, tb);
    }

    static void addmm(Tensor c, float beta, Tensor a, boolean ta, Tensor b, boolean tb, float alpha) {
        checkProduct("addmm", a, ta, b, tb);
        int m = a.shape.dim(ta ? 1 : 0);
        int n = b.shape.dim(tb ? 0 : 1);
        if (c.rank() != 2 || c.shape.dim(0) != m || c.shape.dim(1) != n) {
            throw new ShapeException("addmm: result of shape " + Shape.of(m, n) + " cannot be added to shape "
                    + c.shape);
        }
        gemm(a, ta, b, tb, alpha, beta, c);
    }

    private static void checkProduct(String name, Tensor a, boolean ta, Tensor b, boolean tb) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new ShapeException(name + ": expects 2-D tensors, got shapes " + a.shape + " and " + b.shape);
        }
        int ka = a.shape.dim(ta ? 0 : 1);
        int kb = b.shape.dim(tb ? 1 : 0);
        if (ka != kb) {
            throw new ShapeException(name + ": shapes " + a.shape + (ta ? "ᵀ" : "") + " and " + b.shape + (tb ? "ᵀ" : "")
                    + " cannot be multiplied (" + ka + " != " + kb + ")");
        }
    }

    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (x.rank() != 2 || w.rank() != 2 || x.shape.dim(1) != w.shape.dim(1)) {
            throw new ShapeException("linear: input " + x.shape + " and weight " + w.shape + " do not fit"
                    + " (expected input [n, in] and weight [out, in])");
        }
        int n = x.shape.dim(0);
        int in = w.shape.dim(1);
        int out = w.shape.dim(0);
        if (b != null && !b.shape.equals(Shape.of(out))) {
            throw new ShapeException("linear: bias " + b.shape + " does not fit weight " + w.shape
                    + " (expected [" + out + "])");
        }
        Tensor y = Tensor.zeros(n, out);
        if (b != null) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(b.data, b.offset, y.data, i * out, out);
            }
        }
        float beta = b == null ? 0f : 1f;
        Gemm gemm = Backend.current().gemm();
        Gemm.Packed packed = packedWeight(w, gemm);
        if (packed == null) {
            gemm(x, false, w, true, 1f, beta, y);
        } else {
            gemm.gemm(false, n, out, in, 1f, x.data, x.offset, in, packed, beta, y.data, 0, out);
        }
        return y;
    }

    /**
     * Returns w ([out, in]) packed as the transposed right operand of {@code gemm}, from w's cache
     * or anew, or null the first time w is used at its version. A weight used once per version
     * (training: each step writes it) is packed per call as any operand, into the GEMM's reused
     * buffers; kept packed copies would cost an allocation of the weight's size every step. From
     * the second use at one version (answering requests) its packed copy is kept.
     */
    private static Gemm.Packed packedWeight(Tensor w, Gemm gemm) {
        // The version is read before packing: a write during it leaves the cache stale, and the
        // next call packs again.
        int version = w.version();
        PackedWeight cached = w.packedWeight;
        int width = gemm.panelWidth();
        if (cached == null || cached.version != version || cached.width != width) {
            w.packedWeight = new PackedWeight(version, width, null);
            return null;
        }
        if (cached.packed != null) {
            return cached.packed;
        }
        int in = w.shape.dim(1);
        Gemm.Packed packed = gemm.pack(true, in, w.shape.dim(0), w.data, w.offset, in);
        w.packedWeight = new PackedWeight(version, width, packed);
        return packed;
    }

    /**
     * A weight's version when last used, its packed form then (null until its second use), and
     * the panel width it was packed for: backends whose GEMMs pack as wide share it.
     */
    static final class PackedWeight {
        final int version;
        final int width;
        final Gemm.Packed packed;

        PackedWeight(int version, int width, Gemm.Packed packed) {
            this.version = version;
            this.width = width;
            this.packed = packed;
        }
    }

    private static Tensor product(Tensor a, boolean ta, Tensor b, boolean tb) {
        Tensor c = Tensor.zeros(a.shape.dim(ta ? 1 : 0), b.shape.dim(tb ? 0 : 1));
        gemm(a, ta, b, tb, 1f, 0f, c);
        return c;
    }

    private static void gemm(Tensor a, boolean ta, Tensor b, boolean tb, float alpha, float beta, Tensor c) {
        int m = c.shape.dim(0);
        int n = c.shape.dim(1);
        int k = a.shape.dim(ta ? 0 : 1);
        Backend.current().gemm().gemm(ta, tb, m, n, k, alpha, a.data, a.offset, a.shape.dim(1),
                b.data, b.offset, b.shape.dim(1), beta, c.data, c.offset, n);
    }
}
