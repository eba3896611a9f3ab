package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.ShapeException;

/**
 * Modules applied one after another; children are named {@code 0}, {@code 1}, ... as in
 * PyTorch. A shape error inside names the position: {@code Sequential[1] Linear(in=64, out=10):
 * input has 32 features, expected 64}.
 */
public class Sequential extends Module {

    private int size;

    /** Creates the chain of {@code modules}, in order. */
    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends {@code module} to the chain and returns this. */
    public Sequential add(Module module) {
        registerModule(Integer.toString(size), module);
        size++;
        return this;
    }

    /** Returns the number of modules in the chain. */
    public int size() {
        return size;
    }

    /** Returns the module at {@code index}. */
    public Module get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("Sequential: index " + index + " is out of range for " + size
                    + " modules");
        }
        return children().get(Integer.toString(index));
    }

    /**
     * Returns the input passed through every module in order. Where no graph is recorded (under
     * {@code Autograd.noGrad()}), a built-in activation right after a {@link Linear} runs in place
     * on the Linear's output: the same bits, without a second tensor.
     */
    @Override
    public Variable forward(Variable input) {
        Variable x = input;
        int i = 0;
        // Whether x is a tensor that only this loop holds: a Linear's new output with no graph
        // behind it, or that after an activation ran on it in place.
        boolean own = false;
        for (Module m : children().values()) {
            try {
                if (!(own && m.forwardInPlace(x.value()))) {
                    x = m.forward(x);
                    own = m.getClass() == Linear.class && !x.gradRequired();
                }
            } catch (ShapeException e) {
                throw new ShapeException("Sequential[" + i + "] " + e.getMessage());
            }
            i++;
        }
        return x;
    }
}
