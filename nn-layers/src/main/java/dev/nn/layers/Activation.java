package dev.nn.layers;

import dev.nn.autograd.ElementwiseFunction;
import dev.nn.autograd.Function;
import dev.nn.autograd.Parameter;
import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.core.function.FloatBiFunction;
import dev.nn.core.function.FloatFunction;
import dev.nn.core.function.VectorBiFunction;
import dev.nn.core.function.VectorFunction;

/**
 * The extension point for activations: a user's activation as a module, declared in one line,
 * four ways, simplest first.
 *
 * <pre>{@code
 * // 1. composed of existing operations: no backward code at all
 * var swish = Activation.of("swish", x -> x.mul(x.sigmoid()));
 * // 2. an elementwise function and its derivative, as scalar lambdas: f'(x), or f'(x, y) where
 * //    the output makes it cheaper; FloatVector forms beside them (written with VectorMath) run at
 * //    a built-in's speed
 * var square = Activation.of("square", x -> x * x, x -> 2 * x);
 * var logistic = Activation.of("logistic", x -> 1 / (1 + (float) Math.exp(-x)), (x, y) -> y * (1 - y));
 * // 3. with learnable parameters, composed: PReLU with one slope per channel, trained and saved as "weight"
 * var prelu = Activation.parametric("prelu", Tensor.full(0.25f, 64), (x, a) -> x.relu().sub(a.mul(x.neg().relu())));
 * // 4. a full custom operation: a Function with forward and backward side by side
 * var gate = Activation.of(new MyGate());
 * GradCheck.assertGradients(in -> swish.forward(in[0]), x);   // whichever way: checked in one call
 * }</pre>
 *
 * <p>What each costs, forward and backward of swish over a [128, 512] batch (JDK 25, one thread;
 * nn-bench's {@code compare_activation.py}): with vector forms written with {@code VectorMath},
 * the built-in SiLU's time, each function in loops of its own however many a program defines
 * (with the Vector API's own {@code EXP}, 1.4-1.6 times); as scalar lambdas calling
 * {@code Math.exp}, 1.1-1.2 times, because the SIMD kernels read a lambda with no vector form and
 * run it as passes of their own vector loops (what they can read, and how close the results are,
 * is in {@link dev.nn.core.function.FloatFunction}); composed of built-ins 1.5 times. A scalar
 * lambda they cannot read (one calling {@code Math.log1p}, say) runs one element at a time, 10-13
 * times.
 */
public final class Activation extends Module {

    /** An activation written as a composition of differentiable operations. */
    @FunctionalInterface
    public interface Composition {
        /** Returns the activation of {@code x}. */
        Variable apply(Variable x);
    }

    /** An activation with learnable parameters, written as a composition of differentiable operations. */
    @FunctionalInterface
    public interface ParametricComposition {
        /** Returns the activation of {@code x} given the parameter {@code p}. */
        Variable apply(Variable x, Variable p);
    }

    private final String name;
    private final Composition body;
    private final Parameter weight;

    private Activation(String name, Composition body, Parameter weight) {
        this.name = requireName(name);
        this.body = body;
        this.weight = weight == null ? null : registerParameter("weight", weight);
    }

    private static String requireName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Activation: name must not be empty");
        }
        return name;
    }

    /** Returns an activation composed of existing operations; backward comes from theirs. */
    public static Activation of(String name, Composition composition) {
        return new Activation(name, composition, null);
    }

    /** Returns an elementwise activation from its function and its derivative {@code f'(x)}, as scalar lambdas. */
    public static Activation of(String name, FloatFunction f, FloatFunction derivative) {
        return new Activation(name, ElementwiseFunction.of(name, f, derivative)::apply, null);
    }

    /**
     * Returns an elementwise activation from its function and its derivative {@code f'(x, y)},
     * which reads the output {@code y = f(x)} as well, as scalar lambdas.
     */
    public static Activation of(String name, FloatFunction f, FloatBiFunction derivative) {
        return new Activation(name, ElementwiseFunction.of(name, f, derivative)::apply, null);
    }

    /**
     * Returns an elementwise activation from scalar and {@code FloatVector} forms of its function
     * and derivative {@code f'(x)}: the vector forms run on whole vectors, the scalar ones on the tails.
     */
    public static Activation of(String name, FloatFunction f, FloatFunction derivative,
                                VectorFunction vectorF, VectorFunction vectorDerivative) {
        return new Activation(name, ElementwiseFunction.of(name, f, derivative, vectorF, vectorDerivative)::apply,
                null);
    }

    /**
     * Returns an elementwise activation from scalar and {@code FloatVector} forms of its function
     * and derivative {@code f'(x, y)}.
     */
    public static Activation of(String name, FloatFunction f, FloatBiFunction derivative,
                                VectorFunction vectorF, VectorBiFunction vectorDerivative) {
        return new Activation(name, ElementwiseFunction.of(name, f, derivative, vectorF, vectorDerivative)::apply,
                null);
    }

    /** Returns an activation applying a user's one-input {@link Function}. */
    public static Activation of(Function function) {
        return new Activation(function.name(), function::apply, null);
    }

    /**
     * Returns an activation with a learnable parameter, registered as {@code weight} (so optimizers
     * train it and weight files save it), initialised to a copy of {@code initial}: shape [1] for
     * one value, [channels] for one per feature of a [batch, channels] input (broadcasting).
     * Backward comes from the composition's operations.
     */
    public static Activation parametric(String name, Tensor initial, ParametricComposition composition) {
        requireName(name);
        if (initial == null || composition == null) {
            throw new NullPointerException(name + ": the initial parameter and the composition are both required");
        }
        Parameter weight = new Parameter(initial.copy());
        return new Activation(name, x -> composition.apply(x, weight), weight);
    }

    /**
     * Returns the learnable parameter of an activation made by {@link #parametric}, such as PReLU's slopes.
     *
     * @throws IllegalStateException if this activation has none
     */
    public Parameter weight() {
        if (weight == null) {
            throw new IllegalStateException(describe() + ": has no parameter (only Activation.parametric makes one)");
        }
        return weight;
    }

    @Override
    public Variable forward(Variable x) {
        return body.apply(x);
    }

    @Override
    protected String describe() {
        return "Activation(" + name + (weight == null ? "" : ", weight=" + weight.shape()) + ")";
    }
}
