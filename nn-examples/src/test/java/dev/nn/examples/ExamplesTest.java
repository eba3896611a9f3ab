package dev.nn.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.core.Backend;
import dev.nn.layers.SiLU;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A smoke test per example at small size: the outcome asserted, the pictures decodable as PNG. */
class ExamplesTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static void assertPng(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " is not a decodable image");
        assertTrue(img.getWidth() > 100 && img.getHeight() > 100, file + " is too small");
    }

    @Test
    void spiral_networkSeparatesTheArms_linearCannot_picturesWritten() throws Exception {
        Spiral spiral = new Spiral();
        new CommandLine(spiral).parseArgs("--epochs", "120", "--out", dir.toString(), "--seed", "3");
        Spiral.Result r = spiral.run();
        assertTrue(r.networkAccuracy() > 0.97, "two-layer accuracy " + r.networkAccuracy());
        assertTrue(r.linearAccuracy() < 0.7, "linear accuracy " + r.linearAccuracy());
        for (String f : new String[] {"spiral-linear.png", "spiral-two-layer.png", "spiral-curves.png"}) {
            assertPng(dir.resolve(f));
        }
    }

    @Test
    void graph_printsTheLectureNumbers_andWritesDot() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Graph graph = new Graph();
        int status;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            status = new CommandLine(graph).execute("--out", dir.toString());
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, status);
        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("  f        value -12.                         gradient 1."), text);
        assertTrue(text.contains("  x        value -2.                          gradient -4."), text);
        String dot = Files.readString(dir.resolve("add-mul.dot"));
        assertTrue(dot.contains("q = 3") && dot.contains("color=\"red\">-4<"), dot);
        assertTrue(Files.exists(dir.resolve("sigmoid-neuron.dot")) && Files.exists(dir.resolve("squared-norm.dot")));
        if (Graph.dotAvailable()) {
            assertPng(dir.resolve("add-mul.png"));
            assertTrue(Files.readString(dir.resolve("add-mul.svg")).contains("<svg"));
        }
    }

    @Test
    void commandLine_helpListsTheCommands_unknownCommandFails() {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int help;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            help = Main.run("--help");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, help);
        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("spiral") && text.contains("graph"), text);
        PrintStream savedErr = System.err;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(2, Main.run("no-such-example"));
        } finally {
            System.setErr(savedErr);
        }
    }

    /** Runs the command line with standard error captured; returns the exit code and what was printed there. */
    private static Object[] runCapturingErr(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int code = new CommandLine(new Main()).setErr(new PrintWriter(err)).setOut(new PrintWriter(out)).execute(args);
        return new Object[] {code, err.toString()};
    }

    @Test
    void commandLine_everyBadValue_isAUsageErrorWithExitTwo_beforeAnyWork() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        String[][] cases = {
            {"--epochs must be at least 1, got 0", "spiral", "--epochs=0"},
            {"--epochs must be at least 1, got -3", "spiral", "--epochs=-3"},
            {"--points must be at least 1, got 0", "spiral", "--points=0"},
            {"--out " + file + " is a file, not a directory", "spiral", "--out", file.toString()},
            {"--out " + file + " is a file, not a directory", "regression", "--out", file.toString()},
            {"--out " + file + " is a file, not a directory", "graph", "--out", file.toString()},
            {"--out " + file.resolve("sub") + " is not a directory nn can write to (", "spiral", "--out",
                file.resolve("sub").toString()},
            {"--epochs must be at least 1, got 0", "regression", "--epochs", "0"},
            {"--steps must be at least 1, got 0", "two-layer", "--steps", "0"},
            {"--every must be at least 1, got -1", "two-layer", "--every", "-1"},
            {"--epochs must be at least 1, got 0", "custom-activation", "--epochs", "0"},
            {"--timing-seconds must be a number >= 0, got -1.0", "custom-activation", "--timing-seconds", "-1"},
            {"--epochs must be at least 1, got 0", "mnist", "--epochs", "0"},
            {"--target must be between 0 and 1, got 1.5", "mnist", "--target", "1.5"},
            {"--local-steps must be at least 1, got 0", "spark-mnist", "--data", ".", "--local-steps", "0"},
            {"Missing required option: '--data=<data>'", "spark-mnist"},
            {"Invalid value for option '--epochs': 'many' is not an int", "spiral", "--epochs", "many"},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            Object[] r = runCapturingErr(args);
            String err = (String) r[1];
            assertEquals(2, r[0], String.join(" ", args) + "\n" + err);
            assertTrue(err.startsWith(c[0]), String.join(" ", args) + " printed:\n" + err);
            assertTrue(err.contains("Usage: nn-examples " + c[1]), err);
        }
        assertTrue(Files.isRegularFile(file), "the file given as --out is left alone");
    }

    @Test
    void outputDirectory_thatCannotBeWritten_refusedBeforeTraining() throws IOException {
        Path readOnly = Files.createDirectories(dir.resolve("read-only"));
        assertTrue(readOnly.toFile().setWritable(false));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(readOnly), "running as a user who writes"
                    + " anywhere (root)");
            Object[] r = runCapturingErr("spiral", "--out", readOnly.toString());
            assertEquals(2, r[0]);
            assertTrue(((String) r[1]).startsWith("--out " + readOnly + " is not a directory nn can write to ("),
                    (String) r[1]);
        } finally {
            readOnly.toFile().setWritable(true);
        }
    }

    @Test
    void twoLayer_bothVersionsLearnAndAgree() {
        TwoLayer two = new TwoLayer();
        new CommandLine(two).parseArgs("--steps", "300", "--every", "100");
        PrintStream saved = System.out;
        TwoLayer.Result r;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            r = two.run();
        } finally {
            System.setOut(saved);
        }
        assertTrue(r.kernels()[299] < r.kernels()[0] / 2, "kernels: " + r.kernels()[0] + " -> " + r.kernels()[299]);
        for (int t = 0; t < 300; t += 50) {
            assertEquals(r.kernels()[t], r.module()[t], 1e-3 * r.kernels()[t], "step " + t);
        }
    }

    @Test
    void regression_fitsTheSine_picturesWritten() throws Exception {
        Regression reg = new Regression();
        new CommandLine(reg).parseArgs("--epochs", "150", "--out", dir.toString());
        Regression.Result r = reg.run();
        assertTrue(r.errorToSine() < 0.02, "distance to sin " + r.errorToSine());
        assertPng(dir.resolve("regression-fit.png"));
        assertPng(dir.resolve("regression-loss.png"));
    }

    @Test
    void customActivation_everyFormGradientCheckedTimedAndTrains() {
        CustomActivation c = new CustomActivation();
        new CommandLine(c).parseArgs("--timing-seconds", "0.05");
        CustomActivation.Result r = c.run();
        for (CustomActivation.Form f : r.forms()) {
            assertTrue(f.check().passed(), f.name() + ": " + f.check().summary());
            assertTrue(f.micros() > 0, f.name() + " was not timed");
        }
        List<String> names = r.forms().stream().map(CustomActivation.Form::name).toList();
        assertTrue(names.contains("learnable: swish-beta, x·σ(β·x)"), names.toString());
        assertEquals(Backend.defaultBackend().vectorized(), names.contains("... with FloatVector forms beside them"),
                names.toString());
        assertTrue(r.accuracy() > 0.95, "accuracy " + r.accuracy());
    }

    /** The example's swish, in every form, gives the built-in SiLU's bits forward and backward. */
    @Test
    void customActivation_everySwishForm_sameBitsAsTheBuiltIn() {
        List<dev.nn.layers.Module> forms = new java.util.ArrayList<>(List.of(CustomActivation.swish()));
        if (Backend.defaultBackend().vectorized()) {
            forms.add(CustomActivation.VectorForms.swish());
        }
        Variable expected = Variable.of(Tensor.randn(new Generator(3), 37, 29)).requiresGrad();
        Variable y = new SiLU().forward(expected);
        y.sum().backward();
        for (dev.nn.layers.Module form : forms) {
            Variable x = Variable.of(expected.value()).requiresGrad();
            Variable out = form.forward(x);
            out.sum().backward();
            assertArrayEquals(y.value().toArray(), out.value().toArray());
            assertArrayEquals(expected.grad().toArray(), x.grad().toArray());
        }
    }

    @Test
    void mnist_withoutData_explainsWhereToGetIt() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            status = new CommandLine(new Mnist()).execute("--data", dir.toString());
        } finally {
            System.setErr(saved);
        }
        assertEquals(2, status);
        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("mnist: needs the four MNIST files (raw or .gz) in one directory"), text);
        assertTrue(text.contains("train-images-idx3-ubyte[.gz]") && text.contains("not all were found in " + dir), text);
    }

    @Test
    void mnist_reaches98PercentOnTheTestSet_whenTheFilesArePresent() throws Exception {
        Path shared = Path.of("../../shared/datasets/mnist");
        if (!Files.isDirectory(shared)) {
            shared = Path.of("../shared/datasets/mnist");
        }
        Mnist mnist = new Mnist();
        new CommandLine(mnist).parseArgs("--data", shared.toString(), "--out", dir.toString());
        java.util.List<Path> files = mnist.locate();
        org.junit.jupiter.api.Assumptions.assumeTrue(files != null,
                "MNIST files not found at ../shared/datasets/mnist: the accuracy check is skipped");
        Mnist.Result r = mnist.run(files);
        assertTrue(r.testAccuracy() >= 0.98, "test accuracy " + r.testAccuracy());
        assertPng(dir.resolve("mnist-curves.png"));
        assertPng(dir.resolve("mnist-misclassified.png"));
        assertTrue(Files.exists(dir.resolve("checkpoints").resolve("best.safetensors")));
    }

    /** Runs Main in a new JVM with this one's class path minus Spark, Scala and Hadoop, as the examples' jar runs. */
    private static ProcessResult mainWithoutSpark(String... args) throws Exception {
        String path = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.contains("org/apache/spark") && !e.contains("org/scala-lang")
                        && !e.contains("org/apache/hadoop"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", path, "dev.nn.examples.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new ProcessResult(p.waitFor(), out);
    }

    record ProcessResult(int exit, String output) {
    }

    @Test
    void everyExample_startsWithoutSparkOnTheClassPath() throws Exception {
        // picocli reflects on every command's class when it builds the command line: a Spark type
        // in spark-mnist's methods made every example fail with NoClassDefFoundError in the jar.
        ProcessResult help = mainWithoutSpark("spiral", "--help");
        assertEquals(0, help.exit(), help.output());
        assertTrue(help.output().contains("Usage: nn-examples spiral"), help.output());
        ProcessResult spark = mainWithoutSpark("spark-mnist", "--data", dir.toString());
        assertEquals(2, spark.exit(), spark.output());
        assertTrue(spark.output().contains("spark-mnist: Spark is not on the class path; run it with spark-submit"),
                spark.output());
    }

    @Test
    void sparkMnist_onASubset_learnsOnSparkAndBesideIt_whenTheFilesArePresent() throws Exception {
        Path shared = Path.of("../../shared/datasets/mnist");
        if (!Files.isDirectory(shared)) {
            shared = Path.of("../shared/datasets/mnist");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(shared.resolve("train-images-idx3-ubyte.gz")),
                "MNIST files not found at ../shared/datasets/mnist: the Spark example is not run");
        SparkMnist example = new SparkMnist();
        Path checkpoints = dir.resolve("checkpoints");
        new CommandLine(example).parseArgs("--data", shared.toString(), "--master", "local[2]", "--limit", "6000",
                "--epochs", "2", "--batch-size", "256", "--checkpoints", checkpoints.toString());
        SparkMnist.Result r = example.run();
        assertEquals(2, r.partitions());
        assertEquals("step-000000000048", Files.readString(checkpoints.resolve("latest")), "24 steps an epoch");
        assertTrue(r.sparkAccuracy() > 0.85, "Spark: test accuracy " + r.sparkAccuracy());
        assertTrue(r.trainerAccuracy() > 0.85, "Trainer: test accuracy " + r.trainerAccuracy());
    }
}
