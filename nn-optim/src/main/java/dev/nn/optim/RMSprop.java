package dev.nn.optim;

import dev.nn.autograd.Parameter;
import dev.nn.core.Tensor;
import java.util.List;
import java.util.Set;

/**
 * RMSprop, as PyTorch's {@code torch.optim.RMSprop} (defaults lr 1e-2, alpha 0.99, eps 1e-8):
 *
 * <pre>
 * g = grad + weightDecay·p
 * v = alpha·v + (1 - alpha)·g²
 * avg = centered ? √(v - ḡ²) + eps with ḡ = alpha·ḡ + (1 - alpha)·g : √v + eps
 * if momentum > 0: buf = momentum·buf + g/avg;  p = p - lr·buf
 * else:            p = p - lr·g/avg
 * </pre>
 */
public final class RMSprop extends StatefulOptimizer {

    /** RMSprop's hyper-parameters; every value is validated when set. */
    public record Options(float lr, float alpha, float eps, float weightDecay, float momentum, boolean centered) {
        public Options {
            Check.nonNegative("lr", lr);
            Check.nonNegative("alpha", alpha);
            Check.positive("eps", eps);
            Check.nonNegative("weightDecay", weightDecay);
            Check.nonNegative("momentum", momentum);
        }

        /** Returns PyTorch's defaults with learning rate {@code lr}. */
        public static Options of(float lr) {
            return new Options(lr, 0.99f, 1e-8f, 0f, 0f, false);
        }

        /** Returns these options with smoothing constant {@code value}. */
        public Options alpha(float value) {
            return new Options(lr, value, eps, weightDecay, momentum, centered);
        }

        /** Returns these options with eps {@code value}. */
        public Options eps(float value) {
            return new Options(lr, alpha, value, weightDecay, momentum, centered);
        }

        /** Returns these options with weight decay {@code value}. */
        public Options weightDecay(float value) {
            return new Options(lr, alpha, eps, value, momentum, centered);
        }

        /** Returns these options with momentum {@code value}. */
        public Options momentum(float value) {
            return new Options(lr, alpha, eps, weightDecay, value, centered);
        }

        /** Returns these options centered (normalizing by the variance) or not. */
        public Options centered(boolean value) {
            return new Options(lr, alpha, eps, weightDecay, momentum, value);
        }
    }

    private final Options options;

    /** Creates RMSprop on {@code params} with learning rate {@code lr} and the other defaults. */
    public RMSprop(List<Parameter> params, float lr) {
        this(Options.of(lr), ParamGroup.of(params));
    }

    /** Creates RMSprop with {@code options} on the given groups. */
    public RMSprop(Options options, ParamGroup... groups) {
        super(new ParamState("RMSprop", options.lr(), options.weightDecay(), groups,
                Set.of("step", "square_avg", "grad_avg", "momentum_buffer")));
        this.options = options;
    }

    @Override
    public void step() {
        float alpha = options.alpha();
        Tensor eps = Tensor.scalar(options.eps());
        state.forEachWithGrad((i, p, group) -> {
            state.nextStep(i);
            Tensor g = p.grad();
            if (group.weightDecay() != 0f) {
                g = g.add(p.value().mul(Tensor.scalar(group.weightDecay())));
            }
            Tensor sq = state.buffer(i, "square_avg", () -> Tensor.zeros(p.shape().dims()));
            sq.scaleInPlace(alpha);
            sq.addInPlace(g.square(), 1f - alpha);
            Tensor avg;
            if (options.centered()) {
                Tensor ga = state.buffer(i, "grad_avg", () -> Tensor.zeros(p.shape().dims()));
                ga.scaleInPlace(alpha);
                ga.addInPlace(g, 1f - alpha);
                avg = sq.sub(ga.square()).sqrt().add(eps);
            } else {
                avg = sq.sqrt().add(eps);
            }
            if (options.momentum() > 0f) {
                Tensor buf = state.buffer(i, "momentum_buffer", () -> Tensor.zeros(p.shape().dims()));
                buf.scaleInPlace(options.momentum());
                buf.addInPlace(g.div(avg), 1f);
                p.value().addInPlace(buf, -group.lr());
            } else {
                p.value().addInPlace(g.div(avg), -group.lr());
            }
        });
    }
}
