package dev.nn.optim.train;

import dev.nn.core.Tensor;
import java.util.Map;

/** Accumulates loss and classification counts over batches. */
final class RunningMetrics {

    private final int k;
    private double lossSum;
    private long samples;
    private long correct;
    private long topKCorrect;
    private long counted;
    private Boolean classification;
    private long[][] confusion;

    RunningMetrics(int k) {
        this.k = k;
    }

    void add(Tensor out, Tensor targets, double batchLoss) {
        int n = targets.shape().dim(0);
        lossSum += batchLoss * n;
        samples += n;
        boolean fits = out.rank() == 2 && targets.rank() == 1;
        classification = (classification == null || classification) && fits;
        if (!classification) {
            return;
        }
        int classes = out.shape().dim(1);
        if (confusion == null) {
            confusion = new long[classes][classes];
        }
        float[] o = out.toArray();
        float[] t = targets.toArray();
        for (int i = 0; i < n; i++) {
            int label = (int) t[i];
            if (label < 0 || label >= classes) {
                continue;                       // an ignored index: not counted
            }
            int best = 0;
            int above = 0;
            for (int c = 0; c < classes; c++) {
                float v = o[i * classes + c];
                if (v > o[i * classes + best]) {
                    best = c;
                }
                if (v > o[i * classes + label]) {
                    above++;
                }
            }
            confusion[label][best]++;
            counted++;
            correct += best == label ? 1 : 0;
            topKCorrect += above < k ? 1 : 0;
        }
    }

    boolean classification() {
        return Boolean.TRUE.equals(classification) && counted > 0;
    }

    double loss() {
        return lossSum / samples;
    }

    double accuracy() {
        return (double) correct / counted;
    }

    Evaluation evaluation() {
        if (!classification()) {
            return new Evaluation((int) samples, loss(), Double.NaN, k, Double.NaN, null);
        }
        return new Evaluation((int) samples, loss(), accuracy(), k, (double) topKCorrect / counted, confusion);
    }

    String toJson() {
        return "{\"lossSum\":" + lossSum + ",\"samples\":" + samples + ",\"correct\":" + correct
                + ",\"counted\":" + counted + ",\"classification\":" + classification + "}";
    }

    static RunningMetrics fromJson(Map<?, ?> m, int k) {
        RunningMetrics r = new RunningMetrics(k);
        r.lossSum = ((Number) m.get("lossSum")).doubleValue();
        r.samples = ((Number) m.get("samples")).longValue();
        r.correct = ((Number) m.get("correct")).longValue();
        r.counted = ((Number) m.get("counted")).longValue();
        r.classification = (Boolean) m.get("classification");
        return r;
    }
}
