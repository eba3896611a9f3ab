package dev.nn.optim.data;

import dev.nn.core.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads numeric CSV: comma-separated numbers, one sample per line, one column holding the label
 * (a class index or a regression target); optionally a header line. Blank lines are skipped.
 * Every problem is one {@link DataFormatException} naming the file, line and column.
 */
public final class Csv {

    private Csv() {
    }

    /**
     * Returns the file as a dataset: features {@code [n, columns - 1]} and targets {@code [n]}
     * from column {@code labelColumn} (0-based; -1 for the last).
     */
    public static Dataset read(Path path, int labelColumn, boolean header) throws IOException {
        List<float[]> rows = new ArrayList<>();
        int columns = -1;
        int label = labelColumn;
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank() || (header && number == 1)) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (columns < 0) {
                    columns = fields.length;
                    label = labelColumn < 0 ? columns + labelColumn : labelColumn;
                    if (columns < 2 || label < 0 || label >= columns) {
                        throw new DataFormatException(path, "line " + number + " has " + columns
                                + " columns; the label column " + labelColumn + " and at least one feature are needed");
                    }
                }
                if (fields.length != columns) {
                    throw new DataFormatException(path, "line " + number + " has " + fields.length + " fields, expected "
                            + columns);
                }
                float[] row = new float[columns];
                for (int c = 0; c < columns; c++) {
                    try {
                        row[c] = Float.parseFloat(fields[c].trim());
                    } catch (NumberFormatException e) {
                        throw new DataFormatException(path, "line " + number + ", column " + (c + 1) + ": \""
                                + fields[c].trim() + "\" is not a number");
                    }
                }
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            throw new DataFormatException(path, "no data rows");
        }
        int n = rows.size();
        float[] features = new float[n * (columns - 1)];
        float[] targets = new float[n];
        for (int i = 0; i < n; i++) {
            float[] row = rows.get(i);
            for (int c = 0, k = 0; c < columns; c++) {
                if (c == label) {
                    targets[i] = row[c];
                } else {
                    features[i * (columns - 1) + k++] = row[c];
                }
            }
        }
        return new Dataset(Tensor.of(features, n, columns - 1), Tensor.of(targets, n));
    }
}
