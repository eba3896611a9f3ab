package dev.nn.optim.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the metrics so far as CSV after every epoch (the file is replaced atomically each time).
 * It writes the trainer's history, so after a resume the file still holds every epoch.
 */
public final class CsvLogger implements TrainingListener {

    private final Path path;
    private Trainer trainer;

    /** Writes to {@code path}. */
    public CsvLogger(Path path) {
        this.path = path;
    }

    @Override
    public void onTrainBegin(Trainer t) {
        trainer = t;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> metrics) {
        try {
            trainer.history().writeCsv(path);
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger: cannot write " + path + " (" + e.getMessage() + ")", e);
        }
    }
}
