package dev.nn.core;

import dev.nn.core.function.FloatFunction;
import dev.nn.core.function.VectorFunction;
import dev.nn.core.kernel.BinaryOp;
import dev.nn.core.kernel.UnaryOp;
import java.util.Arrays;

/**
 * A float32 n-dimensional array: row-major, contiguous, on a heap {@code float[]}.
 *
 * <p>Operations return new tensors and leave their inputs untouched; the few that modify a
 * tensor say so ({@link #set}, {@link #copyInPlace}, {@link #scaleInPlace}, {@link #addInPlace},
 * {@link #addmmInPlace}) and advance its
 * {@link #version()}.
 * {@link #reshape} and {@link #rows} are views: they share storage and version with their base.
 * Binary operations broadcast like NumPy. All work runs on the kernels chosen by
 * {@code KernelProvider}; matrix products, and elementwise operations on a million elements or
 * more, also run on the pool sized by {@code -Dnn.threads}, with results independent of it.
 */
public final class Tensor {

    final float[] data;
    final int offset;
    final Shape shape;
    private final int[] version;   // one cell shared by a tensor and all its views
    // This tensor as linear's weight: its version at the last use and, from the second, its packed form.
    volatile TensorOps.PackedWeight packedWeight;

    Tensor(float[] data, int offset, Shape shape, int[] version) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.version = version;
    }

    Tensor(float[] data, Shape shape) {
        this(data, 0, shape, new int[1]);
    }

    // ---- factories ---------------------------------------------------------------------------

    /** Returns a tensor of zeros. */
    public static Tensor zeros(int... shape) {
        Shape s = Shape.of(shape);
        return new Tensor(new float[s.size()], s);
    }

    /** Returns a tensor of ones. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /** Returns a tensor with every element {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** Returns a tensor holding a copy of {@code values} in the given shape (row-major). */
    public static Tensor of(float[] values, int... shape) {
        Shape s = Shape.of(shape);
        if (values.length != s.size()) {
            throw new ShapeException("of: " + values.length + " values cannot fill shape " + s + " (" + values.length
                    + " != " + s.size() + ")");
        }
        return new Tensor(values.clone(), s);
    }

    /** Returns a tensor of shape {@code []} holding {@code value}. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, Shape.scalar());
    }

    /** Returns the 1-D tensor {@code [0, 1, ..., n-1]}. */
    public static Tensor arange(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("arange: n must be >= 0, got " + n);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return new Tensor(v, Shape.of(n));
    }

    /** Returns a tensor of uniform draws from [0, 1), taken in row-major order from {@code generator}. */
    public static Tensor rand(Generator generator, int... shape) {
        Tensor t = zeros(shape);
        TensorOps.uniform(generator.skip(t.data.length), t.data);
        return t;
    }

    /** Returns a tensor of standard normal draws, taken in row-major order from {@code generator}. */
    public static Tensor randn(Generator generator, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = generator.nextGaussian();
        }
        return t;
    }

    // ---- shape and access --------------------------------------------------------------------

    /** Returns the shape. */
    public Shape shape() {
        return shape;
    }

    /** Returns the number of elements. */
    public int size() {
        return shape.size();
    }

    /** Returns the number of dimensions. */
    public int rank() {
        return shape.rank();
    }

    /**
     * Returns how many times this tensor's storage has been modified in place; views share the
     * count. Autograd compares it to detect tensors changed after being saved for backward.
     */
    public int version() {
        return version[0];
    }

    /** Returns the element at {@code index} (one index per dimension). */
    public float get(int... index) {
        return data[offset + flatIndex("get", index)];
    }

    /** Returns the only element of a tensor of size 1. */
    public float item() {
        if (size() != 1) {
            throw new ShapeException("item: tensor of shape " + shape + " has " + size()
                    + " elements, expected 1");
        }
        return data[offset];
    }

    /** Sets the element at {@code index} to {@code value}, in place, and advances the version. */
    public void set(float value, int... index) {
        int i = flatIndex("set", index);
        data[offset + i] = value;
        version[0]++;
    }

    /**
     * Returns whether this tensor and {@code other} use the same storage (one is a view of the
     * other, or both of a third), so writing to one may change the other.
     */
    public boolean sharesMemory(Tensor other) {
        return data == other.data;
    }

    /** Returns a copy of the elements in row-major order. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size());
    }

    /** Returns a copy with its own storage. */
    public Tensor copy() {
        return new Tensor(toArray(), shape);
    }

    /**
     * Returns a view with the same elements in a new shape (no copy); one dimension may be
     * {@code -1} and is then inferred.
     */
    public Tensor reshape(int... newShape) {
        int[] dims = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1 && infer < 0) {
                infer = i;
            } else if (dims[i] < 0) {
                throw new ShapeException("reshape: cannot reshape " + shape + " to " + Arrays.toString(newShape)
                        + " (only one dimension may be -1, and none below it)");
            } else {
                known *= dims[i];
            }
        }
        if (infer >= 0 && known != 0 && size() % known == 0) {
            dims[infer] = (int) (size() / known);
            known *= dims[infer];
        }
        if (known != size() || (infer >= 0 && known == 0)) {
            throw new ShapeException("reshape: cannot reshape " + shape + " to " + Arrays.toString(newShape)
                    + " (" + size() + " elements != " + known + ")");
        }
        return new Tensor(data, offset, Shape.of(dims), version);
    }

    /** Returns the transpose of a 2-D tensor as a new contiguous tensor: {@code [m, n]} to {@code [n, m]}. */
    public Tensor transpose() {
        if (rank() != 2) {
            throw new ShapeException("transpose: expects a 2-D tensor, got shape " + shape);
        }
        int m = shape.dim(0);
        int n = shape.dim(1);
        float[] t = new float[size()];
        // Blocked, so both the reads and the writes stay within a few cache lines.
        final int block = 32;
        for (int i0 = 0; i0 < m; i0 += block) {
            for (int j0 = 0; j0 < n; j0 += block) {
                for (int i = i0; i < Math.min(m, i0 + block); i++) {
                    for (int j = j0; j < Math.min(n, j0 + block); j++) {
                        t[j * m + i] = data[offset + i * n + j];
                    }
                }
            }
        }
        return new Tensor(t, Shape.of(n, m));
    }

    /**
     * Returns rows {@code [from, to)} along the first dimension as a view (no copy), for example
     * one batch of a dataset.
     */
    public Tensor rows(int from, int to) {
        if (rank() == 0) {
            throw new ShapeException("rows: a scalar has no rows (shape [])");
        }
        int n = shape.dim(0);
        if (from < 0 || to > n || from > to) {
            throw new IndexOutOfBoundsException("rows: range [" + from + ", " + to + ") is out of bounds for "
                    + n + " rows (shape " + shape + ")");
        }
        int rowSize = shape.stride(0);
        return new Tensor(data, offset + from * rowSize, shape.withDim(0, to - from), version);
    }

    /**
     * Returns a new tensor of rows {@code indices[0], indices[1], ...} along the first dimension
     * (PyTorch's {@code index_select} on dimension 0), for example a shuffled batch. Every index is
     * checked before anything is copied.
     */
    public Tensor selectRows(int[] indices) {
        if (rank() == 0) {
            throw new ShapeException("selectRows: a scalar has no rows (shape [])");
        }
        int n = shape.dim(0);
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= n) {
                throw new IndexOutOfBoundsException("selectRows: index " + indices[i] + " at position " + i
                        + " is out of range for " + n + " rows (shape " + shape + ")");
            }
        }
        int rowSize = shape.stride(0);
        float[] out = new float[indices.length * rowSize];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(data, offset + indices[i] * rowSize, out, i * rowSize, rowSize);
        }
        return new Tensor(out, shape.withDim(0, indices.length));
    }

    // ---- elementwise -------------------------------------------------------------------------

    /** Returns {@code -x}. */
    public Tensor neg() {
        return TensorOps.unary(UnaryOp.NEG, 0f, this);
    }

    /** Returns {@code |x|}. */
    public Tensor abs() {
        return TensorOps.unary(UnaryOp.ABS, 0f, this);
    }

    /** Returns {@code eˣ} (our polynomial, at most 2 ulp). */
    public Tensor exp() {
        return TensorOps.unary(UnaryOp.EXP, 0f, this);
    }

    /** Returns the natural logarithm (our polynomial, at most 2 ulp; -∞ at 0, NaN below). */
    public Tensor log() {
        return TensorOps.unary(UnaryOp.LOG, 0f, this);
    }

    /** Returns the square root. */
    public Tensor sqrt() {
        return TensorOps.unary(UnaryOp.SQRT, 0f, this);
    }

    /** Returns {@code x²}. */
    public Tensor square() {
        return TensorOps.unary(UnaryOp.SQUARE, 0f, this);
    }

    /** Returns {@code 1 / x}. */
    public Tensor reciprocal() {
        return TensorOps.unary(UnaryOp.RECIPROCAL, 0f, this);
    }

    /** Returns {@code xᵖ} ({@link Math#pow} semantics). */
    public Tensor pow(float exponent) {
        if (exponent == 2f) {
            return square();
        }
        return TensorOps.unary(UnaryOp.POW, exponent, this);
    }

    /** Returns the hyperbolic tangent (our polynomial, at most 2 ulp). */
    public Tensor tanh() {
        return TensorOps.unary(UnaryOp.TANH, 0f, this);
    }

    /** Returns {@code 1 / (1 + e⁻ˣ)}. */
    public Tensor sigmoid() {
        return TensorOps.unary(UnaryOp.SIGMOID, 0f, this);
    }

    /** Returns the error function {@code erf(x)} (absolute error below 3e-7). */
    public Tensor erf() {
        return TensorOps.unary(UnaryOp.ERF, 0f, this);
    }

    /** Returns {@code max(x, 0)}. */
    public Tensor relu() {
        return TensorOps.unary(UnaryOp.RELU, 0f, this);
    }

    /** Returns {@code x > 0 ? x : slope·x}. */
    public Tensor leakyRelu(float slope) {
        return TensorOps.unary(UnaryOp.LEAKY_RELU, slope, this);
    }

    /** Returns {@code x > 0 ? x : alpha·(eˣ - 1)}. */
    public Tensor elu(float alpha) {
        return TensorOps.unary(UnaryOp.ELU, alpha, this);
    }

    /** Returns SELU with PyTorch's constants: {@code 1.0507·(x > 0 ? x : 1.67326·(eˣ - 1))}. */
    public Tensor selu() {
        return TensorOps.unary(UnaryOp.SELU, 0f, this);
    }

    /** Returns {@code x·sigmoid(x)} (SiLU, also called swish). */
    public Tensor silu() {
        return TensorOps.unary(UnaryOp.SILU, 0f, this);
    }

    /** Returns {@code log(1 + eˣ)}, finite for every finite x. */
    public Tensor softplus() {
        return TensorOps.unary(UnaryOp.SOFTPLUS, 0f, this);
    }

    /** Returns {@code x / (1 + |x|)}. */
    public Tensor softsign() {
        return TensorOps.unary(UnaryOp.SOFTSIGN, 0f, this);
    }

    /** Returns GELU in its tanh approximation: {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. */
    public Tensor geluTanh() {
        return TensorOps.unary(UnaryOp.GELU_TANH, 0f, this);
    }

    /** Returns GELU, exact: {@code x·Φ(x)} with Φ the standard normal distribution function. */
    public Tensor gelu() {
        return TensorOps.unary(UnaryOp.GELU, 0f, this);
    }

    /** Returns {@code x·tanh(softplus(x))}. */
    public Tensor mish() {
        return TensorOps.unary(UnaryOp.MISH, 0f, this);
    }

    /**
     * Returns {@code f(x)} elementwise for a user's function: {@code vf} (may be null) on whole
     * vectors when the SIMD kernels are active, {@code f} on the rest. The two must agree. For a
     * function applied many times, {@link Elementwise} keeps its compiled loop.
     */
    public Tensor map(FloatFunction f, VectorFunction vf) {
        return Elementwise.of(f, vf).apply(this);
    }

    /**
     * Returns the gradient with respect to an activation's input, given this gradient with respect
     * to its output: {@code this·activation'(x)} in one pass. {@code saved} is the activation's
     * output y or its input x, as {@link UnaryOp#backwardReads()} says; {@code p} its parameter.
     *
     * @throws IllegalArgumentException if the activation has no fused backward
     * @throws ShapeException if saved's shape is not this gradient's
     */
    public Tensor activationBackward(UnaryOp activation, float p, Tensor saved) {
        return TensorOps.activationBackward(activation, p, this, saved);
    }

    /** Returns {@code this + other}, broadcast. */
    public Tensor add(Tensor other) {
        return TensorOps.binary("add", BinaryOp.ADD, this, other);
    }

    /** Returns {@code this - other}, broadcast. */
    public Tensor sub(Tensor other) {
        return TensorOps.binary("sub", BinaryOp.SUB, this, other);
    }

    /** Returns {@code this · other} elementwise, broadcast. */
    public Tensor mul(Tensor other) {
        return TensorOps.binary("mul", BinaryOp.MUL, this, other);
    }

    /** Returns {@code this / other} elementwise, broadcast. */
    public Tensor div(Tensor other) {
        return TensorOps.binary("div", BinaryOp.DIV, this, other);
    }

    /** Returns {@code this + value} elementwise: {@code add(Tensor.scalar(value))}. */
    public Tensor add(float value) {
        return add(scalar(value));
    }

    /** Returns {@code this - value} elementwise: {@code sub(Tensor.scalar(value))}. */
    public Tensor sub(float value) {
        return sub(scalar(value));
    }

    /** Returns {@code this · value} elementwise: {@code mul(Tensor.scalar(value))}. */
    public Tensor mul(float value) {
        return mul(scalar(value));
    }

    /** Returns {@code this / value} elementwise: {@code div(Tensor.scalar(value))}. */
    public Tensor div(float value) {
        return div(scalar(value));
    }

    /** Returns the elementwise maximum, broadcast; NaN wins. */
    public Tensor max(Tensor other) {
        return TensorOps.binary("max", BinaryOp.MAX, this, other);
    }

    /** Returns the elementwise minimum, broadcast; NaN wins. */
    public Tensor min(Tensor other) {
        return TensorOps.binary("min", BinaryOp.MIN, this, other);
    }

    /** Returns 1 where {@code this > other} and 0 elsewhere, broadcast. */
    public Tensor gt(Tensor other) {
        return TensorOps.binary("gt", BinaryOp.GT, this, other);
    }

    /** Returns 1 where {@code this >= other} and 0 elsewhere, broadcast. */
    public Tensor ge(Tensor other) {
        return TensorOps.binary("ge", BinaryOp.GE, this, other);
    }

    /** Returns 1 where {@code this < other} and 0 elsewhere, broadcast. */
    public Tensor lt(Tensor other) {
        return TensorOps.binary("lt", BinaryOp.LT, this, other);
    }

    /** Returns 1 where {@code this <= other} and 0 elsewhere, broadcast. */
    public Tensor le(Tensor other) {
        return TensorOps.binary("le", BinaryOp.LE, this, other);
    }

    /** Returns 1 where {@code this == other} and 0 elsewhere, broadcast. */
    public Tensor eq(Tensor other) {
        return TensorOps.binary("eq", BinaryOp.EQ, this, other);
    }

    /** Returns 1 where {@code this != other} and 0 elsewhere, broadcast. */
    public Tensor ne(Tensor other) {
        return TensorOps.binary("ne", BinaryOp.NE, this, other);
    }

    // ---- reductions --------------------------------------------------------------------------

    /** Returns the sum of all elements as a scalar tensor (deterministic order). */
    public Tensor sum() {
        return scalar(TensorOps.kernels().sum(data, offset, size()));
    }

    /** Returns the sums along {@code axis}; with {@code keepDims} that axis stays with size 1. */
    public Tensor sum(int axis, boolean keepDims) {
        return TensorOps.reduce("sum", BinaryOp.ADD, this, axis, keepDims);
    }

    /** Returns the mean of all elements as a scalar tensor (NaN for an empty tensor). */
    public Tensor mean() {
        return scalar(TensorOps.kernels().sum(data, offset, size()) / size());
    }

    /** Returns the means along {@code axis}; with {@code keepDims} that axis stays with size 1. */
    public Tensor mean(int axis, boolean keepDims) {
        int n = shape.dim(shape.axis(axis, "mean"));
        Tensor s = TensorOps.reduce("mean", BinaryOp.ADD, this, axis, keepDims);
        return TensorOps.binary("mean", BinaryOp.DIV, s, scalar(n));
    }

    /** Returns the largest element as a scalar tensor (NaN if any is NaN); throws if empty. */
    public Tensor max() {
        if (size() == 0) {
            throw new ShapeException("max: cannot reduce an empty tensor (shape " + shape + ")");
        }
        return scalar(TensorOps.kernels().max(data, offset, size()));
    }

    /** Returns the maxima along {@code axis}; with {@code keepDims} that axis stays with size 1. */
    public Tensor max(int axis, boolean keepDims) {
        return TensorOps.reduce("max", BinaryOp.MAX, this, axis, keepDims);
    }

    /** Returns the row-major index of the first largest element (a NaN counts as largest). */
    public int argmax() {
        if (size() == 0) {
            throw new ShapeException("argmax: cannot reduce an empty tensor (shape " + shape + ")");
        }
        return TensorOps.argmax(data, offset, size(), 1);
    }

    /**
     * Returns the index of the first largest element along {@code axis}, as exact float values
     * (a NaN counts as largest); with {@code keepDims} that axis stays with size 1.
     */
    public Tensor argmax(int axis, boolean keepDims) {
        return TensorOps.argmaxAlong(this, axis, keepDims);
    }

    /** Returns softmax over the last dimension: {@code exp(x - max) / Σ exp(x - max)} per row. */
    public Tensor softmax() {
        return TensorOps.softmax(this, false);
    }

    /** Returns log-softmax over the last dimension: {@code x - max - log Σ exp(x - max)} per row. */
    public Tensor logSoftmax() {
        return TensorOps.softmax(this, true);
    }

    // ---- matrix products ---------------------------------------------------------------------

    /**
     * Returns the matrix product: {@code [m, k]·[k, n]} gives {@code [m, n]}; a 1-D operand is
     * a row vector on the left or a column vector on the right, and that dimension is dropped.
     */
    public Tensor matmul(Tensor other) {
        return TensorOps.matmul(this, other);
    }

    /**
     * Returns {@code op(a)·op(b)} for 2-D tensors, where op transposes when its flag is set,
     * without copying a transpose (backward passes use this: {@code dW = dYᵀ·X}).
     */
    public static Tensor matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB) {
        return TensorOps.matmul(a, transposeA, b, transposeB);
    }

    /**
     * Returns {@code x·wᵀ + b}, a linear layer's forward: x {@code [n, in]}, w {@code [out, in]},
     * b {@code [out]} or null, result {@code [n, out]} (the bias copied into each row and the
     * product added to it, one GEMM and no second pass).
     *
     * <p>From the second call with w at one {@link #version()}, w's packed form (the panels the
     * GEMM reads) is kept with w and reused while the version stays the same, so calls that
     * answer requests with an unchanged weight do not repack it (the copy costs w's size in
     * memory); an in-place write to w (an optimizer step, loading weights) advances the version.
     * A weight written between uses, as in training, is packed per call without keeping a copy.
     * Calls with the same w may run on many threads at once. The result's bits do not depend on
     * whether a packed copy was used.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return TensorOps.linear(x, w, b);
    }

    /**
     * Copies {@code source}'s elements into this tensor, in place, and advances the version;
     * the shapes must be equal. Loading weights and initializing parameters use it. Throws,
     * leaving this unchanged, if the shapes differ.
     */
    public void copyInPlace(Tensor source) {
        if (!shape.equals(source.shape)) {
            throw new ShapeException("copyInPlace: shapes " + shape + " and " + source.shape + " differ");
        }
        System.arraycopy(source.data, source.offset, data, offset, size());
        version[0]++;
    }

    /**
     * Sets every element to {@code value}, in place, and advances the version ({@code fill_} in
     * PyTorch): a gradient kept by {@code Variable.zeroGrad(false)} is cleared this way.
     */
    public void fillInPlace(float value) {
        Arrays.fill(data, offset, offset + size(), value);
        version[0]++;
    }

    /**
     * Multiplies every element by {@code factor}, in place, and advances the version (optimizer
     * moments decay this way: {@code m = beta·m}).
     */
    public void scaleInPlace(float factor) {
        TensorOps.scale(factor, this);
        version[0]++;
    }

    /**
     * Replaces every element x with {@code op(x)} in place ({@code p} is the op's parameter, as
     * {@link UnaryOp} says) and advances the version: the bits of the op's own method
     * ({@link #relu()}, {@link #tanh()}, ...) without a new tensor. {@code Sequential} runs a
     * built-in activation on a {@code Linear}'s output this way when no graph is recorded.
     */
    public void applyInPlace(UnaryOp op, float p) {
        if (op == null) {
            throw new NullPointerException("applyInPlace: op is null");
        }
        TensorOps.unary(op, p, this, this);
        version[0]++;
    }

    /**
     * Sets {@code this = this + alpha·other} in place (fused multiply-add per element) and
     * advances the version; the shapes must be equal. Gradient accumulation and optimizer
     * updates use it. Throws, leaving this unchanged, if the shapes differ.
     */
    public void addInPlace(Tensor other, float alpha) {
        TensorOps.axpy(alpha, other, this);
        version[0]++;
    }

    /**
     * Sets {@code this = beta·this + alpha·op(a)·op(b)} in place, for 2-D tensors (BLAS's GEMM),
     * and advances the version. Throws, leaving this unchanged, if the shapes do not fit.
     */
    public void addmmInPlace(float beta, Tensor a, boolean transposeA, Tensor b, boolean transposeB, float alpha) {
        TensorOps.addmm(this, beta, a, transposeA, b, transposeB, alpha);
        version[0]++;
    }

    /** Advances the version after an in-place write made outside this class (by {@link Updates}). */
    void bump() {
        version[0]++;
    }

    // ---- object ------------------------------------------------------------------------------

    /** Returns whether {@code o} is a tensor of the same shape with bit-identical elements. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Tensor)) {
            return false;
        }
        Tensor t = (Tensor) o;
        if (!shape.equals(t.shape)) {
            return false;
        }
        for (int i = 0; i < size(); i++) {
            if (Float.floatToIntBits(data[offset + i]) != Float.floatToIntBits(t.data[t.offset + i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = shape.hashCode();
        for (int i = 0; i < size(); i++) {
            h = 31 * h + Float.floatToIntBits(data[offset + i]);
        }
        return h;
    }

    /** Returns the elements as NumPy prints an array, eliding the middle of large tensors. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }

    private int flatIndex(String op, int[] index) {
        if (index.length != rank()) {
            throw new ShapeException(op + ": " + index.length + " indices for shape " + shape + " (expected "
                    + rank() + ")");
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new IndexOutOfBoundsException(op + ": index " + Arrays.toString(index) + " is out of bounds for"
                        + " shape " + shape + " (" + index[i] + " not in [0, " + d + ") at dimension " + i + ")");
            }
            flat = flat * d + index[i];
        }
        return flat;
    }
}
