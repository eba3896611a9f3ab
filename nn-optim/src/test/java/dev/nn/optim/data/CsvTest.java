package dev.nn.optim.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nn.core.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading real tables: encodings, quoting, separators, named columns, labels and every refusal's message. */
class CsvTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private DataFormatException refused(Csv.Reader reader, Path file) {
        return assertThrows(DataFormatException.class, () -> reader.read(file));
    }

    @Test
    void iris_namedLabel_stringClassesInSortedOrder_featureNamesKept() throws IOException {
        Path iris = Path.of("../docs/data/iris.csv");
        Csv.Table t = Csv.reader().header(true).label("species").read(iris);
        assertEquals(Shape.of(150, 4), t.dataset().features().shape());
        assertEquals(Shape.of(150), t.dataset().targets().shape());
        assertEquals(List.of("setosa", "versicolor", "virginica"), t.classes());
        assertEquals(List.of("sepal_length", "sepal_width", "petal_length", "petal_width"), t.featureNames());
        assertEquals("species", t.labelName());
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, t.dataset().features().rows(0, 1).toArray());
        assertEquals(0f, t.dataset().targets().get(0));
        assertEquals(2f, t.dataset().targets().get(149));
    }

    @Test
    void gzipAndByteOrderMark_readAsPlainText() throws IOException {
        String text = "\uFEFFx,y,label\n1,2,b\n3,4,a\n";
        Path gz = dir.resolve("t.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = Files.readAllBytes(gz);
        Path cut = dir.resolve("cut.csv.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 12));
        DataFormatException damaged = refused(Csv.reader().header(true), cut);
        assertEquals(true, damaged.getMessage().startsWith(cut + ": its gzip data is damaged or cut short ("),
                damaged.getMessage());
        for (Path file : List.of(gz, write("t.csv", text))) {
            Csv.Table t = Csv.reader().header(true).label("label").read(file);
            assertEquals(List.of("x", "y"), t.featureNames(), file.toString());
            assertArrayEquals(new float[] {1, 2, 3, 4}, t.dataset().features().toArray());
            assertArrayEquals(new float[] {1, 0}, t.dataset().targets().toArray());
            assertEquals(List.of("a", "b"), t.classes());
        }
    }

    @Test
    void quotedFields_separatorsQuotesAndLineBreaksInside() throws IOException {
        Path f = write("q.csv", "\"a, first\",b,\"the \"\"label\"\"\"\r\n\"1.5\", 2 ,\"red, dark\"\r\n3,4,\"blue\nsky\"\n");
        Csv.Table t = Csv.reader().header(true).label("the \"label\"").read(f);
        assertEquals(List.of("a, first", "b"), t.featureNames());
        assertArrayEquals(new float[] {1.5f, 2, 3, 4}, t.dataset().features().toArray());
        assertEquals(List.of("blue\nsky", "red, dark"), t.classes());
        assertArrayEquals(new float[] {1, 0}, t.dataset().targets().toArray());
    }

    @Test
    void otherSeparators_semicolonAndTab() throws IOException {
        Csv.Table semi = Csv.reader().separator(';').label(0).read(write("s.csv", "1;2.5;3\n0;4;5\n"));
        assertArrayEquals(new float[] {2.5f, 3, 4, 5}, semi.dataset().features().toArray());
        assertArrayEquals(new float[] {1, 0}, semi.dataset().targets().toArray());
        Csv.Table tab = Csv.reader().separator('\t').label(-1).read(write("t.tsv", "1\t2\t0\n3\t4\t1\n"));
        assertArrayEquals(new float[] {1, 2, 3, 4}, tab.dataset().features().toArray());
        assertEquals(Shape.of(2, 2), semi.dataset().features().shape());
        assertThrows(IllegalArgumentException.class, () -> Csv.reader().separator('"'));
    }

    @Test
    void featureSubset_inTheOrderNamed() throws IOException {
        Path f = write("f.csv", "a,b,c,y\n1,2,3,0\n4,5,6,1\n");
        Csv.Table t = Csv.reader().header(true).label("y").features("c", "a").read(f);
        assertEquals(List.of("c", "a"), t.featureNames());
        assertArrayEquals(new float[] {3, 1, 6, 4}, t.dataset().features().toArray());
    }

    @Test
    void regression_targetsAreAColumn_forMseAfterLinearToOne() throws IOException {
        Path f = write("r.csv", "x,price\n1,2.5\n2,-3.25\n");
        Csv.Table t = Csv.reader().header(true).label("price").regression().read(f);
        assertEquals(Shape.of(2, 1), t.dataset().targets().shape());
        assertArrayEquals(new float[] {2.5f, -3.25f}, t.dataset().targets().toArray());
        assertEquals(List.of(), t.classes());
        DataFormatException e = refused(Csv.reader().header(true).label("price"), f);
        assertEquals(f + ": line 2, column 2 (price): 2.5 is not a class index (a whole number from 0); read with"
                + " regression() for values", e.getMessage());
    }

    @Test
    void missingValues_refusedNamingLineAndColumn_orTheirRowsSkipped() throws IOException {
        Path f = write("m.csv", "a,b,y\n1,2,0\n3,,1\n5,NA,0\n7,?,1\n9,10,1\n");
        DataFormatException e = refused(Csv.reader().header(true).label("y"), f);
        assertEquals(f + ": line 3, column 2 (b): missing value; fill it, or read with missing(Csv.Missing.SKIP_ROW)",
                e.getMessage());
        Csv.Table t = Csv.reader().header(true).label("y").missing(Csv.Missing.SKIP_ROW).read(f);
        assertEquals(3, t.skippedRows());
        assertArrayEquals(new float[] {1, 2, 9, 10}, t.dataset().features().toArray());
        Path noLabel = write("l.csv", "1,2,0\n3,4,\n");
        e = refused(Csv.reader(), noLabel);
        assertEquals(noLabel + ": line 2, column 3: missing label; fill it, or read with missing(Csv.Missing.SKIP_ROW)",
                e.getMessage());
        Path nan = write("n.csv", "1,NaN,0\n");
        e = refused(Csv.reader(), nan);
        assertEquals(nan + ": line 1, column 2: missing value (\"NaN\"); fill it, or read with"
                + " missing(Csv.Missing.SKIP_ROW)", e.getMessage());
    }

    @Test
    void notNumbersAndInfinities_refusedWithTheFieldShown() throws IOException {
        Path f = write("w.csv", "1,abc,0\n");
        assertEquals(f + ": line 1, column 2: \"abc\" is not a number", refused(Csv.reader(), f).getMessage());
        Path inf = write("i.csv", "1,Infinity,0\n");
        assertEquals(inf + ": line 1, column 2: \"Infinity\" is not a number", refused(Csv.reader(), inf).getMessage());
        Path big = write("b.csv", "1,1e39,0\n");
        assertEquals(big + ": line 1, column 2: 1e39 is beyond float's range (about ±3.4e38)",
                refused(Csv.reader(), big).getMessage());
        Path suffix = write("s.csv", "1,2.5f,0\n");
        assertEquals(suffix + ": line 1, column 2: \"2.5f\" is not a number", refused(Csv.reader(), suffix).getMessage());
        Path bomInside = write("u.csv", "1,\u00A02,0\n");
        assertEquals(bomInside + ": line 1, column 2: \"\\u00A02\" is not a number",
                refused(Csv.reader(), bomInside).getMessage());
    }

    @Test
    void structuralProblems_raggedRowsDuplicateAndUnknownNamesUnclosedQuotesBadBytes() throws IOException {
        Path ragged = write("g.csv", "a,b,y\n1,2,0\n\n3,4\n");
        assertEquals(ragged + ": line 4 has 2 fields, expected 3",
                refused(Csv.reader().header(true), ragged).getMessage());
        Path dup = write("d.csv", "a,a,y\n1,2,0\n");
        assertEquals(dup + ": line 1: columns 1 and 2 are both named \"a\"",
                refused(Csv.reader().header(true), dup).getMessage());
        Path named = write("n.csv", "a,b,y\n1,2,0\n");
        assertEquals(named + ": no column named \"label\"; the header has [a, b, y]",
                refused(Csv.reader().header(true).label("label"), named).getMessage());
        Path open = write("o.csv", "1,2,0\n3,\"4,1\n5,6,1\n");
        assertEquals(open + ": line 2: a quoted field is not closed", refused(Csv.reader(), open).getMessage());
        Path latin1 = dir.resolve("x.csv");
        Files.write(latin1, new byte[] {'1', ',', (byte) 0xE9, ',', '0', '\n'});
        DataFormatException e = refused(Csv.reader(), latin1);
        assertEquals(true, e.getMessage().startsWith(latin1 + ": is not UTF-8 text (or gzipped UTF-8 text): "),
                e.getMessage());
        Path empty = write("e.csv", "a,b\n");
        assertEquals(empty + ": no data rows", refused(Csv.reader().header(true), empty).getMessage());
        IllegalArgumentException noHeader = assertThrows(IllegalArgumentException.class,
                () -> Csv.reader().label("y").read(named));
        assertEquals("csv: columns named by label(\"y\") need header(true)", noHeader.getMessage());
    }
}
