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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Training checkpoints in one directory. Each checkpoint is a subdirectory {@code step-N} holding
 * {@code model.safetensors}, {@code optimizer.safetensors} and {@code trainer.json}; it is written
 * under a temporary name, every file forced to disk, then renamed into place, and only then does
 * the file {@code latest} (replaced atomically) name it. Older checkpoints are deleted after that.
 * A crash at any point therefore leaves {@code latest} naming a complete checkpoint.
 */
final class Checkpoints {

    static final String LATEST = "latest";

    private Checkpoints() {
    }

    /** What a checkpoint holds. */
    record Loaded(Path path, Map<String, Tensor> model, Map<String, Tensor> optimizer, Map<?, ?> trainer) {
    }

    static void save(Path dir, Module model, Optimizer optimizer, String trainerJson, long step) throws IOException {
        Files.createDirectories(dir);
        String name = String.format(Locale.ROOT, "step-%012d", step);
        Path tmp = Files.createTempDirectory(dir, ".incomplete-");
        try {
            model.save(tmp.resolve("model.safetensors"));
            Safetensors.write(tmp.resolve("optimizer.safetensors"), optimizer.state(), Map.of());
            byte[] json = trainerJson.getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(tmp.resolve("trainer.json"), channel -> {
                ByteBuffer b = ByteBuffer.wrap(json);
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            });
            Path target = dir.resolve(name);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
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
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p) && n.startsWith("step-") && !n.equals(name)) {
                    deleteTree(p);
                }
            }
        }
    }

    /** Returns the checkpoint {@code latest} names, or null when the directory has none. */
    static Loaded load(Path dir) throws IOException {
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
                Safetensors.read(cp.resolve("optimizer.safetensors")).tensors(), (Map<?, ?>) trainer);
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
