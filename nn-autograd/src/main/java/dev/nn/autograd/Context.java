package dev.nn.autograd;

import dev.nn.core.Shape;
import dev.nn.core.Tensor;

/**
 * What one application of a {@link Function} keeps between its forward and its backward: the
 * tensors it saved, the inputs' shapes, and which inputs need a gradient.
 *
 * <p>A saved tensor remembers its version; if it is modified in place before backward runs,
 * backward refuses to use it and names the operation and shape. Saved tensors are released
 * after backward unless the graph is retained.
 */
public final class Context {

    private static final Tensor[] NONE = new Tensor[0];

    private final Function function;
    private final Shape[] inputShapes;
    private final boolean[] needsGrad;
    private final boolean recording;
    private Tensor[] saved = NONE;
    private int[] versions;
    private boolean released;
    private Tensor[] destinations;

    Context(Function function, Shape[] inputShapes, boolean[] needsGrad, boolean recording) {
        this.function = function;
        this.inputShapes = inputShapes;
        this.needsGrad = needsGrad;
        this.recording = recording;
    }

    /** Saves tensors for backward, in order; {@link #saved(int)} returns them by position. */
    public void save(Tensor... tensors) {
        if (!recording) {
            return;   // no backward will run: keep nothing alive
        }
        saved = tensors.clone();
        versions = new int[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            versions[i] = tensors[i].version();
        }
    }

    /** Returns the {@code i}-th tensor given to {@link #save}. */
    public Tensor saved(int i) {
        checkNotReleased();
        if (i < 0 || i >= saved.length) {
            throw new IndexOutOfBoundsException(function.name() + ": saved tensor " + i + " requested, "
                    + saved.length + " were saved");
        }
        return saved[i];
    }

    /** Returns whether input {@code i} needs a gradient; backward may skip the others. */
    public boolean needsGrad(int i) {
        return needsGrad[i];
    }

    /** Returns the shape of input {@code i}. */
    public Shape inputShape(int i) {
        return inputShapes[i];
    }

    int inputCount() {
        return inputShapes.length;
    }

    /**
     * Returns a tensor of input {@code i}'s gradient's shape that backward may write that gradient
     * into (overwriting it, and returning that same tensor, not a view, as the gradient) instead
     * of allocating one, or null. Backprop offers it, for the call to backward only, to built-in
     * functions: it is the gradient a leaf kept through {@code zeroGrad(false)}, which no other
     * part of the backward reads.
     */
    Tensor destination(int i) {
        return destinations == null ? null : destinations[i];
    }

    /** Returns whether a saved tensor shares storage with {@code t}. */
    boolean savesMemoryOf(Tensor t) {
        for (Tensor s : saved) {
            if (s.sharesMemory(t)) {
                return true;
            }
        }
        return false;
    }

    void offer(Tensor[] destinations) {
        this.destinations = destinations;
    }

    /** Throws if an earlier backward released what this application saved. */
    void checkNotReleased() {
        if (released) {
            throw new IllegalStateException("backward: the graph through " + function.name()
                    + " was freed by an earlier backward (pass retainGraph = true to the first backward to"
                    + " backpropagate twice)");
        }
    }

    /** Throws, naming the operation and shape, if a saved tensor was modified since it was saved. */
    void checkVersions() {
        for (int i = 0; i < saved.length; i++) {
            if (saved[i].version() != versions[i]) {
                throw new IllegalStateException("backward: a tensor of shape " + saved[i].shape() + " saved by "
                        + function.name() + " was modified in place after it was saved (version "
                        + saved[i].version() + ", expected " + versions[i] + "); modify a copy instead, or"
                        + " run backward before the update");
            }
        }
    }

    void release() {
        saved = NONE;
        versions = null;
        released = true;
    }
}
