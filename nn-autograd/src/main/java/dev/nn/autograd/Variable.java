package dev.nn.autograd;

import dev.nn.core.Shape;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;

/**
 * A tensor that remembers how it was made: its value, its gradient after {@link #backward()},
 * whether it requires one, and the operation that produced it.
 *
 * <pre>{@code
 * var x = Variable.scalar(-2).requiresGrad();
 * var y = Variable.scalar(5).requiresGrad();
 * var z = Variable.scalar(-4).requiresGrad();
 * var f = x.add(y).mul(z);     // -12
 * f.backward();                // x.grad() = -4, y.grad() = -4, z.grad() = 3
 * }</pre>
 *
 * <p>Operations carry {@link Tensor}'s names and semantics (broadcasting included) and return
 * new variables. Backward leaves in every variable of the graph that requires a gradient
 * ({@link #gradRequired()}) the gradient of the output with respect to it, always of the
 * variable's shape, added to what was there until {@link #zeroGrad()}. A graph is used by one
 * thread at a time; separate graphs, and forward passes under {@link Autograd#noGrad()}, may run
 * on many threads at once.
 *
 * <p>Sealed: {@link Parameter} is its one subclass. New operations are written as a
 * {@link Function} or an {@code ElementwiseFunction}, not by extending this class.
 */
public sealed class Variable permits Parameter {

    private final Tensor value;
    private final Node node;
    private Tensor grad;
    // Set by zeroGrad(false): grad's storage is kept but its elements are stale, to be read as
    // zeros; grad() fills them, backward writes over them (see Backprop).
    private boolean gradStale;
    private boolean requiresGrad;
    private String name;

    /** Creates a leaf holding {@code value} (not copied), not requiring a gradient. */
    public Variable(Tensor value) {
        this(value, null);
    }

    Variable(Tensor value, Node node) {
        if (value == null) {
            throw new NullPointerException("Variable: value is null");
        }
        this.value = value;
        this.node = node;
    }

    /** Returns a leaf holding {@code value}, not requiring a gradient. */
    public static Variable of(Tensor value) {
        return new Variable(value);
    }

    /** Returns a leaf holding a copy of {@code values} in the given shape. */
    public static Variable of(float[] values, int... shape) {
        return new Variable(Tensor.of(values, shape));
    }

    /** Returns a leaf of shape {@code []} holding {@code value}. */
    public static Variable scalar(float value) {
        return new Variable(Tensor.scalar(value));
    }

    // ---- state -------------------------------------------------------------------------------

    /** Returns the value (the tensor itself, not a copy). */
    public Tensor value() {
        return value;
    }

    /** Returns the gradient from the backward passes since the last {@link #zeroGrad()}, or null if none. */
    public Tensor grad() {
        if (gradStale) {
            grad.fillInPlace(0f);
            gradStale = false;
        }
        return grad;
    }

    /** Returns the value's shape. */
    public Shape shape() {
        return value.shape();
    }

    /** Returns the only element of a variable of size 1. */
    public float item() {
        return value.item();
    }

    /**
     * Marks this leaf as requiring a gradient and returns it. Throws for a variable computed by
     * an operation (its gradient is tracked anyway; {@link #detach()} makes a new leaf).
     */
    public Variable requiresGrad() {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: only leaf variables can be marked; this one was computed by "
                    + node.function.name() + " (use detach() to make a leaf)");
        }
        requiresGrad = true;
        return this;
    }

    /** Returns whether backward computes a gradient for this variable. */
    public boolean gradRequired() {
        return requiresGrad || node != null;
    }

    /** Returns whether this variable was created by the user rather than computed by an operation. */
    public boolean isLeaf() {
        return node == null;
    }

    /** Returns the operation that produced this variable, or null for a leaf. */
    public Function operation() {
        return node == null ? null : node.function;
    }

    /** Returns the name given by {@link #named}, or null. */
    public String name() {
        return name;
    }

    /** Names this variable for graph drawings and returns it. */
    public Variable named(String name) {
        this.name = name;
        return this;
    }

    /** Forgets the accumulated gradient (sets it to null); the same as {@code zeroGrad(true)}. */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * Forgets the accumulated gradient, as PyTorch's {@code zero_grad(set_to_none)}: with
     * {@code setToNone} it becomes null, and the next backward allocates a new one; without, an
     * existing gradient keeps its storage, which the next backward writes the new gradient into
     * (a training loop then allocates no parameter gradients), and until then {@link #grad()}
     * returns it filled with zeros. The next gradient's bits are the same either way.
     *
     * <p>Without {@code setToNone} the zeros are written when {@code grad()} is called, not here
     * (backward overwrites them anyway): a tensor {@code grad()} returned before keeps its old
     * values until then, or until backward writes the new gradient into it.
     */
    public void zeroGrad(boolean setToNone) {
        if (setToNone || grad == null) {
            grad = null;
        }
        gradStale = grad != null;
    }

    /**
     * Replaces the accumulated gradient with a copy of {@code gradient} (PyTorch's
     * {@code p.grad = ...}): for gradients computed elsewhere, such as summed over the machines of
     * a cluster, that an optimizer then applies.
     *
     * @throws ShapeException if its shape is not this variable's
     */
    public void setGrad(Tensor gradient) {
        if (!gradient.shape().equals(value.shape())) {
            throw new ShapeException("setGrad: gradient " + gradient.shape() + " does not match " + value.shape());
        }
        grad = gradient.copy();
        gradStale = false;
    }

    /** Returns a new leaf sharing this value, without history and not requiring a gradient. */
    public Variable detach() {
        return new Variable(value);
    }

    Node node() {
        return node;
    }

    /**
     * Adds g to the gradient: takes g (or a copy, unless backward owns g) where there is none,
     * copies it over stale elements (zeros to be), and where backward wrote g into the kept
     * storage itself, only ends staleness.
     */
    void accumulateGrad(Tensor g, boolean owned) {
        if (grad == null) {
            grad = owned ? g : g.copy();
        } else if (g != grad) {
            if (gradStale) {
                grad.copyInPlace(g);
            } else {
                grad.addInPlace(g, 1f);
            }
        }
        gradStale = false;
    }

    /**
     * Returns the gradient's storage if {@code zeroGrad(false)} left it stale (so backward may
     * write this variable's gradient over it), else null.
     */
    Tensor staleGrad() {
        return gradStale ? grad : null;
    }

    // ---- backward ----------------------------------------------------------------------------

    /** Backpropagates from this single-valued output (seed 1) and frees the graph. */
    public void backward() {
        Backprop.backward(this, null, false);
    }

    /** Backpropagates with {@code seed} as this output's gradient (its shape) and frees the graph. */
    public void backward(Tensor seed) {
        Backprop.backward(this, seed, false);
    }

    /**
     * Backpropagates with {@code seed} as this output's gradient (null means 1 for a single
     * value); with {@code retainGraph} the saved tensors are kept so backward can run again.
     */
    public void backward(Tensor seed, boolean retainGraph) {
        Backprop.backward(this, seed, retainGraph);
    }

    // ---- elementwise -------------------------------------------------------------------------

    /** Returns {@code this + other}, broadcast. Gate: distributes the gradient to both inputs. */
    public Variable add(Variable other) {
        return BinaryOps.ADD.apply(this, other);
    }

    /** Returns {@code this + c}. */
    public Variable add(float c) {
        return add(constant(c));
    }

    /** Returns {@code this - other}, broadcast. */
    public Variable sub(Variable other) {
        return BinaryOps.SUB.apply(this, other);
    }

    /** Returns {@code this · other} elementwise, broadcast. Gate: swaps, each input gets the other times the gradient. */
    public Variable mul(Variable other) {
        return BinaryOps.MUL.apply(this, other);
    }

    /** Returns {@code this · c}. */
    public Variable mul(float c) {
        return mul(constant(c));
    }

    /** Returns {@code this / other} elementwise, broadcast. */
    public Variable div(Variable other) {
        return BinaryOps.DIV.apply(this, other);
    }

    /** Returns the elementwise maximum, broadcast. Gate: routes the gradient to the larger input (half each on a tie). */
    public Variable max(Variable other) {
        return BinaryOps.MAX.apply(this, other);
    }

    /** Returns the elementwise minimum, broadcast; the gradient goes to the smaller input (half each on a tie). */
    public Variable min(Variable other) {
        return BinaryOps.MIN.apply(this, other);
    }

    /** Returns {@code -x}. */
    public Variable neg() {
        return UnaryOps.NEG.apply(this);
    }

    /** Returns {@code eˣ}. */
    public Variable exp() {
        return UnaryOps.EXP.apply(this);
    }

    /** Returns the natural logarithm. */
    public Variable log() {
        return UnaryOps.LOG.apply(this);
    }

    /** Returns the square root. */
    public Variable sqrt() {
        return UnaryOps.SQRT.apply(this);
    }

    /** Returns {@code x²}. */
    public Variable square() {
        return UnaryOps.SQUARE.apply(this);
    }

    /** Returns {@code xᵖ}; local gradient {@code p·xᵖ⁻¹}. */
    public Variable pow(float exponent) {
        return new UnaryOps.Pow(exponent).apply(this);
    }

    /** Returns {@code |x|}; local gradient {@code sign(x)} (0 at 0). */
    public Variable abs() {
        return UnaryOps.ABS.apply(this);
    }

    /** Returns {@code max(x, 0)}; local gradient 1 where {@code x > 0}, else 0. */
    public Variable relu() {
        return UnaryOps.RELU.apply(this);
    }

    /** Returns {@code x > 0 ? x : slope·x}. */
    public Variable leakyRelu(float slope) {
        return new UnaryOps.LeakyRelu(slope).apply(this);
    }

    /** Returns {@code σ(x) = 1 / (1 + e⁻ˣ)}; local gradient {@code σ(x)·(1 - σ(x))}. */
    public Variable sigmoid() {
        return UnaryOps.SIGMOID.apply(this);
    }

    /** Returns {@code tanh(x)}; local gradient {@code 1 - tanh²(x)}. */
    public Variable tanh() {
        return UnaryOps.TANH.apply(this);
    }

    /** Returns {@code x > 0 ? x : alpha·(eˣ - 1)}. */
    public Variable elu(float alpha) {
        return new Activations.Elu(alpha).apply(this);
    }

    /** Returns SELU with PyTorch's constants: {@code λ·(x > 0 ? x : α(eˣ - 1))}. */
    public Variable selu() {
        return Activations.SELU.apply(this);
    }

    /** Returns GELU, exact: {@code x·Φ(x)} with Φ the standard normal distribution function. */
    public Variable gelu() {
        return Activations.GELU.apply(this);
    }

    /** Returns GELU in its tanh approximation: {@code ½x(1 + tanh(√(2/π)(x + 0.044715x³)))}. */
    public Variable geluTanh() {
        return Activations.GELU_TANH.apply(this);
    }

    /** Returns {@code x·σ(x)} (SiLU, also called swish). */
    public Variable silu() {
        return Activations.SILU.apply(this);
    }

    /** Returns {@code x·tanh(softplus(x))}. */
    public Variable mish() {
        return Activations.MISH.apply(this);
    }

    /** Returns {@code log(1 + eˣ)}, finite for every finite x; local gradient {@code σ(x)}. */
    public Variable softplus() {
        return Activations.SOFTPLUS.apply(this);
    }

    /** Returns {@code x / (1 + |x|)}. */
    public Variable softsign() {
        return Activations.SOFTSIGN.apply(this);
    }

    /** Returns x clamped to {@code [min, max]}; the gradient passes strictly inside. */
    public Variable hardtanh(float min, float max) {
        return new Activations.Hardtanh(min, max).apply(this);
    }

    // ---- reductions and rows -----------------------------------------------------------------

    /** Returns the sum of all elements, shape {@code []}. */
    public Variable sum() {
        return new Reductions.Sum(Reductions.ALL, false, false).apply(this);
    }

    /** Returns the sums along {@code axis}; with {@code keepDims} that axis stays with size 1. */
    public Variable sum(int axis, boolean keepDims) {
        return new Reductions.Sum(value.shape().axis(axis, "sum"), keepDims, false).apply(this);
    }

    /** Returns the mean of all elements, shape {@code []}. */
    public Variable mean() {
        return new Reductions.Sum(Reductions.ALL, false, true).apply(this);
    }

    /** Returns the means along {@code axis}; with {@code keepDims} that axis stays with size 1. */
    public Variable mean(int axis, boolean keepDims) {
        return new Reductions.Sum(value.shape().axis(axis, "mean"), keepDims, true).apply(this);
    }

    /** Returns the largest element, shape {@code []}; the gradient goes to the first largest. */
    public Variable max() {
        return new Reductions.Max(Reductions.ALL, false).apply(this);
    }

    /** Returns the maxima along {@code axis}; the gradient goes to the first largest of each. */
    public Variable max(int axis, boolean keepDims) {
        return new Reductions.Max(value.shape().axis(axis, "max"), keepDims).apply(this);
    }

    /** Returns softmax over the last dimension; backward {@code y·(g - Σ g·y)} per row. */
    public Variable softmax() {
        return Reductions.SOFTMAX.apply(this);
    }

    /** Returns log-softmax over the last dimension; backward {@code g - softmax·Σ g} per row. */
    public Variable logSoftmax() {
        return Reductions.LOG_SOFTMAX.apply(this);
    }

    /**
     * Returns {@code out[i] = x[i, indices[i]]} for a 2-D {@code [n, c]} variable, shape {@code [n]}:
     * the score of each row's class, as classification losses need (PyTorch's
     * {@code x.gather(1, y.view(-1, 1)).view(-1)}). Indices are checked before anything is computed.
     */
    public Variable gather(int[] indices) {
        return new Reductions.Gather(value.shape(), indices).apply(this);
    }

    // ---- shape and products ------------------------------------------------------------------

    /** Returns the same elements in a new shape (one dimension may be -1); the value is a view. */
    public Variable reshape(int... shape) {
        return new Products.Reshape(shape).apply(this);
    }

    /** Returns the transpose of a 2-D variable. */
    public Variable transpose() {
        return Products.TRANSPOSE.apply(this);
    }

    /**
     * Returns the matrix product, as {@link Tensor#matmul}. Backward uses GEMM's transpose flags:
     * {@code dA = dC·Bᵀ}, {@code dB = Aᵀ·dC}, never a copied transpose.
     */
    public Variable matmul(Variable other) {
        return Products.MATMUL.apply(this, other);
    }

    /**
     * Returns {@code this·weightᵀ + bias} for this {@code [n, in]}, weight {@code [out, in]} and
     * bias {@code [out]} or null: a fully connected layer as one GEMM onto the bias
     * ({@link Tensor#linear}), with backward by GEMM transpose flags.
     */
    public Variable linear(Variable weight, Variable bias) {
        return bias == null ? Products.LINEAR.apply(this, weight) : Products.LINEAR.apply(this, weight, bias);
    }

    private static Variable constant(float c) {
        return new Variable(Tensor.scalar(c));
    }

    @Override
    public String toString() {
        String head = name != null ? name + " = " : "";
        String tail = node != null ? ", operation=" + node.function.name() : requiresGrad ? ", requiresGrad" : "";
        return head + "Variable(" + value + tail + ")";
    }
}
