package dev.nn.optim.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Dropout;
import dev.nn.layers.Linear;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.optim.Adam;
import dev.nn.optim.CosineAnnealingLR;
import dev.nn.optim.data.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact resume: training N steps straight equals training k steps, stopping with a checkpoint and
 * resuming in a fresh trainer (and, once, a fresh JVM): bit-identical weights, optimizer state,
 * schedule position, dropout masks and history.
 */
class ResumeTest {

    static final int EPOCHS = 3;
    static final int BATCHES = 5;        // 75 samples, batch 16: the last batch of each epoch is partial

    @TempDir
    Path dir;

    static Dataset data() {
        Generator g = new Generator(31);
        float[] y = new float[75];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 4;
        }
        return new Dataset(Tensor.randn(g, 75, 6), Tensor.of(y, 75));
    }

    /** A fresh model, optimizer, schedule and trainer, the same every time. */
    static Trainer trainer(Path checkpoints, int everySteps, long stopAtStep) {
        Generator g = new Generator(32);
        Sequential model = new Sequential(new Linear(6, 12, true, g), new ReLU(), new Dropout(0.3f, new Generator(33)),
                new Linear(12, 4, true, g));
        Adam adam = new Adam(model.parameters(), 0.01f);
        Trainer.Builder b = Trainer.builder().model(model).loss(new CrossEntropyLoss()).optimizer(adam)
                .schedule(new CosineAnnealingLR(adam, EPOCHS, 0f)).epochs(EPOCHS).batchSize(16).seed(5)
                .progress(false);
        if (checkpoints != null) {
            b.checkpoints(checkpoints, everySteps);
        }
        Trainer[] self = new Trainer[1];
        if (stopAtStep > 0) {
            b.callbacks(new TrainingListener() {
                @Override
                public void onBatchEnd(int epoch, int batch, long step, double loss) {
                    if (step == stopAtStep) {
                        self[0].requestStop("stopped for the test at step " + step);
                    }
                }
            });
        }
        self[0] = b.build();
        return self[0];
    }

    @Test
    void resumeAtEveryKindOfPoint_bitIdenticalToAStraightRun() {
        Trainer straight = trainer(null, 0, 0);
        History full = straight.fit(data(), data());
        for (long k : new long[] {1, 3, BATCHES, BATCHES + 2, EPOCHS * BATCHES - 1, EPOCHS * BATCHES}) {
            Path cp = dir.resolve("k" + k);
            History first = trainer(cp, 0, k).fit(data(), data());
            assertTrue(first.stopReason().startsWith("stopped for the test") || k == EPOCHS * BATCHES, first.stopReason());
            Trainer second = trainer(cp, 0, 0);
            History rest = second.fit(data(), data());
            assertEquals(straight.model().stateDict(), second.model().stateDict(), "resumed after step " + k);
            assertEquals(straight.optimizer().state(), second.optimizer().state(), "optimizer after step " + k);
            assertEquals(full.toJson(), rest.toJson(), "history after step " + k);
        }
    }

    @Test
    void checkpointEveryNSteps_keepsOnlyTheNewest_andStepZeroResumesFromScratch() throws IOException {
        Path cp = dir.resolve("every");
        trainer(cp, 2, 0).fit(data());
        try (Stream<Path> s = Files.list(cp)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("latest", "step-000000000015"), names);
        }
        Path empty = dir.resolve("empty");
        Trainer fresh = trainer(empty, 0, 0);
        Trainer straight = trainer(null, 0, 0);
        fresh.fit(data());
        straight.fit(data());
        assertEquals(straight.model().stateDict(), fresh.model().stateDict());
    }

    @Test
    void crashBeforeThePointerMoves_leavesThePreviousCheckpointLoadable() throws IOException {
        Path cp = dir.resolve("crash");
        trainer(cp, 0, 7).fit(data());
        String latest = Files.readString(cp.resolve("latest"));
        // A crash mid-write leaves an incomplete directory and perhaps a half-written newer step: ignored.
        Files.createDirectories(cp.resolve(".incomplete-123"));
        Files.writeString(cp.resolve(".incomplete-123").resolve("model.safetensors"), "partial");
        Files.createDirectories(cp.resolve("step-000000000099"));
        Files.writeString(cp.resolve("step-000000000099").resolve("model.safetensors"), "partial");
        assertEquals(latest, Files.readString(cp.resolve("latest")));
        Trainer resumed = trainer(cp, 0, 0);
        resumed.fit(data());
        Trainer straight = trainer(null, 0, 0);
        straight.fit(data());
        assertEquals(straight.model().stateDict(), resumed.model().stateDict());
    }

    @Test
    void mismatchedRun_refusedWithTheReason() {
        Path cp = dir.resolve("other");
        trainer(cp, 0, 3).fit(data());
        Generator g = new Generator(32);
        Sequential model = new Sequential(new Linear(6, 12, true, g), new ReLU(), new Dropout(0.3f, new Generator(33)),
                new Linear(12, 4, true, g));
        Trainer other = Trainer.builder().model(model).loss(new CrossEntropyLoss())
                .optimizer(new Adam(model.parameters(), 0.01f)).epochs(EPOCHS).batchSize(16).seed(6).progress(false)
                .checkpoints(cp, 0).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.fit(data()));
        assertTrue(e.getMessage().endsWith("was written with seed 5 and 5 batches per epoch; this run has seed 6 and 5"
                + " (same data, batch size and seed are needed to resume)"), e.getMessage());
    }

    /** Child JVM: resumes from the checkpoint in args[0] and prints the weights' hash. */
    public static void main(String[] args) {
        Trainer t = trainer(Path.of(args[0]), 0, 0);
        t.fit(data(), data());
        System.out.println(t.model().stateDict().hashCode());
    }

    @Test
    void resumeInANewJvm_bitIdentical() throws Exception {
        Path cp = dir.resolve("jvm");
        trainer(cp, 0, 8).fit(data(), data());
        Trainer straight = trainer(null, 0, 0);
        straight.fit(data(), data());
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ResumeTest.class.getName(), cp.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertEquals(Integer.toString(straight.model().stateDict().hashCode()), out);
    }
}
