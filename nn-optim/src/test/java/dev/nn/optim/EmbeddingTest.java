package dev.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nn as an application meets it: on the module path, and on a class path with no SLF4J provider. */
class EmbeddingTest {

    @TempDir
    Path dir;

    /** The class-path entries of nn's library modules and slf4j-api (no provider, no test classes). */
    private static List<String> libraries() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.matches(".*nn-(core|autograd|layers|optim)([/\\\\]target[/\\\\]classes|-[^/\\\\]*\\.jar)")
                        || e.matches(".*slf4j-api-[^/\\\\]*\\.jar"))
                .collect(Collectors.toList());
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Runs {@code cmd}; returns its standard output and error, failing if it does not exit with 0. */
    private static String[] run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
        String[] both = {new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8)};
        assertEquals(0, p.exitValue(), "failed: " + cmd + "\nstdout:\n" + both[0] + "\nstderr:\n" + both[1]);
        return both;
    }

    @Test
    void modulePath_withoutAddModules_runsTheSimdKernels() throws Exception {
        List<String> libraries = libraries();
        assertEquals(5, libraries.size(), "nn's four modules and slf4j-api: " + libraries);
        Path src = Files.createDirectories(dir.resolve("src/app"));
        Files.writeString(dir.resolve("src/module-info.java"), "module app { requires dev.nn.optim; }\n");
        Files.writeString(src.resolve("Main.java"), String.join("\n",
                "package app;",
                "import dev.nn.core.Backend;",
                "import dev.nn.core.Tensor;",
                "import dev.nn.layers.Linear;",
                "import dev.nn.layers.ReLU;",
                "import dev.nn.layers.Sequential;",
                "import dev.nn.layers.loss.CrossEntropyLoss;",
                "import dev.nn.optim.Adam;",
                "import dev.nn.optim.data.Dataset;",
                "import dev.nn.optim.train.Trainer;",
                "public class Main {",
                "    public static void main(String[] args) {",
                "        var model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));",
                "        var data = new Dataset(Tensor.ones(6, 4), Tensor.of(new float[] {0, 1, 2, 0, 1, 2}, 6));",
                "        var h = Trainer.builder().model(model).loss(new CrossEntropyLoss())",
                "                .optimizer(new Adam(model.parameters(), 0.01f)).epochs(2).batchSize(3).build().fit(data);",
                "        System.out.println(Main.class.getModule().getName() + \" \" + Backend.current().vectorized()",
                "                + \" \" + h.epochs().size());",
                "    }",
                "}", ""));
        String modulePath = String.join(File.pathSeparator, libraries);
        Path classes = dir.resolve("classes");
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(), "--module-path", modulePath,
                "-d", classes.toString(), dir.resolve("src/module-info.java").toString(),
                src.resolve("Main.java").toString()));
        List<String> cmd = new ArrayList<>(List.of(java(), "--module-path",
                modulePath + File.pathSeparator + classes, "-m", "app/app.Main"));
        String[] result = run(cmd);
        assertEquals("app true 2", result[0].trim(), result[1]);
        assertTrue(!result[1].contains("nn runs its scalar kernels"), result[1]);
    }

    @Test
    void classPath_withoutTheVectorModuleOrAProvider_warnsOnceOnStandardError() throws Exception {
        Path program = dir.resolve("Program.java");
        Files.writeString(program, "public class Program { public static void main(String[] a) {"
                + " for (int i = 0; i < 3; i++) { dev.nn.core.Tensor.ones(3).exp(); }"
                + " dev.nn.core.Backend.builder().threads(1).build().close();"
                + " System.out.println(dev.nn.core.Backend.current().vectorized()); } }\n");
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", String.join(File.pathSeparator, libraries()),
                program.toString()));
        String[] result = run(cmd);
        assertEquals("false", result[0].trim(), result[1]);
        List<String> warnings = result[1].lines().filter(l -> l.contains("--add-modules jdk.incubator.vector"))
                .collect(Collectors.toList());
        assertEquals(List.of("WARNING: nn runs its scalar kernels, several times slower: the Vector API module is"
                + " absent; run java with --add-modules jdk.incubator.vector"), warnings, result[1]);
    }
}
