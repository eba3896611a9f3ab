package dev.nn.optim;

import dev.nn.autograd.Parameter;
import dev.nn.core.Shape;
import dev.nn.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The bookkeeping every optimizer shares: its groups, the parameters numbered across them, and
 * each parameter's named buffers (moments, step count), with export and validated import.
 */
final class ParamState {

    private final String optimizer;
    private final List<ParamGroup> groups;
    private final List<Parameter> params = new ArrayList<>();
    private final List<Map<String, Tensor>> buffers = new ArrayList<>();
    private final Set<String> names;

    ParamState(String optimizer, float lr, float weightDecay, ParamGroup[] groups, Set<String> names) {
        this.optimizer = optimizer;
        this.names = names;
        if (groups.length == 0) {
            throw new IllegalArgumentException(optimizer + ": no parameters to optimize");
        }
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : groups) {
            for (Parameter p : g.params()) {
                if (!seen.add(p)) {
                    throw new IllegalArgumentException(optimizer + ": parameter " + p.shape() + " appears twice (in one"
                            + " group or in two); give each parameter once");
                }
                params.add(p);
                buffers.add(new LinkedHashMap<>());
            }
            g.resolve(lr, weightDecay);
        }
        this.groups = List.of(groups);
    }

    List<ParamGroup> groups() {
        return groups;
    }

    /** Returns the buffer {@code name} of parameter {@code i}, creating it with {@code init} the first time. */
    Tensor buffer(int i, String name, Supplier<Tensor> init) {
        return buffers.get(i).computeIfAbsent(name, n -> init.get());
    }

    boolean has(int i, String name) {
        return buffers.get(i).containsKey(name);
    }

    /** Advances parameter i's step count and returns the new count (1 on the first step). */
    int nextStep(int i) {
        Tensor step = buffer(i, "step", () -> Tensor.scalar(0f));
        float next = step.item() + 1f;
        step.copyInPlace(Tensor.scalar(next));
        return (int) next;
    }

    void zeroGrad(boolean setToNone) {
        for (Parameter p : params) {
            p.zeroGrad(setToNone);
        }
    }

    Map<String, Tensor> export() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int k = 0; k < groups.size(); k++) {
            out.put("groups." + k + ".lr", Tensor.scalar(groups.get(k).lr()));
        }
        for (int i = 0; i < params.size(); i++) {
            for (Map.Entry<String, Tensor> e : buffers.get(i).entrySet()) {
                out.put("state." + i + "." + e.getKey(), e.getValue().copy());
            }
        }
        return out;
    }

    void load(Map<String, Tensor> state) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Tensor>> incoming = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            incoming.add(new LinkedHashMap<>());
        }
        float[] lrs = new float[groups.size()];
        boolean[] lrSeen = new boolean[groups.size()];
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String key = e.getKey();
            String[] parts = key.split("\\.", 3);
            int index;
            try {
                index = parts.length == 3 ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException x) {
                index = -1;
            }
            if (parts.length == 3 && parts[0].equals("groups") && parts[2].equals("lr") && index >= 0
                    && index < groups.size()) {
                if (!e.getValue().shape().equals(Shape.scalar()) || !(e.getValue().item() >= 0)) {
                    problems.add(key + " must be a learning rate >= 0 of shape []");
                } else {
                    lrs[index] = e.getValue().item();
                    lrSeen[index] = true;
                }
            } else if (parts.length == 3 && parts[0].equals("state") && index >= 0 && index < params.size()
                    && names.contains(parts[2])) {
                Shape expected = parts[2].equals("step") ? Shape.scalar() : params.get(index).shape();
                if (!e.getValue().shape().equals(expected)) {
                    problems.add(key + " is " + e.getValue().shape() + ", expected " + expected);
                } else {
                    incoming.get(index).put(parts[2], e.getValue().copy());
                }
            } else {
                problems.add("unexpected " + key);
            }
        }
        for (int k = 0; k < groups.size(); k++) {
            if (!lrSeen[k]) {
                problems.add("missing groups." + k + ".lr");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(optimizer + ".loadState: " + problems.size()
                    + (problems.size() == 1 ? " problem: " : " problems: ") + String.join("; ", problems));
        }
        for (int k = 0; k < groups.size(); k++) {
            groups.get(k).setLr(lrs[k]);
        }
        for (int i = 0; i < params.size(); i++) {
            buffers.get(i).clear();
            buffers.get(i).putAll(incoming.get(i));
        }
    }

    /** Calls {@code update} for every parameter that has a gradient, with its index and group. */
    void forEachWithGrad(Update update) {
        int i = 0;
        for (ParamGroup g : groups) {
            for (Parameter p : g.params()) {
                if (p.grad() != null) {
                    update.apply(i, p, g);
                }
                i++;
            }
        }
    }

    @FunctionalInterface
    interface Update {
        void apply(int index, Parameter p, ParamGroup group);
    }
}
