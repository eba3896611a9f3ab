package dev.nn.optim.data;

import dev.nn.core.Tensor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads tables of samples from CSV files: one sample per row, numeric feature columns and one
 * label column. Gzipped files are recognised by their first bytes; a UTF-8 byte-order mark is
 * dropped; fields may be quoted ({@code "a, b"}, with {@code ""} for a quote), even across lines.
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
                throw new IllegalArgumentException("csv: the separator cannot be " + describe(value));
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
            List<Row> rows = new ArrayList<>();
            try (InputStream raw = Files.newInputStream(path)) {
                parse(path, open(raw), rows);
            } catch (CharacterCodingException e) {
                throw new DataFormatException(path, "is not UTF-8 text (or gzipped UTF-8 text): " + e);
            }
            return table(path, rows);
        }

        /** Returns the stream's text, gunzipped where it starts as gzip does, decoded strictly as UTF-8. */
        private static java.io.Reader open(InputStream raw) throws IOException {
            BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            InputStream bytes = gzip ? new GZIPInputStream(in, 1 << 16) : in;
            return new InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        }

        /** Splits the text into rows of fields, each with the line it starts on; skips blank lines. */
        private void parse(Path path, java.io.Reader text, List<Row> rows) throws IOException {
            Scanner s = new Scanner(text);
            int c = s.next();
            if (c == '\uFEFF') {
                c = s.next();
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int rowLine = 1;
            boolean quotedField = false;
            while (c != -1) {
                if (c == '"' && field.toString().isBlank() && !quotedField) {
                    int startLine = s.line;
                    field.setLength(0);
                    while (true) {
                        c = s.next();
                        if (c == -1) {
                            throw new DataFormatException(path, "line " + startLine + ": a quoted field is not closed");
                        }
                        if (c == '"') {
                            c = s.next();
                            if (c != '"') {
                                break;
                            }
                        }
                        field.append((char) c);
                    }
                    quotedField = true;
                    while (c == ' ' || c == '\t' && separator != '\t') {
                        c = s.next();
                    }
                    if (c != separator && c != '\n' && c != '\r' && c != -1) {
                        throw new DataFormatException(path, "line " + s.line + ": text after the closing quote of a"
                                + " field (" + describe((char) c) + ")");
                    }
                    continue;
                }
                if (c == separator) {
                    fields.add(quotedField ? field.toString() : field.toString().trim());
                    field.setLength(0);
                    quotedField = false;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r') {
                        c = s.next();
                        if (c != '\n') {
                            endRow(fields, field, quotedField, rowLine, rows);
                            quotedField = false;
                            rowLine = s.line;
                            continue;
                        }
                    }
                    endRow(fields, field, quotedField, rowLine, rows);
                    quotedField = false;
                    rowLine = s.line;
                } else {
                    field.append((char) c);
                }
                c = s.next();
            }
            endRow(fields, field, quotedField, rowLine, rows);
        }

        private static void endRow(List<String> fields, StringBuilder field, boolean quoted, int line, List<Row> rows) {
            fields.add(quoted ? field.toString() : field.toString().trim());
            field.setLength(0);
            boolean blank = fields.size() == 1 && fields.get(0).isEmpty() && !quoted;
            if (!blank) {
                rows.add(new Row(line, fields.toArray(new String[0])));
            }
            fields.clear();
        }

        /** Turns the rows into the table these settings ask for. */
        private Table table(Path path, List<Row> rows) throws DataFormatException {
            if (rows.isEmpty() || (header && rows.size() == 1)) {
                throw new DataFormatException(path, "no data rows");
            }
            int columns = rows.get(0).fields.length;
            List<String> names = new ArrayList<>();
            if (header) {
                Map<String, Integer> seen = new HashMap<>();
                for (int c = 0; c < columns; c++) {
                    String name = rows.get(0).fields[c];
                    Integer before = seen.put(name, c);
                    if (before != null) {
                        throw new DataFormatException(path, "line " + rows.get(0).line + ": columns " + (before + 1)
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
                throw new DataFormatException(path, "line " + rows.get(0).line + " has " + columns
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
                throw new DataFormatException(path, "line " + rows.get(0).line + " has " + columns
                        + " columns; the label column " + labelColumn + " and at least one feature are needed");
            }
            int f = features.length;
            List<float[]> x = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            List<Integer> labelLines = new ArrayList<>();
            int skipped = 0;
            rows:
            for (int r = header ? 1 : 0; r < rows.size(); r++) {
                Row row = rows.get(r);
                if (row.fields.length != columns) {
                    throw new DataFormatException(path, "line " + row.line + " has " + row.fields.length
                            + " fields, expected " + columns);
                }
                float[] values = new float[f];
                for (int k = 0; k < f; k++) {
                    String field = row.fields[features[k]];
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
                String labelField = row.fields[label];
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
                    Row row = rows.get(labelLines.get(i));
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

        private float number(Path path, Row row, int column, List<String> names, String field)
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

        private String where(Row row, int column, List<String> names) {
            return "line " + row.line + ", column " + (column + 1) + (header ? " (" + names.get(column) + ")" : "");
        }

        /** A source of characters that counts lines. */
        private static final class Scanner {
            private final java.io.Reader in;
            private final char[] buffer = new char[1 << 14];
            private int at;
            private int end;
            int line = 1;
            private boolean afterCr;

            Scanner(java.io.Reader in) {
                this.in = in;
            }

            int next() throws IOException {
                if (at == end) {
                    end = in.read(buffer, 0, buffer.length);
                    at = 0;
                    if (end <= 0) {
                        end = 0;
                        return -1;
                    }
                }
                char c = buffer[at++];
                if (c == '\n' && !afterCr || c == '\r') {
                    line++;
                }
                afterCr = c == '\r';
                return c;
            }
        }
    }

    private record Row(int line, String[] fields) {
    }

    private static String describe(char c) {
        return c == '\t' ? "a tab" : c == '\n' ? "a line break" : c == '\r' ? "a carriage return"
                : c == ' ' ? "a space" : "'" + c + "'";
    }
}
