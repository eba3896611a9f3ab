package dev.nn.layers;

import dev.nn.autograd.Parameter;
import dev.nn.autograd.Variable;
import dev.nn.core.Shape;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.UnaryOp;
import dev.nn.layers.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A part of a network: it holds parameters, buffers (state that is saved but not trained, such
 * as running statistics) and child modules, each registered explicitly under a name, and maps an
 * input to an output in {@link #forward}.
 *
 * <p>Names follow PyTorch: a child's entries are prefixed with the child's name and a dot
 * ({@code 0.weight}, {@code encoder.1.bias}), so weight files line up with a PyTorch model of the
 * same architecture. {@code java.lang.Module} exists too: import this class by name, not with
 * {@code dev.nn.layers.*}.
 *
 * <p>In evaluation mode ({@link #eval()}) a module's forward changes nothing, so one model may
 * serve forward passes from many threads at once (under {@code Autograd.noGrad()}).
 */
public abstract class Module {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Returns the output for {@code input}; shapes are documented by each module. */
    public abstract Variable forward(Variable input);

    /**
     * Where this module is a built-in elementwise activation (one of nn-core's {@code UnaryOp}s),
     * applies it to {@code y} in place and returns true; otherwise returns false and leaves y as it
     * is. {@link Sequential} calls it on a {@link Linear}'s new output when no graph is recorded.
     */
    boolean forwardInPlace(Tensor y) {
        return false;
    }

    /**
     * forwardInPlace for the activation {@code own}: applies {@code op} to y and returns true
     * where this module is an {@code own} itself, not a subclass, which may override forward.
     */
    final boolean applyInPlace(Class<? extends Module> own, Tensor y, UnaryOp op, float p) {
        if (getClass() != own) {
            return false;
        }
        y.applyInPlace(op, p);
        return true;
    }

    // ---- registration ------------------------------------------------------------------------

    /** Registers a parameter under {@code name} and returns it. */
    protected final Parameter registerParameter(String name, Parameter parameter) {
        checkName(name);
        parameters.put(name, parameter);
        return parameter;
    }

    /** Registers a buffer (saved and loaded, not trained) under {@code name} and returns it. */
    protected final Tensor registerBuffer(String name, Tensor buffer) {
        checkName(name);
        buffers.put(name, buffer);
        return buffer;
    }

    /** Registers a child module under {@code name} and returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        if (module == null) {
            throw new NullPointerException(describe() + ": module " + name + " is null");
        }
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(describe() + ": name \"" + name + "\" must be non-empty and contain"
                    + " no dot");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(describe() + ": name \"" + name + "\" is already registered");
        }
    }

    // ---- what it holds -----------------------------------------------------------------------

    /** Returns every parameter of this module and its descendants, each once, in registration order. */
    public final List<Parameter> parameters() {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> list = new ArrayList<>();
        for (Parameter p : namedParameters().values()) {
            if (seen.add(p)) {
                list.add(p);
            }
        }
        return list;
    }

    /** Returns the parameters by dotted name: this module's own first, then each child's. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, null);
        return out;
    }

    /** Returns the buffers by dotted name. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", null, out);
        return out;
    }

    /** Returns the direct children by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * Returns what a weight file holds: every parameter's value and every buffer by dotted name,
     * module by module (own parameters, own buffers, then children), as PyTorch orders a state dict.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        stateDict("", out);
        return out;
    }

    private void stateDict(String prefix, Map<String, Tensor> out) {
        parameters.forEach((n, p) -> out.put(prefix + n, p.value()));
        buffers.forEach((n, b) -> out.put(prefix + n, b));
        children.forEach((n, c) -> c.stateDict(prefix + n + ".", out));
    }

    private void collect(String prefix, Map<String, Parameter> params, Map<String, Tensor> bufs) {
        if (params != null) {
            parameters.forEach((n, p) -> params.put(prefix + n, p));
        }
        if (bufs != null) {
            buffers.forEach((n, b) -> bufs.put(prefix + n, b));
        }
        children.forEach((n, c) -> c.collect(prefix + n + ".", params, bufs));
    }

    /** Returns the number of parameter elements (shared parameters counted once). */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.value().size();
        }
        return n;
    }

    // ---- modes and gradients -----------------------------------------------------------------

    /** Sets training mode ({@code true}) or evaluation mode on this module and all descendants; returns this. */
    public Module train(boolean mode) {
        training = mode;
        for (Module c : children.values()) {
            c.train(mode);
        }
        return this;
    }

    /** Switches to training mode (dropout active, batch statistics used); returns this. */
    public final Module train() {
        return train(true);
    }

    /** Switches to evaluation mode (dropout off, running statistics used); returns this. */
    public final Module eval() {
        return train(false);
    }

    /** Returns whether this module is in training mode. */
    public final boolean isTraining() {
        return training;
    }

    /** Forgets the gradients of every parameter (sets them to null); the same as {@code zeroGrad(true)}. */
    public final void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * Forgets the gradients of every parameter, as PyTorch's {@code zero_grad(set_to_none)}: see
     * {@link Variable#zeroGrad(boolean)}. Without {@code setToNone} they keep their storage, which
     * the next backward writes into instead of allocating (until then they read as zeros).
     */
    public final void zeroGrad(boolean setToNone) {
        for (Parameter p : parameters()) {
            p.zeroGrad(setToNone);
        }
    }

    // ---- weight files ------------------------------------------------------------------------

    /**
     * Writes {@link #stateDict()} to {@code path} as safetensors, atomically: a crash leaves the
     * previous file intact. PyTorch loads it by name into the same architecture.
     */
    public final void save(Path path) throws IOException {
        save(path, Safetensors.Dtype.F32);
    }

    /**
     * Writes {@link #stateDict()} as {@link #save(Path)} does, in {@code dtype}: {@code BF16} halves
     * the file, each value rounded to bfloat16 (loading gives the rounded values back).
     */
    public final void save(Path path, Safetensors.Dtype dtype) throws IOException {
        Safetensors.write(path, stateDict(), Map.of("format", "pt"), dtype);
    }

    /**
     * Loads weights saved by {@link #save} or by PyTorch. Every name and shape is checked first;
     * if anything is missing, unexpected or of the wrong shape, the error lists every mismatch
     * and the module is unchanged.
     */
    public final void load(Path path) throws IOException {
        loadStateDict(Safetensors.read(path).tensors(), path.getFileName().toString());
    }

    /** Copies {@code state} into this module's parameters and buffers in place, after checking all of it. */
    public final void loadStateDict(Map<String, Tensor> state) {
        loadStateDict(state, "the state dict");
    }

    private void loadStateDict(Map<String, Tensor> state, String source) {
        Map<String, Tensor> own = stateDict();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given == null) {
                problems.add("missing " + e.getKey());
            } else if (!given.shape().equals(e.getValue().shape())) {
                problems.add(e.getKey() + " is " + given.shape() + " in " + source + ", " + e.getValue().shape()
                        + " in the module");
            }
        }
        for (String name : state.keySet()) {
            if (!own.containsKey(name)) {
                problems.add("unexpected " + name);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("load: " + problems.size() + (problems.size() == 1 ? " mismatch" :
                    " mismatches") + " between " + source + " and the module: " + String.join("; ", problems));
        }
        own.forEach((name, target) -> target.copyInPlace(state.get(name)));
    }

    // ---- printing ----------------------------------------------------------------------------

    /**
     * Returns this module's one-line description, such as {@code Linear(in=784, out=256)}; by
     * default its class name, with {@code ()} when it has no children.
     */
    protected String describe() {
        return getClass().getSimpleName() + (children.isEmpty() ? "()" : "");
    }

    /**
     * Returns the module tree, one line per module with its own parameters' shapes and count (as
     * printing a PyTorch model), followed by Keras-style totals.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        tree(s, "");
        long trainable = parameterCount();
        long buffered = 0;
        for (Tensor b : namedBuffers().values()) {
            buffered += b.size();
        }
        s.append("\nTotal params: ").append(count(trainable + buffered))
                .append(String.format(Locale.ROOT, " (%.2f KB)", (trainable + buffered) * 4 / 1024.0))
                .append("\nTrainable params: ").append(count(trainable))
                .append("\nNon-trainable params: ").append(count(buffered));
        return s.toString();
    }

    private void tree(StringBuilder s, String indent) {
        s.append(describe());
        if (!parameters.isEmpty()) {
            long own = 0;
            List<String> shapes = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                Shape shape = e.getValue().shape();
                shapes.add(e.getKey() + " " + shape);
                own += shape.size();
            }
            s.append("  ").append(String.join(", ", shapes)).append("  ").append(count(own)).append(" params");
        }
        if (children.isEmpty()) {
            return;
        }
        s.append("(\n");
        for (Map.Entry<String, Module> e : children.entrySet()) {
            s.append(indent).append("  (").append(e.getKey()).append("): ");
            e.getValue().tree(s, indent + "  ");
            s.append('\n');
        }
        s.append(indent).append(')');
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
