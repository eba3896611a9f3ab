package dev.nn.optim.data;

import dev.nn.core.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads tables of samples from CSV files: one sample per row, numeric feature columns and one
 * label column. Gzipped files are recognised by their first bytes; a UTF-8 byte-order mark is
 * dropped; fields may be quoted ({@code "a, b"}, with {@code ""} for a quote), even across lines
 * ({@link CsvRows} splits the text; this class makes samples of it).
 *
 * <pre>{@code
 * Csv.Table iris = Csv.reader().header(true).label("species").classification().read(path);
 * Dataset data = iris.dataset();            // features [150, 4], targets [150] (class indices)
 * List<String> names = iris.classes();      // [setosa, versicolor, virginica]: index i is names.get(i)
 * }</pre>
 *
 * <p>Targets are shaped for the loss that uses them: class indices {@code [n]} for
 * {@code CrossEntropyLoss} ({@link Reader#classification()}, the default), values {@code [n, 1]} for
 * {@code MSELoss} after a {@code Linear(..., 1)} ({@link Reader#regression()}). Numbers are
 * decimal ({@code -1.5e3}); a missing value (an empty field, {@code NA}, {@code N/A}, {@code NaN},
 * {@code null} or {@code ?}) is refused unless {@link Reader#missing} says to skip its row;
 * infinities and other words are refused. Every problem is one {@link DataFormatException} naming
 * the file, the line and the column; blank lines are skipped.
 */
public final class Csv {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final List<String> MISSING = List.of("", "na", "n/a", "nan", "null", "?");

    private Csv() {
    }

    /** What to do with a row that has a missing value. */
    public enum Missing {
        /** Refuse the file, naming the line and column (the default). */
        REFUSE,
        /** Leave the row out; {@link Table#skippedRows()} counts them. */
        SKIP_ROW
    }

    /**
     * What a file held: the samples, the names of the feature columns in the order of the feature
     * tensor's columns, the label column's name, the class names (index i is {@code classes().get(i)};
     * empty where the labels were numbers or values), and how many rows were left out for missing
     * values.
     */
    public record Table(Dataset dataset, List<String> featureNames, String labelName, List<String> classes,
                        int skippedRows) {
    }

    /** Returns a reader with the defaults: separator {@code ,}, no header, the last column as the class label. */
    public static Reader reader() {
        return new Reader();
    }

    /**
     * Returns the file as a dataset: features {@code [n, columns - 1]} and targets {@code [n]}, the
     * numbers of column {@code labelColumn} (0-based; -1 for the last) as written.
     */
    public static Dataset read(Path path, int labelColumn, boolean header) throws IOException {
        Reader r = reader().header(header).label(labelColumn);
        r.asWritten = true;
        return r.read(path).dataset();
    }

    /** Settings of a CSV read; each returns this reader. */
    public static final class Reader {
        private char separator = ',';
        private boolean header;
        private String labelName;
        private int labelColumn = -1;
        private List<String> featureNames;
        private boolean regression;
        private boolean asWritten;
        private Missing missing = Missing.REFUSE;

        private Reader() {
        }

        /** Sets the field separator, such as {@code ';'} or {@code '\t'} (not a quote, space or line break). */
        public Reader separator(char value) {
            if (value == '"' || value == '\n' || value == '\r' || value == ' ') {
                throw new IllegalArgumentException("csv: the separator cannot be " + CsvRows.describe(value));
            }
            separator = value;
            return this;
        }

        /** Says whether the first row names the columns. */
        public Reader header(boolean value) {
            header = value;
            return this;
        }

        /** Takes the label from the column named {@code name} (needs a header). */
        public Reader label(String name) {
            labelName = Objects.requireNonNull(name, "csv: label name is required");
            return this;
        }

        /** Takes the label from column {@code column}, 0-based; negative counts from the end (-1 is the last). */
        public Reader label(int column) {
            labelName = null;
            labelColumn = column;
            return this;
        }

        /** Takes the features from these named columns, in this order (needs a header); by default every other column. */
        public Reader features(String... names) {
            if (names.length == 0) {
                throw new IllegalArgumentException("csv: name at least one feature column");
            }
            featureNames = List.of(names);
            return this;
        }

        /**
         * Reads labels as classes, targets {@code [n]} (the default): whole numbers from 0 are class
         * indices as written; otherwise every distinct label is a class, numbered in sorted order.
         */
        public Reader classification() {
            regression = false;
            return this;
        }

        /** Reads labels as numbers to predict, targets {@code [n, 1]}. */
        public Reader regression() {
            regression = true;
            return this;
        }

        /** Sets what happens to a row with a missing value (default {@link Missing#REFUSE}). */
        public Reader missing(Missing value) {
            missing = Objects.requireNonNull(value, "csv: missing is required");
            return this;
        }

        /**
         * Reads the file.
         *
         * @throws DataFormatException for anything the file holds that these settings cannot read,
         *     naming the file, the line and the column
         * @throws IOException if the file cannot be read
         */
        public Table read(Path path) throws IOException {
            if ((labelName != null || featureNames != null) && !header) {
                throw new IllegalArgumentException("csv: columns named by " + (labelName != null ? "label(\""
                        + labelName + "\")" : "features(...)") + " need header(true)");
            }
            return table(path, CsvRows.read(path, separator));
        }




        /** Turns the rows into the table these settings ask for. */
        private Table table(Path path, List<CsvRows.Row> rows) throws DataFormatException {
            if (rows.isEmpty() || (header && rows.size() == 1)) {
                throw new DataFormatException(path, "no data rows");
            }
            int columns = rows.get(0).fields().length;
            List<String> names = new ArrayList<>();
            if (header) {
                Map<String, Integer> seen = new HashMap<>();
                for (int c = 0; c < columns; c++) {
                    String name = rows.get(0).fields()[c];
                    Integer before = seen.put(name, c);
                    if (before != null) {
                        throw new DataFormatException(path, "line " + rows.get(0).line() + ": columns " + (before + 1)
                                + " and " + (c + 1) + " are both named \"" + name + "\"");
                    }
                    names.add(name);
                }
            } else {
                for (int c = 0; c < columns; c++) {
                    names.add("column " + (c + 1));
                }
            }
            int label = labelName != null ? column(path, names, labelName)
                    : labelColumn < 0 ? columns + labelColumn : labelColumn;
            if (label < 0 || label >= columns) {
                throw new DataFormatException(path, "line " + rows.get(0).line() + " has " + columns
                        + " columns; the label column " + labelColumn + " and at least one feature are needed");
            }
            int[] features;
            if (featureNames != null) {
                features = new int[featureNames.size()];
                for (int i = 0; i < features.length; i++) {
                    features[i] = column(path, names, featureNames.get(i));
                    if (features[i] == label) {
                        throw new DataFormatException(path, "column \"" + featureNames.get(i)
                                + "\" cannot be both a feature and the label");
                    }
                }
            } else {
                features = new int[columns - 1];
                for (int c = 0, k = 0; c < columns; c++) {
                    if (c != label) {
                        features[k++] = c;
                    }
                }
            }
            if (features.length == 0) {
                throw new DataFormatException(path, "line " + rows.get(0).line() + " has " + columns
                        + " columns; the label column " + labelColumn + " and at least one feature are needed");
            }
            int f = features.length;
            List<float[]> x = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            List<Integer> labelLines = new ArrayList<>();
            int skipped = 0;
            rows:
            for (int r = header ? 1 : 0; r < rows.size(); r++) {
                CsvRows.Row row = rows.get(r);
                if (row.fields().length != columns) {
                    throw new DataFormatException(path, "line " + row.line() + " has " + row.fields().length
                            + " fields, expected " + columns);
                }
                float[] values = new float[f];
                for (int k = 0; k < f; k++) {
                    String field = row.fields()[features[k]];
                    if (isMissing(field)) {
                        if (missing == Missing.SKIP_ROW) {
                            skipped++;
                            continue rows;
                        }
                        throw new DataFormatException(path, where(row, features[k], names) + ": missing value"
                                + (field.isEmpty() ? "" : " (\"" + field + "\")")
                                + "; fill it, or read with missing(Csv.Missing.SKIP_ROW)");
                    }
                    values[k] = number(path, row, features[k], names, field);
                }
                String labelField = row.fields()[label];
                if (isMissing(labelField)) {
                    if (missing == Missing.SKIP_ROW) {
                        skipped++;
                        continue;
                    }
                    throw new DataFormatException(path, where(row, label, names) + ": missing label"
                            + "; fill it, or read with missing(Csv.Missing.SKIP_ROW)");
                }
                x.add(values);
                labels.add(labelField);
                labelLines.add(r);
            }
            if (x.isEmpty()) {
                throw new DataFormatException(path, "no data rows" + (skipped > 0 ? " (all " + skipped
                        + " had missing values)" : ""));
            }
            int n = x.size();
            float[] flat = new float[n * f];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x.get(i), 0, flat, i * f, f);
            }
            float[] targets = new float[n];
            List<String> classes = List.of();
            boolean numeric = labels.stream().allMatch(l -> NUMBER.matcher(l).matches());
            if (regression || asWritten || numeric) {
                for (int i = 0; i < n; i++) {
                    CsvRows.Row row = rows.get(labelLines.get(i));
                    float v = number(path, row, label, names, labels.get(i));
                    if (!regression && !asWritten && (v < 0 || v != Math.rint(v) || v > 1 << 24)) {
                        throw new DataFormatException(path, where(row, label, names) + ": " + labels.get(i)
                                + " is not a class index (a whole number from 0); read with regression() for values");
                    }
                    targets[i] = v;
                }
            } else {
                List<String> sorted = new ArrayList<>(new TreeSet<>(labels));
                Map<String, Integer> index = new HashMap<>();
                for (int i = 0; i < sorted.size(); i++) {
                    index.put(sorted.get(i), i);
                }
                for (int i = 0; i < n; i++) {
                    targets[i] = index.get(labels.get(i));
                }
                classes = List.copyOf(sorted);
            }
            List<String> featureList = new ArrayList<>();
            for (int c : features) {
                featureList.add(names.get(c));
            }
            Tensor t = regression ? Tensor.of(targets, n, 1) : Tensor.of(targets, n);
            return new Table(new Dataset(Tensor.of(flat, n, f), t), List.copyOf(featureList), names.get(label),
                    classes, skipped);
        }

        private static int column(Path path, List<String> names, String name) throws DataFormatException {
            int c = names.indexOf(name);
            if (c < 0) {
                throw new DataFormatException(path, "no column named \"" + name + "\"; the header has " + names);
            }
            return c;
        }

        private static boolean isMissing(String field) {
            return MISSING.contains(field.toLowerCase(java.util.Locale.ROOT));
        }

        private float number(Path path, CsvRows.Row row, int column, List<String> names, String field)
                throws DataFormatException {
            if (!NUMBER.matcher(field).matches()) {
                String shown = field.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f) ? field
                        : field.codePoints().mapToObj(cp -> cp >= 0x20 && cp < 0x7f ? Character.toString(cp)
                                : String.format("\\u%04X", cp)).reduce("", String::concat);
                throw new DataFormatException(path, where(row, column, names) + ": \"" + shown + "\" is not a number");
            }
            float v = Float.parseFloat(field);
            if (Float.isInfinite(v)) {
                throw new DataFormatException(path, where(row, column, names) + ": " + field
                        + " is beyond float's range (about ±3.4e38)");
            }
            return v;
        }

        private String where(CsvRows.Row row, int column, List<String> names) {
            return "line " + row.line() + ", column " + (column + 1) + (header ? " (" + names.get(column) + ")" : "");
        }

    }

    private record Row(int line, String[] fields) {
    }

}
