package dev.nn.autograd;

import dev.nn.core.Shape;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph machinery: recording an application of a function, and backward, which applies
 * the chain rule in reverse topological order.
 *
 * <p>Backward runs in three phases so that a failure changes nothing: it first orders the graph
 * (iteratively, so chains of any depth work) and checks that it can run (nothing freed, no saved
 * tensor modified); then it computes every gradient; only then does it add them to the
 * variables' {@code grad} and release the graph.
 */
final class Backprop {

    private Backprop() {
    }

    static Variable apply(Function f, Variable[] inputs) {
        Tensor[] values = new Tensor[inputs.length];
        Shape[] shapes = new Shape[inputs.length];
        boolean[] needs = new boolean[inputs.length];
        boolean record = false;
        boolean enabled = Autograd.gradEnabled();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new NullPointerException(f.name() + ": input " + i + " is null");
            }
            values[i] = inputs[i].value();
            shapes[i] = values[i].shape();
            needs[i] = enabled && inputs[i].gradRequired();
            record |= needs[i];
        }
        Context ctx = new Context(f, shapes, needs, record);
        Tensor out = f.forward(ctx, values);
        if (out == null) {
            throw new IllegalStateException(f.name() + ": forward returned null");
        }
        if (!record) {
            return new Variable(out, null);
        }
        StackTraceElement site = Autograd.detectingAnomaly() ? callerOutsideAutograd() : null;
        return new Variable(out, new Node(f, ctx, inputs.clone(), site));
    }

    private static StackTraceElement callerOutsideAutograd() {
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            String cls = e.getClassName();
            int nested = cls.indexOf('$');
            String outer = nested < 0 ? cls : cls.substring(0, nested);
            if (!INTERNAL.contains(outer)) {
                return e;
            }
        }
        return null;
    }

    // Frames of these classes are skipped when looking for the user's line that created an operation.
    private static final Set<String> INTERNAL = Set.of(
            Backprop.class.getName(), Function.class.getName(), Variable.class.getName(),
            ElementwiseFunction.class.getName(), UnaryOps.class.getName(), BinaryOps.class.getName(),
            Reductions.class.getName(), Products.class.getName(), Activations.class.getName());

    /** The gradient collected so far for one variable, and whether backward may modify it in place. */
    private static final class Slot {
        Tensor grad;
        boolean owned;

        void add(Tensor g, boolean fresh) {
            if (grad == null) {
                grad = g;
                owned = fresh;
            } else if (owned) {
                grad.addInPlace(g, 1f);
            } else {
                grad = grad.add(g);
                owned = true;
            }
        }
    }

    static void backward(Variable root, Tensor seed, boolean retainGraph) {
        if (!root.gradRequired()) {
            throw new IllegalStateException("backward: this variable does not require a gradient and has no history"
                    + " (call requiresGrad() on the inputs before computing it, outside a no-grad scope)");
        }
        Shape shape = root.value().shape();
        boolean freshSeed = false;
        if (seed == null) {
            if (shape.size() != 1) {
                throw new IllegalStateException("backward: the output has shape " + shape + ", not a single value;"
                        + " pass a seed gradient of that shape");
            }
            seed = Tensor.ones(shape.dims());
            freshSeed = true;
        } else if (!seed.shape().equals(shape)) {
            throw new ShapeException("backward: seed gradient of shape " + seed.shape()
                    + " does not match the output's shape " + shape);
        }

        List<Variable> order = topologicalOrder(root);
        for (Variable v : order) {
            if (v.node() != null) {
                v.node().context.checkNotReleased();
                v.node().context.checkVersions();
            }
        }

        Map<Variable, Slot> slots = new IdentityHashMap<>();
        Slot rootSlot = new Slot();
        rootSlot.add(seed, freshSeed);
        slots.put(root, rootSlot);
        boolean anomaly = Autograd.detectingAnomaly();
        // Stale gradients of leaves (zeroGrad(false)) that gates may write over. A failed backward
        // may leave one half-written, which changes nothing: it still reads as zeros.
        Map<Variable, Tensor> reusable = reusableGrads(order, seed);
        for (int k = order.size() - 1; k >= 0; k--) {
            Variable v = order.get(k);
            Node node = v.node();
            Slot slot = slots.get(v);
            if (node == null || slot == null) {
                continue;
            }
            Tensor[] offered = reusable.isEmpty() ? null : offer(node, slot.grad, slots, reusable);
            Tensor[] grads;
            try {
                grads = node.function.backward(node.context, slot.grad);
            } finally {
                node.context.offer(null);
            }
            checkGradients(node, grads, anomaly);
            for (int i = 0; offered != null && i < offered.length; i++) {
                if (offered[i] != null && grads[i] != offered[i]) {
                    reusable.put(node.inputs[i], offered[i]);    // declined: a later gate may take it
                }
            }
            for (int i = 0; i < node.inputs.length; i++) {
                Variable in = node.inputs[i];
                if (grads[i] == null || !node.context.needsGrad(i)) {
                    continue;
                }
                boolean fresh = node.function.builtIn() && !grads[i].sharesMemory(slot.grad)
                        && !sharedWithAnother(grads, i);
                slots.computeIfAbsent(in, x -> new Slot()).add(grads[i], fresh);
            }
        }

        for (Variable v : order) {
            Slot slot = slots.get(v);
            if (slot != null && v.gradRequired()) {
                v.accumulateGrad(slot.grad, slot.owned);
            }
            if (!retainGraph && v.node() != null) {
                v.node().context.release();
            }
        }
    }

    /**
     * Returns the leaves of the graph whose gradient {@code zeroGrad(false)} left stale (see
     * {@link Variable#staleGrad()}), each with that gradient, leaving out any that shares storage
     * with the seed or with a tensor a gate saved: backward reads those, so writing a gradient
     * over them would change what it reads.
     */
    private static Map<Variable, Tensor> reusableGrads(List<Variable> order, Tensor seed) {
        Map<Variable, Tensor> reusable = null;
        for (Variable v : order) {
            Tensor g = v.isLeaf() ? v.staleGrad() : null;
            if (g != null && !g.sharesMemory(seed)) {
                if (reusable == null) {
                    reusable = new IdentityHashMap<>();
                }
                reusable.put(v, g);
            }
        }
        if (reusable == null) {
            return Map.of();
        }
        for (int k = 0; k < order.size() && !reusable.isEmpty(); k++) {
            Node node = order.get(k).node();
            if (node != null) {
                reusable.values().removeIf(node.context::savesMemoryOf);
            }
        }
        return reusable;
    }

    /**
     * Offers a built-in gate the stale gradients of those of its inputs that have no gradient
     * collected yet (so the gate's is the first, and the slot may own it) and that the incoming
     * gradient does not share storage with; each is offered once unless declined. Returns what
     * was offered, by input, or null if nothing was.
     */
    private static Tensor[] offer(Node node, Tensor incoming, Map<Variable, Slot> slots,
                                  Map<Variable, Tensor> reusable) {
        if (!node.function.builtIn()) {
            return null;
        }
        Tensor[] offered = null;
        for (int i = 0; i < node.inputs.length; i++) {
            Variable in = node.inputs[i];
            Tensor g = reusable.get(in);
            if (g == null || !node.context.needsGrad(i) || slots.containsKey(in) || g.sharesMemory(incoming)
                    || !g.shape().equals(node.context.inputShape(i))) {
                continue;
            }
            if (offered == null) {
                offered = new Tensor[node.inputs.length];
            }
            offered[i] = g;
            reusable.remove(in);
        }
        node.context.offer(offered);
        return offered;
    }

    /** Returns the variables that root depends on, each after all of its inputs (depth-first, no recursion). */
    private static List<Variable> topologicalOrder(Variable root) {
        List<Variable> order = new ArrayList<>();
        Map<Variable, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Variable> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        stack.push(root);
        next.push(0);
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Variable v = stack.peek();
            int i = next.pop();
            Node node = v.node();
            if (node != null && i < node.inputs.length) {
                next.push(i + 1);
                Variable in = node.inputs[i];
                if (in.gradRequired() && seen.put(in, Boolean.TRUE) == null) {
                    stack.push(in);
                    next.push(0);
                }
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }

    private static boolean sharedWithAnother(Tensor[] grads, int i) {
        for (int j = 0; j < grads.length; j++) {
            if (j != i && grads[j] != null && grads[j].sharesMemory(grads[i])) {
                return true;
            }
        }
        return false;
    }

    private static void checkGradients(Node node, Tensor[] grads, boolean anomaly) {
        String name = node.function.name();
        if (grads == null || grads.length != node.inputs.length) {
            throw new IllegalStateException("backward: " + name + " returned " + (grads == null ? "null" : grads.length
                    + " gradients") + " for " + node.inputs.length + " inputs");
        }
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null || !node.context.needsGrad(i)) {
                continue;
            }
            Shape expected = node.context.inputShape(i);
            if (!grads[i].shape().equals(expected)) {
                throw new ShapeException("backward: " + name + " returned a gradient of shape " + grads[i].shape()
                        + " for input " + i + " of shape " + expected);
            }
            if (anomaly) {
                String bad = nonFinite(grads[i]);
                if (bad != null) {
                    throw new IllegalStateException("backward: " + name + " produced " + bad + " in the gradient of"
                            + " input " + i + " (shape " + expected + ")" + (node.site == null ? ""
                            : "; " + name + " was created at " + node.site));
                }
            }
        }
    }

    private static String nonFinite(Tensor t) {
        for (float x : t.toArray()) {
            if (Float.isNaN(x)) {
                return "NaN";
            }
            if (Float.isInfinite(x)) {
                return "infinity";
            }
        }
        return null;
    }
}
