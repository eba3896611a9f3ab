package dev.nn.optim;

import dev.nn.core.Tensor;
import java.util.List;
import java.util.Map;

/** What every optimizer here shares: its {@link ParamState}, and the methods that only delegate to it. */
abstract class StatefulOptimizer implements Optimizer {

    final ParamState state;

    StatefulOptimizer(ParamState state) {
        this.state = state;
    }

    @Override
    public final void zeroGrad() {
        state.zeroGrad(true);
    }

    @Override
    public final void zeroGrad(boolean setToNone) {
        state.zeroGrad(setToNone);
    }

    @Override
    public final List<ParamGroup> groups() {
        return state.groups();
    }

    @Override
    public final Map<String, Tensor> state() {
        return state.export();
    }

    @Override
    public final void loadState(Map<String, Tensor> saved) {
        state.load(saved);
    }
}
