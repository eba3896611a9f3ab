package dev.nn.examples;

import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.KernelProvider;
import dev.nn.core.kernel.Parallel;

/**
 * A tour of nn-core: tensors, broadcasting, reductions, a stable softmax, and a timed SGEMM
 * at the lecture's layer shape. Run it with the README's first command.
 */
public final class CoreTour {

    private CoreTour() {
    }

    /** Prints the tour to standard output. */
    public static void main(String[] args) {
        System.out.println("nn-core on Java " + Runtime.version().feature() + ": kernels "
                + KernelProvider.kernels().name() + ", " + Parallel.shared().threads() + " threads");

        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor bias = Tensor.of(new float[] {0.5f, -1f, 2f}, 3);
        System.out.println("\nx =\n" + x);
        System.out.println("x + bias (broadcast [2, 3] + [3]) =\n" + x.add(bias));
        System.out.println("sum over rows = " + x.sum(0, false) + ", max of each row = " + x.max(1, false));

        Tensor logits = Tensor.of(new float[] {1e4f, -1e4f, 0f, 2f, 1f, 0.1f}, 2, 3);
        System.out.println("\nsoftmax of logits with ±1e4 stays finite:\n" + logits.softmax());

        // The lecture's layer: a batch of 64 inputs of 1000 features times a 1000×100 weight.
        Generator g = new Generator(42);
        Tensor in = Tensor.randn(g, 64, 1000);
        Tensor w = Tensor.randn(g, 1000, 100);
        Tensor out = in.matmul(w);
        for (int i = 0; i < 300; i++) {   // let the JIT compile the kernels before timing
            out = in.matmul(w);
        }
        int iterations = 300;
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            out = in.matmul(w);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double gflops = 2.0 * 64 * 1000 * 100 * iterations / seconds / 1e9;
        System.out.printf("%n[64, 1000]·[1000, 100] -> %s in %.0f µs: %.1f GFLOP/s (nn-bench measures properly)%n",
                out.shape(), seconds / iterations * 1e6, gflops);
        System.out.println("largest output of each of the first 4 samples: " + out.rows(0, 4).max(1, false));
    }
}
