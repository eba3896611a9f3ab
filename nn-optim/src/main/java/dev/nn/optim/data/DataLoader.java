package dev.nn.optim.data;

import dev.nn.core.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a dataset into batches, epoch by epoch. With shuffling, epoch e's order is a permutation
 * drawn from a generator seeded by {@code (seed, e)} alone, so any epoch's batches can be
 * produced again (exact resume needs nothing else); without it, samples come in order.
 */
public final class DataLoader {

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    // The last epoch's order: batch() is called once per step, and the order costs O(n) to draw.
    private volatile EpochOrder last;

    private record EpochOrder(int epoch, int[] order) {
    }

    /** Creates a loader; {@code dropLast} drops a final batch smaller than {@code batchSize}. */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("DataLoader: batchSize must be > 0, got " + batchSize);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
    }

    /** Returns the dataset. */
    public Dataset dataset() {
        return dataset;
    }

    /** Returns the number of batches in an epoch. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Returns the order in which epoch {@code epoch} visits the samples. */
    public int[] order(int epoch) {
        if (!shuffle) {
            int[] o = new int[dataset.size()];
            for (int i = 0; i < o.length; i++) {
                o[i] = i;
            }
            return o;
        }
        return shuffled(dataset.size(), seed, epoch);
    }

    /**
     * Returns the order in which a shuffling loader with {@code seed} visits {@code n} samples in
     * epoch {@code epoch}: what {@link #order} returns, for code that holds the samples elsewhere
     * (each partition of a distributed data set, for one).
     */
    public static int[] shuffled(int n, long seed, int epoch) {
        return permutation(n, new Generator(seed * 0x9E3779B97F4A7C15L + epoch));
    }

    /** Returns batch {@code index} of epoch {@code epoch}. */
    public Batch batch(int epoch, int index) {
        if (index < 0 || index >= batchesPerEpoch()) {
            throw new IndexOutOfBoundsException("DataLoader: batch " + index + " is out of range for "
                    + batchesPerEpoch() + " batches per epoch");
        }
        int[] order = cachedOrder(epoch);
        int from = index * batchSize;
        int to = Math.min(order.length, from + batchSize);
        return dataset.batch(Arrays.copyOfRange(order, from, to));
    }

    /** Returns epoch {@code epoch}'s order, drawn once per epoch (never handed out: callers could change it). */
    private int[] cachedOrder(int epoch) {
        EpochOrder o = last;
        if (o == null || o.epoch != epoch) {
            o = new EpochOrder(epoch, order(epoch));
            last = o;
        }
        return o.order;
    }

    /** Returns every batch of epoch {@code epoch}, in order. */
    public List<Batch> epoch(int epoch) {
        int[] order = order(epoch);
        List<Batch> batches = new ArrayList<>();
        for (int b = 0; b < batchesPerEpoch(); b++) {
            int from = b * batchSize;
            batches.add(dataset.batch(Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize))));
        }
        return batches;
    }

    /** Returns a uniformly random permutation of {@code 0..n-1} (Fisher-Yates). */
    static int[] permutation(int n, Generator g) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = g.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
