package dev.nn.autograd;

import dev.nn.core.Shape;
import dev.nn.core.Tensor;

/**
 * A differentiable operation, written as the lecture draws a gate: its forward computation and
 * its local gradient side by side. Every built-in operation of {@link Variable} is one; a user
 * extends this class to add their own, and it joins the graph like a built-in.
 *
 * <pre>{@code
 * class Mul extends Function {
 *     Mul() { super("mul"); }
 *     protected Tensor forward(Context ctx, Tensor... in) {
 *         ctx.save(in[0], in[1]);
 *         return in[0].mul(in[1]);
 *     }
 *     protected Tensor[] backward(Context ctx, Tensor grad) {   // mul swaps
 *         return new Tensor[] {grad.mul(ctx.saved(1)), grad.mul(ctx.saved(0))};
 *     }
 * }
 * Variable z = new Mul().apply(x, y);
 * }</pre>
 *
 * <p>An instance holds no per-call state (that goes into the {@link Context}), so one instance
 * may be applied any number of times, from any thread.
 */
public abstract class Function {

    private final String name;
    // Built-ins promise that each gradient they return is either new or a view of the incoming
    // gradient, so backward may keep it without a copy; a user's function gets copied.
    private final boolean builtIn;

    /** Creates a function shown as {@code name} in errors and graph drawings. */
    protected Function(String name) {
        this(name, false);
    }

    Function(String name, boolean builtIn) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Function: name must not be empty");
        }
        this.name = name;
        this.builtIn = builtIn;
    }

    /** Returns the name shown in errors and graph drawings. */
    public final String name() {
        return name;
    }

    final boolean builtIn() {
        return builtIn;
    }

    /**
     * Returns the output computed from the inputs' values. Must not modify the inputs; saves
     * with {@link Context#save} whatever {@link #backward} will need.
     */
    protected abstract Tensor forward(Context ctx, Tensor... inputs);

    /**
     * Returns the gradient of the loss with respect to each input, given {@code grad}, its
     * gradient with respect to the output (the chain rule: upstream times local gradient). Each
     * has its input's shape; an entry may be null where {@link Context#needsGrad} is false.
     */
    protected abstract Tensor[] backward(Context ctx, Tensor grad);

    /**
     * Applies the function: runs {@link #forward} on the inputs' values and, when any input
     * requires a gradient and gradients are enabled, records it in the graph.
     */
    public final Variable apply(Variable... inputs) {
        return Backprop.apply(this, inputs);
    }

    /**
     * Returns {@code grad} summed down to {@code shape}, the reverse of broadcasting: leading
     * dimensions are summed away and dimensions of size 1 in {@code shape} summed with keep-dims.
     */
    protected static Tensor sumTo(Tensor grad, Shape shape) {
        if (grad.shape().equals(shape)) {
            return grad;
        }
        Tensor g = grad;
        while (g.rank() > shape.rank()) {
            g = g.sum(0, false);
        }
        for (int axis = 0; axis < shape.rank(); axis++) {
            if (shape.dim(axis) == 1 && g.shape().dim(axis) != 1) {
                g = g.sum(axis, true);
            }
        }
        return g.reshape(shape.dims());
    }

    @Override
    public String toString() {
        return name;
    }
}
