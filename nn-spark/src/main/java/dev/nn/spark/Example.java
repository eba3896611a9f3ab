package dev.nn.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training sample as a Spark partition holds it: its position in the whole data set (which
 * decides the batches it falls in, as a {@code DataLoader} would), its features and its target
 * (one value for a class index or a scalar, several for a vector target).
 *
 * @param index the sample's position, 0 to n - 1, unique across the data set
 * @param features the input row
 * @param target the target's values
 */
public record Example(long index, float[] features, float[] target) implements Serializable {

    @Override
    public boolean equals(Object o) {
        return o instanceof Example e && e.index == index && Arrays.equals(e.features, features)
                && Arrays.equals(e.target, target);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return "Example(" + index + ", " + Arrays.toString(features) + " -> " + Arrays.toString(target) + ")";
    }
}
