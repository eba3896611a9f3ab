package dev.nn.optim.train;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Callbacks from {@link Trainer#fit}: every method has an empty default, so a listener overrides
 * only what it needs. Metrics maps hold {@code loss}, {@code accuracy} (for classification),
 * {@code lr}, and with validation data {@code val_loss} and {@code val_accuracy}.
 */
public interface TrainingListener {

    /** Called once before the first epoch, with the trainer (to read the model or request a stop). */
    default void onTrainBegin(Trainer trainer) {
    }

    /** Called before each epoch (numbered from 0). */
    default void onEpochBegin(int epoch) {
    }

    /** Called after each optimizer step with the batch's loss; {@code step} counts from 1 across epochs. */
    default void onBatchEnd(int epoch, int batch, long step, double loss) {
    }

    /** Called after each epoch with its metrics. */
    default void onEpochEnd(int epoch, Map<String, Double> metrics) {
    }

    /** Called once when training ends, however it ends. */
    default void onTrainEnd(History history) {
    }

    /**
     * Returns what this listener must carry across a checkpoint for a resumed {@code fit} to
     * continue exactly (counters, the best value so far, best weights); the default carries
     * nothing. Called whenever the trainer writes a checkpoint, and when it resumes (before
     * {@link #onTrainBegin}) to learn which listeners carry state: a listener that carries any
     * must return a non-empty state every time.
     */
    default ListenerState saveState() {
        return ListenerState.EMPTY;
    }

    /**
     * Restores what {@link #saveState()} returned, when {@code fit} resumes from a checkpoint;
     * called after {@link #onTrainBegin}.
     */
    default void restoreState(ListenerState state) {
    }

    /** Returns a listener that calls {@code action} after each epoch. */
    static TrainingListener onEpochEnd(BiConsumer<Integer, Map<String, Double>> action) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> metrics) {
                action.accept(epoch, metrics);
            }
        };
    }
}
