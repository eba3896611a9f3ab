package dev.nn.optim;

import dev.nn.core.Tensor;
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
            Tensor g = p.grad();
            if (decoupled) {
                p.value().scaleInPlace(1f - lr * wd);
            } else if (wd != 0f) {
                g = g.add(p.value().mul(Tensor.scalar(wd)));
            }
            Tensor m = state.buffer(i, "exp_avg", () -> Tensor.zeros(p.shape().dims()));
            Tensor v = state.buffer(i, "exp_avg_sq", () -> Tensor.zeros(p.shape().dims()));
            m.scaleInPlace(beta1);
            m.addInPlace(g, 1f - beta1);
            v.scaleInPlace(beta2);
            v.addInPlace(g.square(), 1f - beta2);
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            float stepSize = (float) (lr / bc1);
            Tensor second = v;
            if (amsgrad) {
                Tensor max = state.buffer(i, "max_exp_avg_sq", () -> Tensor.zeros(p.shape().dims()));
                max.copyInPlace(max.max(v));
                second = max;
            }
            Tensor denom = second.sqrt().div(Tensor.scalar((float) Math.sqrt(bc2))).add(Tensor.scalar(eps));
            p.value().addInPlace(m.div(denom), -stepSize);
        });
    }
}
