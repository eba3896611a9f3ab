package dev.nn.optim;

import dev.nn.autograd.Parameter;
import dev.nn.core.Tensor;
import java.util.List;
import java.util.Set;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight
 * decay, as PyTorch's {@code torch.optim.SGD}:
 *
 * <pre>
 * g = grad + weightDecay·p
 * if momentum != 0:
 *     buf = g on the first step, else momentum·buf + (1 - dampening)·g
 *     g = nesterov ? g + momentum·buf : buf
 * p = p - lr·g
 * </pre>
 */
public final class SGD extends StatefulOptimizer {

    /** SGD's hyper-parameters; every value is validated when set. */
    public record Options(float lr, float momentum, float dampening, float weightDecay, boolean nesterov) {
        public Options {
            Check.nonNegative("lr", lr);
            Check.nonNegative("momentum", momentum);
            Check.nonNegative("dampening", dampening);
            Check.nonNegative("weightDecay", weightDecay);
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("nesterov momentum needs momentum > 0 and dampening 0, got momentum "
                        + momentum + " and dampening " + dampening);
            }
        }

        /** Returns learning rate {@code lr} and no momentum, dampening or weight decay. */
        public static Options of(float lr) {
            return new Options(lr, 0f, 0f, 0f, false);
        }

        /** Returns these options with momentum {@code value}. */
        public Options momentum(float value) {
            return new Options(lr, value, dampening, weightDecay, nesterov);
        }

        /** Returns these options with dampening {@code value}. */
        public Options dampening(float value) {
            return new Options(lr, momentum, value, weightDecay, nesterov);
        }

        /** Returns these options with weight decay {@code value}. */
        public Options weightDecay(float value) {
            return new Options(lr, momentum, dampening, value, nesterov);
        }

        /** Returns these options with Nesterov momentum on or off. */
        public Options nesterov(boolean value) {
            return new Options(lr, momentum, dampening, weightDecay, value);
        }
    }

    private final Options options;

    /** Creates plain SGD on {@code params} with learning rate {@code lr}. */
    public SGD(List<Parameter> params, float lr) {
        this(Options.of(lr), ParamGroup.of(params));
    }

    /** Creates SGD with {@code options} on the given groups. */
    public SGD(Options options, ParamGroup... groups) {
        super(new ParamState("SGD", options.lr(), options.weightDecay(), groups, Set.of("momentum_buffer")));
        this.options = options;
    }

    @Override
    public void step() {
        float momentum = options.momentum();
        state.forEachWithGrad((i, p, group) -> {
            Tensor g = p.grad();
            if (group.weightDecay() != 0f) {
                g = g.add(p.value().mul(Tensor.scalar(group.weightDecay())));
            }
            if (momentum != 0f) {
                boolean first = !state.has(i, "momentum_buffer");
                Tensor gradient = g;
                Tensor buf = state.buffer(i, "momentum_buffer", gradient::copy);
                if (!first) {
                    buf.scaleInPlace(momentum);
                    buf.addInPlace(g, 1f - options.dampening());
                }
                g = options.nesterov() ? g.add(buf.mul(Tensor.scalar(momentum))) : buf;
            }
            p.value().addInPlace(g, -group.lr());
        });
    }
}
