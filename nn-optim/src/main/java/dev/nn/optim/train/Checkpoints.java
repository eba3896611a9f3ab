package dev.nn.optim.train;

import dev.nn.core.Tensor;
import dev.nn.layers.Module;
import dev.nn.layers.io.AtomicFiles;
import dev.nn.layers.io.Json;
import dev.nn.layers.io.Safetensors;
import dev.nn.optim.Optimizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Training checkpoints in one directory, the format the {@link Trainer} writes and resumes from, and
 * other training loops (nn-spark's {@code DataParallel}) reuse. Each checkpoint is a subdirectory
 * {@code step-N} holding {@code model.safetensors}, {@code optimizer.safetensors},
 * {@code listeners.safetensors} (tensors the listeners carry, such as best weights) and
 * {@code trainer.json} (the loop's position and settings, a JSON object whose {@code "writer"}
 * names the loop that wrote it); it is written under a temporary name, every file forced to disk,
 * then renamed into place, and only then does the file {@code latest} (replaced atomically) name
 * it. Older checkpoints are deleted after that. A crash at any point therefore leaves
 * {@code latest} naming a complete checkpoint.
 */
public final class Checkpoints {

    static final String LATEST = "latest";
    static final String INCOMPLETE = ".incomplete-";

    /**
     * Called between the writes of a save with the name of the point reached. A seam for tests,
     * which throw from it (an Error, so no cleanup runs) to leave the directory as a crash at that
     * point would.
     */
    interface CrashPoint {
        void reached(String point);
    }

    static volatile CrashPoint crashPoint = point -> { };

    private Checkpoints() {
    }

    /**
     * What a checkpoint holds: where it is, the model's, the optimizer's and the listeners' tensors
     * by name, and trainer.json parsed (a map of JSON values).
     */
    public record Loaded(Path path, Map<String, Tensor> model, Map<String, Tensor> optimizer,
                         Map<String, Tensor> listeners, Map<?, ?> trainer) {
    }

    /**
     * Writes a checkpoint of {@code model}, {@code optimizer}'s state, the {@code listeners}' tensors
     * and {@code trainerJson} (a JSON object naming its {@code "writer"}) into {@code dir} as
     * {@code step-<step>}, then names it in {@code latest} and deletes older checkpoints.
     *
     * @throws IOException if a file cannot be written; {@code latest} then still names the previous
     *     checkpoint, and no partial one is left behind
     */
    public static void save(Path dir, Module model, Optimizer optimizer, Map<String, Tensor> listeners,
                            String trainerJson, long step) throws IOException {
        Files.createDirectories(dir);
        String name = String.format(Locale.ROOT, "step-%012d", step);
        Path tmp = AtomicFiles.createTempDirectory(dir, INCOMPLETE);
        try {
            crashPoint.reached("temporary directory created");
            model.save(tmp.resolve("model.safetensors"));
            crashPoint.reached("model written");
            Safetensors.write(tmp.resolve("optimizer.safetensors"), optimizer.state(), Map.of());
            crashPoint.reached("optimizer written");
            Safetensors.write(tmp.resolve("listeners.safetensors"), listeners, Map.of());
            crashPoint.reached("listeners written");
            byte[] json = trainerJson.getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(tmp.resolve("trainer.json"), channel -> {
                ByteBuffer b = ByteBuffer.wrap(json);
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            });
            crashPoint.reached("trainer.json written");
            Path target = dir.resolve(name);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            crashPoint.reached("checkpoint directory in place");
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        byte[] pointer = name.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(LATEST), channel -> {
            ByteBuffer b = ByteBuffer.wrap(pointer);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        });
        crashPoint.reached("latest written");
        // Older checkpoints go, and whatever an interrupted save left behind: a temporary
        // directory, or a step directory that latest never named.
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p) && (n.startsWith("step-") || n.startsWith(INCOMPLETE)) && !n.equals(name)) {
                    deleteTree(p);
                    crashPoint.reached("deleted " + n);
                }
            }
        }
    }

    /**
     * Returns the checkpoint {@code latest} names in {@code dir}, or null when the directory has
     * none (or does not exist).
     *
     * @throws IOException if a file cannot be read or trainer.json is not a JSON object
     */
    public static Loaded load(Path dir) throws IOException {
        Path latest = dir.resolve(LATEST);
        if (!Files.exists(latest)) {
            return null;
        }
        String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
        Path cp = dir.resolve(name);
        Object trainer;
        try {
            trainer = Json.parse(Files.readString(cp.resolve("trainer.json"), StandardCharsets.UTF_8));
        } catch (Json.ParseException e) {
            throw new IOException(cp.resolve("trainer.json") + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        if (!(trainer instanceof Map)) {
            throw new IOException(cp.resolve("trainer.json") + ": expected a JSON object");
        }
        return new Loaded(cp, Safetensors.read(cp.resolve("model.safetensors")).tensors(),
                Safetensors.read(cp.resolve("optimizer.safetensors")).tensors(),
                Safetensors.read(cp.resolve("listeners.safetensors")).tensors(), (Map<?, ?>) trainer);
    }

    /**
     * Returns the states of the listeners that carry one as JSON for trainer.json, putting their
     * tensors into {@code tensors} under "index.name". Numbers are written as strings of
     * Double.toString: exact, and JSON has no Infinity or NaN.
     */
    static String listenersJson(List<TrainingListener> listeners, Map<String, Tensor> tensors) {
        StringBuilder json = new StringBuilder("[");
        int i = 0;
        for (TrainingListener listener : listeners) {
            ListenerState state = listener.saveState();
            if (state.isEmpty()) {
                continue;
            }
            json.append(i == 0 ? "{" : ",{").append("\"class\":").append(Json.quote(listener.getClass().getName()))
                    .append(",\"numbers\":{");
            boolean first = true;
            for (Map.Entry<String, Double> e : state.numbers().entrySet()) {
                json.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':')
                        .append(Json.quote(Double.toString(e.getValue())));
                first = false;
            }
            json.append("}}");
            for (Map.Entry<String, Tensor> e : state.tensors().entrySet()) {
                tensors.put(i + "." + e.getKey(), e.getValue());
            }
            i++;
        }
        return json.append(']').toString();
    }

    /**
     * Reads the listeners' states from a checkpoint, one for each of {@code stateful} in order.
     * Their classes must be the sequence the checkpoint recorded; listeners without state (a
     * logger, a lambda) are not in it, so they may come and go between runs.
     */
    static List<ListenerState> listenerStates(Loaded cp, List<TrainingListener> stateful) {
        List<?> saved = (List<?>) cp.trainer().get("listeners");
        List<String> savedClasses = new ArrayList<>();
        for (Object o : saved == null ? List.of() : saved) {
            savedClasses.add((String) ((Map<?, ?>) o).get("class"));
        }
        List<String> classes = stateful.stream().map(l -> l.getClass().getName()).toList();
        if (!savedClasses.equals(classes)) {
            throw new IllegalStateException("fit: checkpoint " + cp.path() + " holds the state of listeners "
                    + savedClasses + ", this trainer's listeners with state are " + classes
                    + " (resume with the same callbacks)");
        }
        List<ListenerState> out = new ArrayList<>();
        for (int i = 0; i < savedClasses.size(); i++) {
            Map<String, Double> numbers = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) ((Map<?, ?>) saved.get(i)).get("numbers")).entrySet()) {
                numbers.put((String) e.getKey(), Double.parseDouble((String) e.getValue()));
            }
            String prefix = i + ".";
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            cp.listeners().forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    tensors.put(k.substring(prefix.length()), v);
                }
            });
            out.add(new ListenerState(numbers, tensors));
        }
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }
}
