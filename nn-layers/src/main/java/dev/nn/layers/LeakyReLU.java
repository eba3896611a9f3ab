package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.UnaryOp;

/** Applies {@code x > 0 ? x : slope·x} elementwise; any shape. The default slope is 0.01. */
public class LeakyReLU extends Module {

    private final float slope;

    /** Creates the activation with slope 0.01. */
    public LeakyReLU() {
        this(0.01f);
    }

    /** Creates the activation with the given negative slope. */
    public LeakyReLU(float slope) {
        this.slope = slope;
    }

    @Override
    public Variable forward(Variable x) {
        return x.leakyRelu(slope);
    }

    @Override
    boolean forwardInPlace(Tensor y) {
        return applyInPlace(LeakyReLU.class, y, UnaryOp.LEAKY_RELU, slope);
    }

    @Override
    protected String describe() {
        return "LeakyReLU(slope=" + slope + ")";
    }

    /** Returns the slope for negative inputs. */
    public float slope() {
        return slope;
    }
}
