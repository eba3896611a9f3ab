package dev.nn.optim;

import dev.nn.autograd.Parameter;
import dev.nn.core.Tensor;
import java.util.List;
import java.util.Set;

/**
 * Adagrad, as PyTorch's {@code torch.optim.Adagrad} (defaults lr 1e-2, eps 1e-10):
 *
 * <pre>
 * g = grad + weightDecay·p
 * clr = lr / (1 + (t - 1)·lrDecay)
 * sum = sum + g²            (sum starts at initialAccumulatorValue)
 * p = p - clr·g / (√sum + eps)
 * </pre>
 */
public final class Adagrad extends StatefulOptimizer {

    /** Adagrad's hyper-parameters; every value is validated when set. */
    public record Options(float lr, float lrDecay, float weightDecay, float initialAccumulatorValue, float eps) {
        public Options {
            Check.nonNegative("lr", lr);
            Check.nonNegative("lrDecay", lrDecay);
            Check.nonNegative("weightDecay", weightDecay);
            Check.nonNegative("initialAccumulatorValue", initialAccumulatorValue);
            Check.positive("eps", eps);
        }

        /** Returns PyTorch's defaults with learning rate {@code lr}. */
        public static Options of(float lr) {
            return new Options(lr, 0f, 0f, 0f, 1e-10f);
        }

        /** Returns these options with learning-rate decay {@code value}. */
        public Options lrDecay(float value) {
            return new Options(lr, value, weightDecay, initialAccumulatorValue, eps);
        }

        /** Returns these options with weight decay {@code value}. */
        public Options weightDecay(float value) {
            return new Options(lr, lrDecay, value, initialAccumulatorValue, eps);
        }

        /** Returns these options with the accumulator starting at {@code value}. */
        public Options initialAccumulatorValue(float value) {
            return new Options(lr, lrDecay, weightDecay, value, eps);
        }

        /** Returns these options with eps {@code value}. */
        public Options eps(float value) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, value);
        }
    }

    private final Options options;

    /** Creates Adagrad on {@code params} with learning rate {@code lr} and the other defaults. */
    public Adagrad(List<Parameter> params, float lr) {
        this(Options.of(lr), ParamGroup.of(params));
    }

    /** Creates Adagrad with {@code options} on the given groups. */
    public Adagrad(Options options, ParamGroup... groups) {
        super(new ParamState("Adagrad", options.lr(), options.weightDecay(), groups, Set.of("step", "sum")));
        this.options = options;
    }

    @Override
    public void step() {
        Tensor eps = Tensor.scalar(options.eps());
        state.forEachWithGrad((i, p, group) -> {
            int t = state.nextStep(i);
            Tensor g = p.grad();
            if (group.weightDecay() != 0f) {
                g = g.add(p.value().mul(Tensor.scalar(group.weightDecay())));
            }
            float clr = group.lr() / (1f + (t - 1) * options.lrDecay());
            Tensor sum = state.buffer(i, "sum", () -> Tensor.full(options.initialAccumulatorValue(), p.shape().dims()));
            sum.addInPlace(g.square(), 1f);
            p.value().addInPlace(g.div(sum.sqrt().add(eps)), -clr);
        });
    }
}
