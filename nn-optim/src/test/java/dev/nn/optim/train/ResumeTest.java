package dev.nn.optim.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Dropout;
import dev.nn.layers.Linear;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import dev.nn.layers.io.Safetensors;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.optim.Adam;
import dev.nn.optim.CosineAnnealingLR;
import dev.nn.optim.ReduceLROnPlateau;
import dev.nn.optim.data.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    static Trainer trainer(Path checkpoints, int everySteps, long stopAtStep, TrainingListener... extra) {
        Generator g = new Generator(32);
        Sequential model = new Sequential(new Linear(6, 12, true, g), new ReLU(), new Dropout(0.3f, new Generator(33)),
                new Linear(12, 4, true, g));
        Adam adam = new Adam(model.parameters(), 0.01f);
        Trainer.Builder b = Trainer.builder().model(model).loss(new CrossEntropyLoss()).optimizer(adam)
                .schedule(new CosineAnnealingLR(adam, EPOCHS, 0f)).epochs(EPOCHS).batchSize(16).seed(5)
                ;
        if (checkpoints != null) {
            b.checkpoints(checkpoints, everySteps);
        }
        Trainer[] self = new Trainer[1];
        b.callbacks(extra);
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
    void csvLogger_afterAResume_stillHoldsEveryEpoch() throws IOException {
        History full = trainer(null, 0, 0).fit(data(), data());
        Path csv = dir.resolve("log.csv");
        Path cp = dir.resolve("csv");
        trainer(cp, 0, BATCHES + 2, new CsvLogger(csv)).fit(data(), data());
        assertEquals(2, Files.readAllLines(csv).size(), "header and the first epoch before the stop");
        trainer(cp, 0, 0, new CsvLogger(csv)).fit(data(), data());
        assertEquals(full.toCsv(), Files.readString(csv));
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
                .optimizer(new Adam(model.parameters(), 0.01f)).epochs(EPOCHS).batchSize(16).seed(6)
                .checkpoints(cp, 0).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.fit(data()));
        assertTrue(e.getMessage().endsWith("was written with seed 5 and 5 batches per epoch; this run has seed 6 and 5"
                + " (same data, batch size and seed are needed to resume)"), e.getMessage());
    }

    /** Validation data the training makes worse: each label moved to the next class. */
    static Dataset shiftedLabels() {
        Dataset d = data();
        float[] y = d.targets().toArray();
        for (int i = 0; i < y.length; i++) {
            y[i] = (y[i] + 1) % 4;
        }
        return new Dataset(d.features(), Tensor.of(y, y.length));
    }

    /**
     * A trainer whose listeners carry state: early stopping restoring the best weights, and a
     * plateau schedule with patience 0. On the shifted validation labels val_loss rises after
     * epoch 0, so the best weights are epoch 0's and the rate halves after every later epoch: a
     * resume that lost either listener's state would end elsewhere.
     */
    static Trainer statefulTrainer(Path checkpoints, long stopAtStep, EarlyStopping[] early) {
        Generator g = new Generator(32);
        Sequential model = new Sequential(new Linear(6, 12, true, g), new ReLU(), new Linear(12, 4, true, g));
        Adam adam = new Adam(model.parameters(), 0.05f);
        early[0] = new EarlyStopping("val_loss", 10, 0f, true);
        var plateau = new ReduceLROnPlateau(adam, ReduceLROnPlateau.Options.defaults().patience(0).factor(0.5f));
        Trainer[] self = new Trainer[1];
        TrainingListener stop = new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, long step, double loss) {
                if (step == stopAtStep) {
                    self[0].requestStop("stopped for the test at step " + step);
                }
            }
        };
        Trainer.Builder b = Trainer.builder().model(model).loss(new CrossEntropyLoss()).optimizer(adam).epochs(4)
                .batchSize(16).seed(5)
                .callbacks(early[0], new PlateauStepper(plateau, "val_loss"));
        if (stopAtStep > 0) {
            b.callbacks(stop);      // stateless: present in the first run only, which resume allows
        }
        if (checkpoints != null) {
            b.checkpoints(checkpoints, 0);
        }
        self[0] = b.build();
        return self[0];
    }

    @Test
    void listenersState_carriedAcrossResume() {
        EarlyStopping[] early = new EarlyStopping[1];
        Trainer straight = statefulTrainer(null, 0, early);
        History full = straight.fit(data(), shiftedLabels());
        assertEquals(0, early[0].bestEpoch(), "the test needs the best epoch before the resume point");
        // The rate an epoch trained with: the plateau steps after each epoch, from epoch 1 on a worse one.
        assertArrayEquals(new double[] {0.05, 0.05, 0.025, 0.0125}, full.metric("lr"), 1e-7,
                "the test needs the rate to fall after each epoch");
        for (long k : new long[] {BATCHES + 2, 2 * BATCHES}) {
            Path cp = dir.resolve("listeners" + k);
            statefulTrainer(cp, k, new EarlyStopping[1]).fit(data(), shiftedLabels());
            Trainer second = statefulTrainer(cp, 0, early);
            History rest = second.fit(data(), shiftedLabels());
            assertEquals(0, early[0].bestEpoch(), "best epoch after resuming at step " + k);
            assertEquals(straight.model().stateDict(), second.model().stateDict(), "best weights, resumed at " + k);
            assertEquals(straight.optimizer().state(), second.optimizer().state(), "optimizer, resumed at " + k);
            assertEquals(full.toJson(), rest.toJson(), "history, resumed at " + k);
        }
    }

    @Test
    void resumeWithoutAStatefulListener_refusedAndNothingChanged() {
        Path cp = dir.resolve("fewer");
        statefulTrainer(cp, 3, new EarlyStopping[1]).fit(data(), shiftedLabels());
        Generator g = new Generator(32);
        Sequential model = new Sequential(new Linear(6, 12, true, g), new ReLU(), new Linear(12, 4, true, g));
        var before = new java.util.LinkedHashMap<String, Tensor>();
        model.stateDict().forEach((k, v) -> before.put(k, v.copy()));
        Adam adam = new Adam(model.parameters(), 0.05f);
        Trainer other = Trainer.builder().model(model).loss(new CrossEntropyLoss()).optimizer(adam).epochs(4)
                .batchSize(16).seed(5).callbacks(new EarlyStopping("val_loss", 10, 0f, true))
                .checkpoints(cp, 0).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.fit(data(), shiftedLabels()));
        assertTrue(e.getMessage().endsWith("holds the state of listeners [dev.nn.optim.train.EarlyStopping,"
                + " dev.nn.optim.train.PlateauStepper], this trainer's listeners with state are"
                + " [dev.nn.optim.train.EarlyStopping] (resume with the same callbacks)"), e.getMessage());
        assertEquals(before, model.stateDict());
        assertEquals(0.05f, adam.groups().get(0).lr());
    }

    @Test
    void checkpointWhoseOptimizerStateDoesNotFit_refusedAndTheModelUnchanged() throws IOException {
        Path cp = dir.resolve("badOptimizer");
        trainer(cp, 0, 3).fit(data());
        Path step = cp.resolve(Files.readString(cp.resolve("latest")).trim());
        Safetensors.write(step.resolve("optimizer.safetensors"), Map.of("bogus", Tensor.scalar(1f)), Map.of());
        Trainer other = trainer(cp, 0, 0);
        var before = new java.util.LinkedHashMap<String, Tensor>();
        other.model().stateDict().forEach((k, v) -> before.put(k, v.copy()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.fit(data()));
        assertTrue(e.getMessage().contains("unexpected bogus"), e.getMessage());
        assertEquals(before, other.model().stateDict(), "the model loaded first is put back");
    }

    /** What a new Trainer's fit threw on an edited checkpoint, the file edited, and that Trainer. */
    record Refusal(IllegalStateException error, Path trainerJson, Trainer trainer) {
    }

    /**
     * Writes a checkpoint into {@code name}, replaces {@code from} by {@code to} in its trainer.json,
     * and returns what a new Trainer's fit throws; checks that its model was left as it was.
     */
    private Refusal refusalAfterEditing(String name, String from, String to) throws IOException {
        Path cp = dir.resolve(name);
        trainer(cp, 0, 3).fit(data());
        Path json = cp.resolve(Files.readString(cp.resolve("latest")).trim()).resolve("trainer.json");
        String text = Files.readString(json);
        assertTrue(text.contains(from), text);
        Files.writeString(json, text.replace(from, to));
        Trainer other = trainer(cp, 0, 0);
        var before = new java.util.LinkedHashMap<String, Tensor>();
        other.model().stateDict().forEach((k, v) -> before.put(k, v.copy()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.fit(data()));
        assertEquals(before, other.model().stateDict());
        return new Refusal(e, json, other);
    }

    @Test
    void malformedTrainerJson_refusedNamingIt_andNothingChanged() throws IOException {
        Refusal r = refusalAfterEditing("malformed", "\"epoch\":0,", "\"epoch\":\"zero\",");
        assertTrue(r.error().getMessage().contains("trainer.json is malformed (java.lang.ClassCastException"),
                r.error().getMessage());
        assertEquals(0, r.trainer().optimizer().state().keySet().stream().filter(k -> k.startsWith("state.")).count(),
                "the optimizer has no moments yet");
    }

    @Test
    void checkpointOfAnotherLoop_refusedNamingItsWriter_andNothingChanged() throws IOException {
        Refusal r = refusalAfterEditing("foreign", "{\"writer\":\"Trainer\",", "{\"writer\":\"DataParallel\",");
        assertEquals("fit: checkpoint " + r.trainerJson().getParent() + " was written by DataParallel, not by a"
                + " Trainer (resume it with what wrote it, or use another directory)", r.error().getMessage());
    }

    /** Thrown at a crash point: an Error, so the save's cleanup does not run, as after a real crash. */
    static final class Crash extends Error {
        Crash(String point) {
            super("crash at " + point);
        }
    }

    @Test
    void crashAtEveryPointOfASave_leavesACheckpointThatResumesExactly() throws IOException {
        Trainer straight = trainer(null, 0, 0);
        straight.fit(data());
        // Learn the points a save passes, from the first save (at step 4); the second is crashed.
        List<String> points = new ArrayList<>();
        try {
            Checkpoints.crashPoint = points::add;
            trainer(dir.resolve("probe"), 4, 0).fit(data());
        } finally {
            Checkpoints.crashPoint = point -> { };
        }
        int perSave = points.indexOf("latest written") + 1;
        assertTrue(perSave >= 6, points.toString());
        for (int i = 0; i < perSave + 1; i++) {       // every point of the second save, deletion included
            Path cp = dir.resolve("crash" + i);
            int crashAt = perSave + i;
            int[] seen = {0};
            Checkpoints.crashPoint = point -> {
                if (seen[0]++ == crashAt) {
                    throw new Crash(point);
                }
            };
            try {
                assertThrows(Crash.class, () -> trainer(cp, 4, 0).fit(data()));
            } finally {
                Checkpoints.crashPoint = point -> { };
            }
            Checkpoints.Loaded loaded = Checkpoints.load(cp);
            // The first save is at step 4, the second (the one crashed) at the end of the first epoch.
            assertTrue(loaded.path().endsWith("step-000000000004") || loaded.path().endsWith("step-000000000005"),
                    "after a crash at point " + i + ": " + loaded.path());
            Trainer resumed = trainer(cp, 4, 0);
            resumed.fit(data());
            assertEquals(straight.model().stateDict(), resumed.model().stateDict(), "crash at point " + i);
            try (Stream<Path> s = Files.list(cp)) {
                assertEquals(List.of("latest", "step-000000000015"), s.map(p -> p.getFileName().toString()).sorted()
                        .toList(), "the next save clears what the crash left, point " + i);
            }
        }
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
