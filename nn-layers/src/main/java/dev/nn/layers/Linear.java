package dev.nn.layers;

import dev.nn.autograd.Parameter;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.ShapeException;
import dev.nn.layers.init.Init;

/**
 * A fully connected layer: {@code y = x·Wᵀ + b}, input {@code [batch, in]} (or any leading
 * dimensions, or a single {@code [in]}), output {@code [batch, out]}. Weight {@code [out, in]}
 * and bias {@code [out]} start as PyTorch's do: U(-1/√in, 1/√in). Forward is one GEMM onto the
 * bias ({@link dev.nn.core.Tensor#linear}, which keeps the weight's packed form while the weight
 * is unchanged, so answering requests does not repack it); backward uses GEMM's transpose flags.
 */
public class Linear extends Module {

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    /** Creates a layer with a bias, initialized from {@link Init#nextGenerator()}. */
    public Linear(int in, int out) {
        this(in, out, true);
    }

    /** Creates a layer, with or without a bias, initialized from {@link Init#nextGenerator()}. */
    public Linear(int in, int out, boolean bias) {
        this(in, out, bias, Init.nextGenerator());
    }

    /** Creates a layer initialized from {@code generator}. */
    public Linear(int in, int out, boolean bias, Generator generator) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear: in and out must be > 0, got in=" + in + ", out=" + out);
        }
        this.in = in;
        this.out = out;
        float bound = (float) (1 / Math.sqrt(in));
        this.weight = registerParameter("weight", new Parameter(Init.uniform(generator, -bound, bound, out, in)));
        this.bias = bias ? registerParameter("bias", new Parameter(Init.uniform(generator, -bound, bound, out))) : null;
    }

    /** Returns the weight, {@code [out, in]}. */
    public Parameter weight() {
        return weight;
    }

    /** Returns the bias, {@code [out]}, or null when the layer has none. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Variable forward(Variable x) {
        int[] dims = x.shape().dims();
        if (dims.length == 0 || dims[dims.length - 1] != in) {
            throw new ShapeException(describe() + ": input has " + (dims.length == 0 ? "no feature dimension (shape [])"
                    : dims[dims.length - 1] + " features, expected " + in));
        }
        if (dims.length == 2) {
            return x.linear(weight, bias);
        }
        int[] outDims = dims.clone();
        outDims[dims.length - 1] = out;
        return x.reshape(-1, in).linear(weight, bias).reshape(outDims);
    }

    @Override
    protected String describe() {
        return "Linear(in=" + in + ", out=" + out + (bias == null ? ", bias=false)" : ")");
    }
}
