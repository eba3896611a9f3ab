package dev.nn.optim.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Saves the model's weights (safetensors, written atomically) into a directory: either every
 * {@code everyEpochs} epochs as {@code epoch-NNN.safetensors}, or, best-only, as
 * {@code best.safetensors} whenever the monitored metric improves (names containing {@code acc}
 * are maximized, others minimized).
 */
public final class ModelCheckpoint implements TrainingListener {

    private final Path dir;
    private final String monitor;
    private final int everyEpochs;
    private Trainer trainer;
    private double best;

    /** Saves {@code best.safetensors} whenever {@code val_loss} improves. */
    public ModelCheckpoint(Path dir) {
        this(dir, "val_loss", 0);
    }

    /** Best-only on {@code monitor} when {@code everyEpochs} is 0; otherwise every {@code everyEpochs} epochs. */
    public ModelCheckpoint(Path dir, String monitor, int everyEpochs) {
        if (everyEpochs < 0) {
            throw new IllegalArgumentException("ModelCheckpoint: everyEpochs must be >= 0, got " + everyEpochs);
        }
        this.dir = dir;
        this.monitor = monitor;
        this.everyEpochs = everyEpochs;
    }

    @Override
    public void onTrainBegin(Trainer t) {
        trainer = t;
        best = monitor.contains("acc") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot create " + dir + " (" + e.getMessage() + ")", e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("ModelCheckpoint: directory " + dir + " is not writable");
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> metrics) {
        try {
            if (everyEpochs > 0) {
                if ((epoch + 1) % everyEpochs == 0) {
                    trainer.model().save(dir.resolve(String.format(Locale.ROOT, "epoch-%03d.safetensors", epoch)));
                }
                return;
            }
            Double value = metrics.get(monitor);
            if (value == null) {
                throw new IllegalStateException("ModelCheckpoint: metric \"" + monitor + "\" is not reported; the epoch"
                        + " has " + metrics.keySet());
            }
            boolean better = monitor.contains("acc") ? value > best : value < best;
            if (better) {
                best = value;
                trainer.model().save(dir.resolve("best.safetensors"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot write to " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public ListenerState saveState() {
        return new ListenerState(Map.of("best", best), Map.of());
    }

    @Override
    public void restoreState(ListenerState state) {
        best = state.number("best");
    }
}
