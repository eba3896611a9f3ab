package dev.nn.layers.loss;

import dev.nn.autograd.Variable;
import dev.nn.core.Shape;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;

/** Target validation shared by the losses: done before any arithmetic, so bad input changes nothing. */
final class Targets {

    private Targets() {
    }

    /** Checks that an elementwise loss's target has the input's shape. */
    static void sameShape(String loss, Variable input, Variable target) {
        sameShape(loss, input, target.value());
    }

    /** Checks that an elementwise loss's target has the input's shape. */
    static void sameShape(String loss, Variable input, Tensor target) {
        if (!target.shape().equals(input.shape())) {
            throw new ShapeException(loss + ": target shape " + target.shape() + " does not match input shape "
                    + input.shape());
        }
    }

    /**
     * Returns the class indices of {@code target} for an input {@code [n, classes]}: target must be
     * {@code [n]} of integers in {@code [0, classes)}, or equal to {@code ignoreIndex} when {@code ignoring}.
     */
    static int[] classIndices(String loss, Variable input, Tensor target, boolean ignoring, int ignoreIndex) {
        Shape in = input.shape();
        if (in.rank() != 2) {
            throw new ShapeException(loss + ": expects input [batch, classes], got " + in);
        }
        int n = in.dim(0);
        int classes = in.dim(1);
        if (!target.shape().equals(Shape.of(n))) {
            throw new ShapeException(loss + ": target shape " + target.shape() + " does not match a batch of " + n
                    + " (expected [" + n + "] class indices for input " + in + ")");
        }
        float[] t = target.toArray();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float v = t[i];
            if (v != Math.rint(v) || Float.isInfinite(v)) {
                throw new IllegalArgumentException(loss + ": label " + v + " at position " + i
                        + " is not a class index (an integer in [0, " + classes + "))");
            }
            if (ignoring && v == ignoreIndex) {
                labels[i] = ignoreIndex;
                continue;
            }
            if (!(v >= 0 && v < classes)) {
                String label = v == (int) v ? Integer.toString((int) v) : Float.toString(v);
                throw new IndexOutOfBoundsException(loss + ": label " + label + " at position " + i
                        + " is out of range for " + classes + " classes");
            }
            labels[i] = (int) v;
        }
        return labels;
    }

    /** Checks class weights: {@code [classes]}, finite and non-negative. */
    static Tensor classWeights(String loss, Tensor weights) {
        if (weights == null) {
            return null;
        }
        if (weights.rank() != 1) {
            throw new ShapeException(loss + ": class weights must be 1-D [classes], got " + weights.shape());
        }
        for (float w : weights.toArray()) {
            if (!(w >= 0) || Float.isInfinite(w)) {
                throw new IllegalArgumentException(loss + ": class weights must be finite and >= 0, got " + w);
            }
        }
        return weights.copy();
    }

    static void weightsMatch(String loss, Tensor weights, int classes) {
        if (weights != null && weights.size() != classes) {
            throw new ShapeException(loss + ": " + weights.size() + " class weights for " + classes + " classes");
        }
    }
}
