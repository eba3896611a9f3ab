package dev.nn.examples;

import dev.nn.autograd.GraphExport;
import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The lecture's computational graphs: each printed with the forward value and the gradient at
 * every node, and written as Graphviz DOT (and SVG and PNG when {@code dot} is on the PATH).
 */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Print CS231n's computational graphs with values and gradients; write them as DOT/SVG/PNG.")
final class Graph implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", description = "Directory for the drawings (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("nn-output", "graph");

    /** The files written, for the smoke test. */
    final List<Path> written = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Args.outputDirectory(spec, "--out", out);
        Files.createDirectories(out);
        boolean dot = dotAvailable();

        var x = Variable.scalar(-2).requiresGrad().named("x");
        var y = Variable.scalar(5).requiresGrad().named("y");
        var z = Variable.scalar(-4).requiresGrad().named("z");
        var q = x.add(y).named("q");
        var f = q.mul(z).named("f");
        f.backward();
        show("f = (x + y)·z", "add-mul", f, dot, x, y, z, q, f);

        var w0 = Variable.scalar(2).requiresGrad().named("w0");
        var x0 = Variable.scalar(-1).requiresGrad().named("x0");
        var w1 = Variable.scalar(-3).requiresGrad().named("w1");
        var x1 = Variable.scalar(-2).requiresGrad().named("x1");
        var w2 = Variable.scalar(-3).requiresGrad().named("w2");
        var dotp = w0.mul(x0).add(w1.mul(x1)).add(w2).named("w·x + b");
        var s = dotp.sigmoid().named("σ");
        s.backward();
        show("the sigmoid neuron σ(w0·x0 + w1·x1 + w2)", "sigmoid-neuron", s, dot, w0, x0, w1, x1, w2, dotp, s);

        var wm = Variable.of(new float[] {0.1f, 0.5f, -0.3f, 0.8f}, 2, 2).requiresGrad().named("W");
        var xv = Variable.of(new float[] {0.2f, 0.4f}, 2).requiresGrad().named("x");
        var wx = wm.matmul(xv).named("W·x");
        var norm = wx.square().sum().named("‖W·x‖²");
        norm.backward();
        show("f = ‖W·x‖²", "squared-norm", norm, dot, wm, xv, wx, norm);

        System.out.println("drawings written to " + out.toAbsolutePath()
                + (dot ? "" : " (DOT only: install Graphviz for SVG and PNG)"));
        return 0;
    }

    private void show(String title, String file, Variable result, boolean dot, Variable... nodes)
            throws IOException, InterruptedException {
        System.out.println(title);
        for (Variable v : nodes) {
            System.out.printf(Locale.ROOT, "  %-8s value %-28s gradient %s%n", v.name(), oneLine(v.value()),
                    v.grad() == null ? "-" : oneLine(v.grad()));
        }
        Path dotFile = out.resolve(file + ".dot");
        Files.writeString(dotFile, GraphExport.toDot(result));
        written.add(dotFile);
        if (dot) {
            for (String type : new String[] {"svg", "png"}) {
                Path target = out.resolve(file + "." + type);
                Process p = new ProcessBuilder("dot", "-T" + type, dotFile.toString(), "-o", target.toString())
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    written.add(target);
                }
            }
        }
        System.out.println();
    }

    private static String oneLine(Tensor t) {
        return t.toString().replaceAll("\\s*\n\\s*", " ");
    }

    static boolean dotAvailable() {
        try {
            Process p = new ProcessBuilder("dot", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
