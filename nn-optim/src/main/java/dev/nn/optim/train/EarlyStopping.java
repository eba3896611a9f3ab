package dev.nn.optim.train;

import dev.nn.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when a monitored metric has not improved by more than {@code minDelta} for
 * {@code patience} epochs; optionally restores the weights of the best epoch at the end.
 * Metrics whose name contains {@code acc} are maximized, others minimized.
 */
public final class EarlyStopping implements TrainingListener {

    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private final boolean maximize;
    private Trainer trainer;
    private double best;
    private int bestEpoch;
    private int wait;
    private Map<String, Tensor> bestWeights;

    /** Monitors {@code val_loss} with the given patience, no minimum delta, restoring the best weights. */
    public EarlyStopping(int patience) {
        this("val_loss", patience, 0f, true);
    }

    /** Monitors {@code monitor}. */
    public EarlyStopping(String monitor, int patience, float minDelta, boolean restoreBest) {
        if (patience < 0 || !(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping: patience and minDelta must be >= 0, got " + patience
                    + " and " + minDelta);
        }
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
        this.maximize = monitor.contains("acc");
    }

    @Override
    public void onTrainBegin(Trainer t) {
        trainer = t;
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        bestEpoch = -1;
        wait = 0;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> metrics) {
        Double value = metrics.get(monitor);
        if (value == null) {
            throw new IllegalStateException("EarlyStopping: metric \"" + monitor + "\" is not reported; the epoch has "
                    + metrics.keySet() + " (val_ metrics need validation data)");
        }
        boolean improved = maximize ? value > best + minDelta : value < best - minDelta;
        if (improved) {
            best = value;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBest) {
                bestWeights = new LinkedHashMap<>();
                trainer.model().stateDict().forEach((k, v) -> bestWeights.put(k, v.copy()));
            }
        } else if (++wait >= patience) {
            trainer.requestStop("early stopping at epoch " + epoch + ": " + monitor + " has not improved since epoch "
                    + bestEpoch + " (" + best + ")");
        }
    }

    @Override
    public void onTrainEnd(History history) {
        if (restoreBest && bestWeights != null) {
            trainer.model().loadStateDict(bestWeights);
        }
    }

    @Override
    public ListenerState saveState() {
        return new ListenerState(Map.of("best", best, "bestEpoch", (double) bestEpoch, "wait", (double) wait),
                bestWeights == null ? Map.of() : bestWeights);
    }

    @Override
    public void restoreState(ListenerState state) {
        best = state.number("best");
        bestEpoch = (int) state.number("bestEpoch");
        wait = (int) state.number("wait");
        bestWeights = state.tensors().isEmpty() ? null : new LinkedHashMap<>(state.tensors());
    }

    /** Returns the epoch with the best value so far (-1 before the first). */
    public int bestEpoch() {
        return bestEpoch;
    }
}
