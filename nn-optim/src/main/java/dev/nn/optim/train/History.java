package dev.nn.optim.train;

import dev.nn.layers.io.AtomicFiles;
import dev.nn.layers.io.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What {@link Trainer#fit} did: each epoch's metrics in order, and why training stopped. */
public final class History {

    private final List<Map<String, Double>> epochs = new ArrayList<>();
    private String stopReason = "completed";

    void add(Map<String, Double> metrics) {
        epochs.add(Collections.unmodifiableMap(new LinkedHashMap<>(metrics)));
    }

    void stopped(String reason) {
        stopReason = reason;
    }

    /** Returns each epoch's metrics, in order. */
    public List<Map<String, Double>> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** Returns one metric across epochs (NaN where an epoch lacks it). */
    public double[] metric(String name) {
        double[] v = new double[epochs.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = epochs.get(i).getOrDefault(name, Double.NaN);
        }
        return v;
    }

    /** Returns why training stopped: {@code completed}, or the reason (early stopping, a NaN loss, a stop request). */
    public String stopReason() {
        return stopReason;
    }

    private Set<String> columns() {
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Double> e : epochs) {
            names.addAll(e.keySet());
        }
        return names;
    }

    /** Returns the history as CSV: a header {@code epoch,<metrics...>} and one line per epoch. */
    public String toCsv() {
        Set<String> names = columns();
        StringBuilder s = new StringBuilder("epoch");
        for (String n : names) {
            s.append(',').append(n);
        }
        s.append('\n');
        for (int i = 0; i < epochs.size(); i++) {
            s.append(i);
            for (String n : names) {
                Double v = epochs.get(i).get(n);
                s.append(',').append(v == null ? "" : format(v));
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** Returns the history as JSON: {@code {"stopReason": ..., "epochs": [{"loss": ...}, ...]}}. */
    public String toJson() {
        return "{\"stopReason\":" + Json.quote(stopReason) + ",\"epochs\":" + epochsJson() + "}";
    }

    /** Returns the epochs' metrics as a JSON array (non-finite values as null); checkpoints store it. */
    String epochsJson() {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < epochs.size(); i++) {
            s.append(i == 0 ? "{" : ",{");
            boolean first = true;
            for (Map.Entry<String, Double> e : epochs.get(i).entrySet()) {
                s.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':')
                        .append(Double.isFinite(e.getValue()) ? format(e.getValue()) : "null");
                first = false;
            }
            s.append('}');
        }
        return s.append(']').toString();
    }

    /** Writes {@link #toCsv()} to {@code path}, atomically. */
    public void writeCsv(Path path) throws IOException {
        byte[] bytes = toCsv().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(path, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    private static String format(double v) {
        return Double.toString(v);
    }
}
