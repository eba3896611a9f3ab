package dev.nn.optim.train;

import dev.nn.optim.ReduceLROnPlateau;
import java.util.Map;

/** Steps a {@link ReduceLROnPlateau} after every epoch with the monitored metric (for example {@code val_loss}). */
public final class PlateauStepper implements TrainingListener {

    private final ReduceLROnPlateau schedule;
    private final String monitor;

    /** Feeds {@code monitor} to {@code schedule} after each epoch. */
    public PlateauStepper(ReduceLROnPlateau schedule, String monitor) {
        this.schedule = schedule;
        this.monitor = monitor;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> metrics) {
        Double value = metrics.get(monitor);
        if (value == null) {
            throw new IllegalStateException("PlateauStepper: metric \"" + monitor + "\" is not reported; the epoch has "
                    + metrics.keySet());
        }
        schedule.step(value);
    }

    @Override
    public ListenerState saveState() {
        ReduceLROnPlateau.State s = schedule.state();
        return new ListenerState(Map.of("best", s.best(), "badSteps", (double) s.badSteps(), "cooldownLeft",
                (double) s.cooldownLeft(), "steps", (double) s.steps()), Map.of());
    }

    @Override
    public void restoreState(ListenerState state) {
        schedule.restore(new ReduceLROnPlateau.State(state.number("best"), (int) state.number("badSteps"),
                (int) state.number("cooldownLeft"), (int) state.number("steps")));
    }
}
