package dev.nn.optim.train;

/**
 * The result of {@link Trainer#evaluate}: the mean loss over the samples and, for classification
 * (outputs {@code [n, classes]}, targets class indices {@code [n]}), accuracy, top-k accuracy and
 * the confusion matrix ({@code confusion[true][predicted]}), from which per-class precision,
 * recall and F1 follow. Classification fields are NaN or null for other problems.
 */
public record Evaluation(int samples, double loss, double accuracy, int k, double topKAccuracy, long[][] confusion) {

    /** Returns each class's precision: correct predictions of it over all predictions of it (NaN if none). */
    public double[] precision() {
        double[] p = new double[confusion.length];
        for (int c = 0; c < p.length; c++) {
            long predicted = 0;
            for (long[] row : confusion) {
                predicted += row[c];
            }
            p[c] = predicted == 0 ? Double.NaN : (double) confusion[c][c] / predicted;
        }
        return p;
    }

    /** Returns each class's recall: correct predictions of it over its samples (NaN if none). */
    public double[] recall() {
        double[] r = new double[confusion.length];
        for (int c = 0; c < r.length; c++) {
            long actual = 0;
            for (long v : confusion[c]) {
                actual += v;
            }
            r[c] = actual == 0 ? Double.NaN : (double) confusion[c][c] / actual;
        }
        return r;
    }

    /** Returns each class's F1, the harmonic mean of precision and recall (NaN where either is). */
    public double[] f1() {
        double[] p = precision();
        double[] r = recall();
        double[] f = new double[p.length];
        for (int c = 0; c < f.length; c++) {
            f[c] = p[c] + r[c] == 0 ? 0 : 2 * p[c] * r[c] / (p[c] + r[c]);
        }
        return f;
    }
}
