package dev.nn.optim;

import dev.nn.core.Tensor;
import dev.nn.core.Updates;
import java.util.Set;

/** Adam's update, shared by {@link Adam} (weight decay added to the gradient) and {@link AdamW} (decoupled). */
final class AdamRule {

    static final Set<String> BUFFERS = Set.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq");

    private AdamRule() {
    }

    static void step(ParamState state, float beta1, float beta2, float eps, boolean amsgrad, boolean decoupled) {
        state.forEachWithGrad((i, p, group) -> {
            int t = state.nextStep(i);
            float lr = group.lr();
            float wd = group.weightDecay();
            if (decoupled) {
                p.value().scaleInPlace(1f - lr * wd);
            }
            Tensor m = state.buffer(i, "exp_avg", () -> Tensor.zeros(p.shape().dims()));
            Tensor v = state.buffer(i, "exp_avg_sq", () -> Tensor.zeros(p.shape().dims()));
            Tensor max = amsgrad ? state.buffer(i, "max_exp_avg_sq", () -> Tensor.zeros(p.shape().dims())) : null;
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            // One fused pass, the same bits as the tensor operations it stands for (see UpdateKernels.adam).
            Updates.adam(p.value(), p.grad(), m, v, max, beta1, beta2, decoupled ? 0f : wd, (float) (lr / bc1),
                    (float) Math.sqrt(bc2), eps);
        });
    }
}
