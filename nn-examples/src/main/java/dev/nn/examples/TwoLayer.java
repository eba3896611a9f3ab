package dev.nn.examples;

import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Linear;
import dev.nn.layers.Sequential;
import dev.nn.layers.Sigmoid;
import dev.nn.layers.loss.MSELoss;
import dev.nn.layers.loss.Reduction;
import dev.nn.optim.SGD;
import dev.nn.optim.data.Dataset;
import dev.nn.optim.train.History;
import dev.nn.optim.train.Trainer;
import dev.nn.optim.train.TrainingListener;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The lecture's 20-line two-layer network (N, D_in, H, D_out = 64, 1000, 100, 10; sigmoid hidden
 * layer; squared error; learning rate 1e-4), written twice: with nn-core's kernels, line for line as
 * the NumPy code (its w2 update corrected to use grad_w2), and as a Module trained by Trainer.
 */
@Command(name = "two-layer", mixinStandardHelpOptions = true,
        description = "The lecture's two-layer network, written with nn-core kernels like the NumPy code, then with"
                + " Module and Trainer.")
final class TwoLayer implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    static final int N = 64;
    static final int D_IN = 1000;
    static final int H = 100;
    static final int D_OUT = 10;
    static final float LR = 1e-4f;

    @Option(names = "--steps", description = "Training steps for each version (default: ${DEFAULT-VALUE}).")
    int steps = 2000;

    @Option(names = "--every", description = "Print the loss every this many steps (default: ${DEFAULT-VALUE}).")
    int every = 200;

    @Option(names = "--seed", description = "Seed of the data and the weights (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    /** The losses after each step, of both versions. */
    record Result(double[] kernels, double[] module) {
    }

    @Override
    public Integer call() {
        Args.positive(spec, "--steps", steps);
        Args.positive(spec, "--every", every);
        Result r = run();
        System.out.printf(Locale.ROOT, "final loss: kernels %.4f, Module/Trainer %.4f%n", r.kernels()[steps - 1],
                r.module()[steps - 1]);
        return 0;
    }

    Result run() {
        Generator g = new Generator(seed);
        Tensor x = Tensor.randn(g, N, D_IN);
        Tensor y = Tensor.randn(g, N, D_OUT);
        Tensor w1Init = Tensor.randn(g, D_IN, H);
        Tensor w2Init = Tensor.randn(g, H, D_OUT);

        System.out.println("1. nn-core kernels, as the NumPy code:");
        Tensor w1 = w1Init.copy();
        Tensor w2 = w2Init.copy();
        Tensor one = Tensor.scalar(1f);
        Tensor two = Tensor.scalar(2f);
        double[] kernels = new double[steps];
        for (int t = 0; t < steps; t++) {
            Tensor h = x.matmul(w1).sigmoid();                         // h = 1/(1 + exp(-x.dot(w1)))
            Tensor yPred = h.matmul(w2);                               // y_pred = h.dot(w2)
            Tensor diff = yPred.sub(y);
            kernels[t] = diff.square().sum().item();                   // loss = square(y_pred - y).sum()
            print(t, kernels[t]);
            Tensor gradYPred = diff.mul(two);                          // grad_y_pred = 2.0 * (y_pred - y)
            Tensor gradW2 = Tensor.matmul(h, true, gradYPred, false);  // grad_w2 = h.T.dot(grad_y_pred)
            Tensor gradH = Tensor.matmul(gradYPred, false, w2, true);  // grad_h = grad_y_pred.dot(w2.T)
            Tensor gradW1 = Tensor.matmul(x, true, gradH.mul(h).mul(one.sub(h)), false);
            w1.addInPlace(gradW1, -LR);                                // w1 -= 1e-4 * grad_w1
            w2.addInPlace(gradW2, -LR);                                // w2 -= 1e-4 * grad_w2
        }

        System.out.println("2. Sequential(Linear, Sigmoid, Linear) trained by Trainer:");
        Linear first = new Linear(D_IN, H, false, g);
        Linear second = new Linear(H, D_OUT, false, g);
        first.weight().value().copyInPlace(w1Init.transpose());         // Linear keeps [out, in]
        second.weight().value().copyInPlace(w2Init.transpose());
        Sequential model = new Sequential(first, new Sigmoid(), second);
        double[] module = new double[steps];
        TrainingListener log = new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, long step, double loss) {
                module[(int) step - 1] = loss;
                print((int) step - 1, loss);
            }
        };
        History h = Trainer.builder().model(model).loss(new MSELoss(Reduction.SUM))
                .optimizer(new SGD(model.parameters(), LR)).epochs(steps).batchSize(N).seed(seed)
                .callbacks(log).build().fit(new Dataset(x, y));
        if (!h.stopReason().equals("completed")) {
            System.out.println("training stopped: " + h.stopReason());
        }
        return new Result(kernels, module);
    }

    private void print(int t, double loss) {
        if (t % every == 0 || t == steps - 1) {
            System.out.printf(Locale.ROOT, "   step %4d  loss %.4f%n", t, loss);
        }
    }
}
