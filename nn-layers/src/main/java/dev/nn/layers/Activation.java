package dev.nn.layers;

import dev.nn.autograd.ElementwiseFunction;
import dev.nn.autograd.Function;
import dev.nn.autograd.Variable;
import dev.nn.core.kernel.FloatFunction;
import dev.nn.core.kernel.VectorFunction;

/**
 * The extension point for activations: a user's activation as a module, declared in one line,
 * three ways, simplest first.
 *
 * <pre>{@code
 * // 1. composed of existing operations: no backward code at all
 * var swish = Activation.of("swish", x -> x.mul(x.sigmoid()));
 * // 2. an elementwise function and its derivative (scalar lambdas; FloatVector ones for SIMD speed)
 * var square = Activation.of("square", x -> x * x, x -> 2 * x);
 * // 3. a full custom operation: a Function with forward and backward side by side
 * var gate = Activation.of(new MyGate());
 * GradCheck.assertGradients(in -> swish.forward(in[0]), x);   // whichever way: checked in one call
 * }</pre>
 */
public final class Activation extends Module {

    /** An activation written as a composition of differentiable operations. */
    @FunctionalInterface
    public interface Composition {
        /** Returns the activation of {@code x}. */
        Variable apply(Variable x);
    }

    private final String name;
    private final Composition body;

    private Activation(String name, Composition body) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Activation: name must not be empty");
        }
        this.name = name;
        this.body = body;
    }

    /** Returns an activation composed of existing operations; backward comes from theirs. */
    public static Activation of(String name, Composition composition) {
        return new Activation(name, composition);
    }

    /** Returns an elementwise activation from its function and derivative, as scalar lambdas. */
    public static Activation of(String name, FloatFunction f, FloatFunction derivative) {
        ElementwiseFunction op = ElementwiseFunction.of(name, f, derivative);
        return new Activation(name, op::apply);
    }

    /**
     * Returns an elementwise activation from scalar and {@code FloatVector} forms of its function
     * and derivative: the vector forms run on whole vectors, the scalar ones on the tails.
     */
    public static Activation of(String name, FloatFunction f, FloatFunction derivative,
                                VectorFunction vectorF, VectorFunction vectorDerivative) {
        ElementwiseFunction op = ElementwiseFunction.of(name, f, derivative, vectorF, vectorDerivative);
        return new Activation(name, op::apply);
    }

    /** Returns an activation applying a user's one-input {@link Function}. */
    public static Activation of(Function function) {
        return new Activation(function.name(), function::apply);
    }

    @Override
    public Variable forward(Variable x) {
        return body.apply(x);
    }

    @Override
    protected String describe() {
        return "Activation(" + name + ")";
    }
}
