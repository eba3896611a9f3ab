package dev.nn.optim.train;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows training progress: where the JVM runs on a terminal, a live bar per epoch (loss,
 * accuracy, samples/s, ETA) written to the stream the application gives; otherwise one INFO line
 * per epoch through slf4j. The Trainer shows nothing unless the application adds one:
 *
 * <pre>{@code
 * Trainer.builder()....callbacks(new ProgressBar(System.err)).build();
 * }</pre>
 */
public final class ProgressBar implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final int WIDTH = 30;

    private final boolean terminal = isTerminal();
    private final PrintStream out;
    private Trainer trainer;
    private long epochStart;
    private double lossSum;
    private int seen;

    /** Creates a progress display that draws its bar on {@code out} (standard error, for example). */
    public ProgressBar(PrintStream out) {
        this.out = java.util.Objects.requireNonNull(out, "ProgressBar: out is required");
    }

    /**
     * Returns whether standard output is an interactive terminal. From JDK 22 {@code System.console()}
     * exists even when output is redirected, and {@code Console.isTerminal()} (looked up reflectively,
     * since release 17 lacks it) tells the two apart.
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;                    // before JDK 22 a console exists only on a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    @Override
    public void onTrainBegin(Trainer t) {
        trainer = t;
    }

    @Override
    public void onEpochBegin(int epoch) {
        epochStart = System.nanoTime();
        lossSum = 0;
        seen = 0;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, long step, double loss) {
        lossSum += loss;
        seen++;
        if (!terminal) {
            return;
        }
        int total = trainer.batchesPerEpoch();
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        double rate = seen * (double) trainer.batchSize() / seconds;
        double eta = seconds / seen * (total - seen);
        int filled = (int) ((long) WIDTH * (batch + 1) / total);
        out.printf(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d loss %.4f  %.0f samples/s  ETA %.0fs ", epoch + 1,
                trainer.epochs(), "=".repeat(filled), " ".repeat(WIDTH - filled), batch + 1, total, lossSum / seen,
                rate, eta);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> metrics) {
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d:", epoch + 1, trainer.epochs()));
        metrics.forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s %.4g", k, v)));
        s.append(String.format(Locale.ROOT, ", %.0f samples/s, %.1f s", seen * (double) trainer.batchSize() / seconds,
                seconds));
        if (terminal) {
            out.print("\r" + s + " ".repeat(20) + "\n");
        } else {
            LOG.info("{}", s);
        }
    }
}
