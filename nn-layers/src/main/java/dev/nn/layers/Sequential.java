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

    /** Returns the input passed through every module in order. */
    @Override
    public Variable forward(Variable input) {
        Variable x = input;
        int i = 0;
        for (Module m : children().values()) {
            try {
                x = m.forward(x);
            } catch (ShapeException e) {
                throw new ShapeException("Sequential[" + i + "] " + e.getMessage());
            }
            i++;
        }
        return x;
    }
}
