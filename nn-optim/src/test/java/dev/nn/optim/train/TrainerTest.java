package dev.nn.optim.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.core.Backend;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Identity;
import dev.nn.layers.Linear;
import dev.nn.layers.Module;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import dev.nn.layers.Tanh;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.layers.loss.MSELoss;
import dev.nn.optim.Adam;
import dev.nn.optim.SGD;
import dev.nn.optim.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop: convergence, determinism, callbacks, stops, evaluation and bad input. */
class TrainerTest {

    @TempDir
    Path dir;

    /** Three Gaussian blobs in the plane, labelled 0, 1, 2. */
    static Dataset blobs(int n, long seed) {
        Generator g = new Generator(seed);
        float[] x = new float[n * 2];
        float[] y = new float[n];
        float[][] centers = {{-2, 0}, {2, 0}, {0, 2.5f}};
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            x[2 * i] = centers[c][0] + 0.6f * g.nextGaussian();
            x[2 * i + 1] = centers[c][1] + 0.6f * g.nextGaussian();
            y[i] = c;
        }
        return new Dataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    static Sequential mlp(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Linear(2, 16, true, g), new Tanh(), new Linear(16, 3, true, g));
    }

    static Trainer.Builder trainer(Module model, int epochs) {
        return Trainer.builder().model(model).loss(new CrossEntropyLoss())
                .optimizer(new Adam(model.parameters(), 0.05f)).epochs(epochs).batchSize(32).seed(7);
    }

    static Map<String, Tensor> snapshot(Module m) {
        Map<String, Tensor> s = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> s.put(k, v.copy()));
        return s;
    }

    @Test
    void fit_smallProblem_reachesTheThreshold_withValidationMetrics() throws IOException {
        Sequential model = mlp(1);
        History h = trainer(model, 20).build().fit(blobs(300, 1), blobs(90, 2));
        assertEquals(20, h.epochs().size());
        assertEquals(List.of("loss", "accuracy", "lr", "val_loss", "val_accuracy"), List.copyOf(h.epochs().get(0).keySet()));
        double[] loss = h.metric("loss");
        assertTrue(loss[19] < 0.15 && loss[19] < loss[0] / 4, "final loss " + loss[19] + ", first " + loss[0]);
        assertTrue(h.metric("val_accuracy")[19] > 0.95);
        assertEquals("completed", h.stopReason());
        String csv = h.toCsv();
        assertTrue(csv.startsWith("epoch,loss,accuracy,lr,val_loss,val_accuracy\n0,"), csv);
        assertEquals(21, csv.split("\n").length);
        assertTrue(h.toJson().startsWith("{\"stopReason\":\"completed\",\"epochs\":[{\"loss\":"), h.toJson());
        Path file = dir.resolve("history.csv");
        h.writeCsv(file);
        assertEquals(csv, Files.readString(file));
    }

    @Test
    void progress_withoutATerminal_logsOneLinePerEpoch() {
        assertFalse(ProgressBar.isTerminal(), "tests run with output redirected");
        CapturedLogs.clear();
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        History h = trainer(mlp(1), 3).callbacks(new ProgressBar(new PrintStream(bar, true, StandardCharsets.UTF_8)))
                .build().fit(blobs(90, 1), blobs(30, 2));
        assertEquals(0, bar.size(), "no bar off a terminal");
        List<String> lines = CapturedLogs.lines().stream().filter(l -> l.contains(" epoch ")).toList();
        assertEquals(3, lines.size(), CapturedLogs.lines().toString());
        for (int e = 0; e < 3; e++) {
            String expected = String.format(Locale.ROOT, "INFO dev.nn.optim.train.Trainer: epoch %d/3: loss %.4g accuracy"
                    + " %.4g lr %.4g val_loss %.4g val_accuracy %.4g, ", e + 1, h.metric("loss")[e],
                    h.metric("accuracy")[e], h.metric("lr")[e], h.metric("val_loss")[e], h.metric("val_accuracy")[e]);
            assertTrue(lines.get(e).startsWith(expected), lines.get(e) + "\nexpected to start with\n" + expected);
            assertTrue(lines.get(e).matches(".*, \\d+ samples/s, \\d+\\.\\d s"), lines.get(e));
        }
        CapturedLogs.clear();
        trainer(mlp(1), 2).build().fit(blobs(90, 1));
        assertEquals(1, CapturedLogs.lines().size(), "without a progress bar only the end is logged: "
                + CapturedLogs.lines());
        assertTrue(CapturedLogs.lines().get(0).matches("INFO dev.nn.optim.train.Trainer: fit: completed 2 epochs \\(6"
                + " steps\\) in \\d+\\.\\d s"), CapturedLogs.lines().get(0));
    }

    @Test
    void sameSeedSameData_bitIdenticalWeights() {
        Sequential a = mlp(3);
        Sequential b = mlp(3);
        trainer(a, 3).build().fit(blobs(100, 4));
        trainer(b, 3).build().fit(blobs(100, 4));
        assertEquals(a.stateDict(), b.stateDict());
    }

    /** Child JVM entry: trains a model big enough for GEMM to use the pool and prints a weight fingerprint. */
    public static void main(String[] args) {
        Generator g = new Generator(5);
        Sequential model = new Sequential(new Linear(64, 256, true, g), new ReLU(), new Linear(256, 256, true, g),
                new ReLU(), new Linear(256, 10, true, g));
        float[] x = Tensor.randn(g, 512, 64).toArray();
        float[] y = new float[512];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 10;
        }
        Dataset d = new Dataset(Tensor.of(x, 512, 64), Tensor.of(y, 512));
        Trainer.builder().model(model).loss(new CrossEntropyLoss()).optimizer(new Adam(model.parameters(), 1e-3f))
                .epochs(2).batchSize(128).seed(1).build().fit(d);
        System.out.println(model.stateDict().hashCode());
    }

    @Test
    void anyThreadCount_bitIdenticalWeights() throws Exception {
        List<String> prints = new ArrayList<>();
        for (String threads : new String[] {"1", "2", "3"}) {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Dnn.threads=" + threads));
            if (System.getProperty("nn.kernels") != null) {
                cmd.add("-Dnn.kernels=" + System.getProperty("nn.kernels"));
            }
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainerTest.class.getName()));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "child JVM failed: " + cmd);
            prints.add(out);
        }
        assertEquals(prints.get(0), prints.get(1));
        assertEquals(prints.get(0), prints.get(2));
    }

    @Test
    void earlyStopping_stopsAndRestoresTheBestWeights() {
        Sequential model = mlp(2);
        Dataset train = blobs(150, 5);
        Dataset flipped = new Dataset(blobs(60, 6).features(), blobs(60, 6).targets().add(Tensor.scalar(1f))
                .sub(Tensor.scalar(3f)).abs());      // labels 0, 1, 2 become 2, 1, 0: fitting makes val_loss rise
        List<Map<String, Tensor>> perEpoch = new ArrayList<>();
        EarlyStopping stopping = new EarlyStopping("val_loss", 2, 0f, true);
        TrainingListener recorder = TrainingListener.onEpochEnd((e, m) -> perEpoch.add(snapshot(model)));
        CapturedLogs.clear();
        History h = trainer(model, 30).callbacks(recorder, stopping).build().fit(train, flipped);
        assertTrue(h.epochs().size() < 30, "did not stop");
        assertTrue(h.stopReason().startsWith("early stopping at epoch "), h.stopReason());
        assertEquals(List.of("INFO dev.nn.optim.train.Trainer: fit: stopped: " + h.stopReason()), CapturedLogs.lines());
        int best = stopping.bestEpoch();
        double[] val = h.metric("val_loss");
        for (double v : val) {
            assertTrue(v >= val[best]);
        }
        assertEquals(perEpoch.get(best), model.stateDict());
    }

    @Test
    void steps_writeEachGradientIntoTheSameTensor() {
        Sequential model = mlp(4);
        List<Tensor> seen = new ArrayList<>();
        TrainingListener watch = new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, long step, double loss) {
                seen.add(model.parameters().get(0).grad());
            }
        };
        trainer(model, 2).callbacks(watch).build().fit(blobs(96, 8));
        assertEquals(6, seen.size());
        for (Tensor g : seen) {
            assertSame(seen.get(0), g, "zeroGrad(false): no new gradient tensor per step");
        }
    }

    @Test
    void nanLoss_stopsNamingEpochStepAndBatch_parametersFromBeforeThatStep() {
        Dataset good = blobs(64, 8);
        float[] x = good.features().toArray();
        x[2 * 40] = Float.NaN;                      // one bad sample
        Dataset bad = new Dataset(Tensor.of(x, 64, 2), good.targets());
        Sequential model = mlp(4);
        List<Map<String, Tensor>> last = new ArrayList<>(List.of(snapshot(model)));
        TrainingListener keep = new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, long step, double loss) {
                last.set(0, snapshot(model));
            }
        };
        CapturedLogs.clear();
        History h = trainer(model, 3).callbacks(keep).build().fit(bad);
        assertTrue(h.stopReason().matches("loss is NaN at epoch 0, step \\d \\(batch \\d of 2\\); parameters are from"
                + " before this step"), h.stopReason());
        assertEquals(List.of("WARN dev.nn.optim.train.Trainer: fit: stopped: " + h.stopReason()), CapturedLogs.lines());
        assertEquals(last.get(0), model.stateDict());
        assertEquals(0, h.epochs().size());
    }

    @Test
    void resume_logsWhereItResumed_andAFinishedCheckpointSaysNothingIsLeft() {
        Path cp = dir.resolve("resume-log");
        trainer(mlp(6), 2).checkpoints(cp, 0).build().fit(blobs(60, 10));
        CapturedLogs.clear();
        trainer(mlp(6), 3).checkpoints(cp, 0).build().fit(blobs(60, 10));
        List<String> lines = CapturedLogs.lines();
        assertEquals("INFO dev.nn.optim.train.Trainer: fit: resumed from checkpoint " + cp.resolve("step-000000000004")
                + " at epoch 2, step 4",
                lines.get(0));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("INFO dev.nn.optim.train.Trainer: fit: completed 3 epochs (6 steps)"),
                lines.get(1));
        CapturedLogs.clear();
        History h = trainer(mlp(6), 3).checkpoints(cp, 0).build().fit(blobs(60, 10));
        assertEquals(3, h.epochs().size());
        assertEquals("WARN dev.nn.optim.train.Trainer: fit: checkpoint " + cp.resolve("step-000000000006") + " is at epoch 3 of 3: nothing"
                + " left to train, the model holds its weights (use another directory to train anew)",
                CapturedLogs.lines().get(0));
    }

    @Test
    void twoBackends_oneAndTwoThreads_trainTheSameWeights_andCloseLeavingNoThreads() {
        Generator g = new Generator(5);
        Dataset d = new Dataset(Tensor.randn(g, 512, 64), Tensor.of(new float[512], 512));
        Map<String, Tensor> first = null;
        for (int threads : new int[] {1, 2}) {
            Generator w = new Generator(6);
            Sequential model = new Sequential(new Linear(64, 256, true, w), new ReLU(), new Linear(256, 10, true, w));
            try (Backend backend = Backend.builder().threads(threads).build()) {
                Trainer t = Trainer.builder().model(model).loss(new CrossEntropyLoss()).backend(backend)
                        .optimizer(new Adam(model.parameters(), 1e-3f)).epochs(2).batchSize(128).seed(1).build();
                t.fit(d);
                assertEquals(t.predict(d.features()).toArray().length, 512 * 10);
            }
            if (first == null) {
                first = model.stateDict();
            } else {
                assertEquals(first, model.stateDict());
            }
        }
        List<String> left = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("nn-backend-")).toList();
        assertEquals(List.of(), left);
    }

    @Test
    void nonFiniteGradientNorm_withClipping_stopsBeforeTheStep() {
        // √z at z = 0: the loss is finite (1) but the local gradient is infinite.
        Linear layer = new Linear(2, 1, true, new Generator(19));
        layer.weight().value().copyInPlace(Tensor.zeros(1, 2));
        layer.bias().value().copyInPlace(Tensor.zeros(1));
        Sequential model = new Sequential(layer, dev.nn.layers.Activation.of("sqrt", x -> x.sqrt()));
        Map<String, Tensor> before = snapshot(model);
        History h = Trainer.builder().model(model).loss(new MSELoss()).optimizer(new SGD(model.parameters(), 0.1f))
                .clipGradNorm(1f).batchSize(4).build()
                .fit(new Dataset(Tensor.ones(4, 2), Tensor.ones(4, 1)));
        assertEquals("gradient norm is Infinity at epoch 0, step 1 (batch 1 of 1); parameters are from before this"
                + " step", h.stopReason());
        assertEquals(before, model.stateDict());
    }

    @Test
    void interrupt_endsAtAStepBoundary() {
        Sequential model = mlp(5);
        TrainingListener interrupter = new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, long step, double loss) {
                if (step == 3) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        History h = trainer(model, 5).callbacks(interrupter).build().fit(blobs(200, 9));
        assertTrue(Thread.interrupted());
        assertEquals("interrupted at epoch 0, step 3", h.stopReason());
    }

    @Test
    void evaluate_confusionPrecisionRecallF1_andPredict() {
        Tensor logits = Tensor.of(new float[] {5, 1, 0, 0, 5, 1, 5, 1, 0, 0, 1, 5}, 4, 3);
        Tensor labels = Tensor.of(new float[] {0, 1, 1, 2}, 4);
        Trainer t = Trainer.builder().model(new Identity()).loss(new CrossEntropyLoss())
                .optimizer(new SGD(List.of(new dev.nn.autograd.Parameter(Tensor.ones(1))), 0.1f)).topK(2)
                .build();
        Evaluation e = t.evaluate(new Dataset(logits, labels));
        assertEquals(0.75, e.accuracy());
        assertEquals(1.0, e.topKAccuracy());
        assertArrayEquals(new long[] {1, 0, 0}, e.confusion()[0]);
        assertArrayEquals(new long[] {1, 1, 0}, e.confusion()[1]);
        assertArrayEquals(new double[] {0.5, 1, 1}, e.precision());
        assertArrayEquals(new double[] {1, 0.5, 1}, e.recall());
        assertArrayEquals(new double[] {2.0 / 3, 2.0 / 3, 1}, e.f1(), 1e-12);
        assertEquals(logits, t.predict(logits));
    }

    @Test
    void badInput_clearErrors_nothingTrained() {
        Sequential model = mlp(6);
        Map<String, Tensor> before = snapshot(model);
        Dataset d = blobs(30, 10);
        Dataset badLabels = new Dataset(d.features(), d.targets().add(Tensor.scalar(1f)));   // a label 3 for 3 classes
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> trainer(model, 1).build().fit(badLabels));
        assertTrue(e.getMessage().startsWith("CrossEntropyLoss: label 3 at position "), e.getMessage());
        assertEquals(before, model.stateDict());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> trainer(model, 1).build().fit(new Dataset(Tensor.zeros(0, 2), Tensor.zeros(0))));
        assertEquals("fit: the training set is empty", empty.getMessage());
        IllegalArgumentException epochs = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().epochs(0));
        assertEquals("epochs must be > 0, got 0", epochs.getMessage());
    }

    @Test
    void checkpointsAndCsvLog_writtenEachEpoch_unwritableDirectoryRejected() throws IOException {
        Sequential model = mlp(7);
        Path ckpt = dir.resolve("ckpt");
        Path log = dir.resolve("log.csv");
        trainer(model, 3).callbacks(new ModelCheckpoint(ckpt, "loss", 1), new CsvLogger(log),
                new ModelCheckpoint(dir.resolve("best"), "val_accuracy", 0)).build().fit(blobs(90, 11), blobs(30, 12));
        for (int e = 0; e < 3; e++) {
            assertTrue(Files.exists(ckpt.resolve(String.format("epoch-%03d.safetensors", e))));
        }
        Sequential reloaded = mlp(99);
        reloaded.load(ckpt.resolve("epoch-002.safetensors"));
        assertEquals(model.stateDict(), reloaded.stateDict());
        assertTrue(Files.exists(dir.resolve("best").resolve("best.safetensors")));
        assertEquals(4, Files.readAllLines(log).size());
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        Exception ex = assertThrows(RuntimeException.class, () -> trainer(mlp(8), 1)
                .callbacks(new ModelCheckpoint(file.resolve("sub"))).build().fit(blobs(30, 13)));
        assertTrue(ex.getMessage().startsWith("ModelCheckpoint: cannot create "), ex.getMessage());
    }

    @Test
    void plateauStepper_lowersTheRateWhenTheMonitoredMetricStalls() {
        Sequential model = mlp(9);
        SGD sgd = new SGD(model.parameters(), 0.1f);
        var plateau = new dev.nn.optim.ReduceLROnPlateau(sgd, dev.nn.optim.ReduceLROnPlateau.Options.defaults()
                .patience(0).factor(0.5f));
        History h = Trainer.builder().model(model).loss(new CrossEntropyLoss()).optimizer(sgd).epochs(4).batchSize(32)
                .callbacks(new PlateauStepper(plateau, "val_loss")).build()
                .fit(blobs(60, 15), new Dataset(blobs(30, 16).features(), Tensor.zeros(30)));   // val labels all 0
        double[] lr = h.metric("lr");
        assertEquals(0.1, lr[0], 1e-7);
        assertTrue(lr[3] < lr[0], "lr never lowered: " + java.util.Arrays.toString(lr));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Trainer.builder().model(model)
                .loss(new CrossEntropyLoss()).optimizer(sgd)
                .callbacks(new PlateauStepper(plateau, "val_loss")).build().fit(blobs(30, 17)));
        assertEquals("PlateauStepper: metric \"val_loss\" is not reported; the epoch has [loss, accuracy, lr]",
                e.getMessage());
    }

    @Test
    void progress_underTestsIsNotATerminal_andTrainingRunsWithItOn() {
        assertEquals(false, ProgressBar.isTerminal());      // surefire pipes the output
        Sequential model = mlp(10);
        History h = Trainer.builder().model(model).loss(new CrossEntropyLoss())
                .optimizer(new Adam(model.parameters(), 0.01f)).epochs(2).batchSize(16).build().fit(blobs(48, 18));
        assertEquals(2, h.epochs().size());
    }

    @Test
    void regression_withoutClassificationMetrics() {
        Generator g = new Generator(14);
        Tensor x = Tensor.rand(g, 200, 1);
        Tensor y = x.mul(Tensor.scalar(3f)).add(Tensor.scalar(1f));
        Sequential model = new Sequential(new Linear(1, 1, true, g));
        History h = Trainer.builder().model(model).loss(new MSELoss()).optimizer(new SGD(model.parameters(), 0.5f))
                .epochs(40).batchSize(20).build().fit(new Dataset(x, y));
        assertEquals(List.of("loss", "lr"), List.copyOf(h.epochs().get(0).keySet()));
        assertTrue(h.metric("loss")[39] < 1e-4, "final loss " + h.metric("loss")[39]);
    }
}
