package dev.nn.optim.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** Writes the metrics so far as CSV after every epoch (the file is replaced atomically each time). */
public final class CsvLogger implements TrainingListener {

    private final Path path;
    private History history;

    /** Writes to {@code path}. */
    public CsvLogger(Path path) {
        this.path = path;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        history = new History();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> metrics) {
        history.add(metrics);
        try {
            history.writeCsv(path);
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger: cannot write " + path + " (" + e.getMessage() + ")", e);
        }
    }
}
