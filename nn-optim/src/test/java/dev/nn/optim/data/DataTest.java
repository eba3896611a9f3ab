package dev.nn.optim.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataset, DataLoader and the IDX and CSV readers. */
class DataTest {

    @TempDir
    Path dir;

    static Dataset numbered(int n) {
        float[] f = new float[n * 2];
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            f[2 * i] = i;
            f[2 * i + 1] = -i;
            t[i] = i % 3;
        }
        return new Dataset(Tensor.of(f, n, 2), Tensor.of(t, n));
    }

    @Test
    void dataset_batchSubsetSplit() {
        Dataset d = numbered(10);
        Batch b = d.batch(new int[] {3, 0});
        assertArrayEquals(new float[] {3, -3, 0, 0}, b.features().toArray());
        assertArrayEquals(new float[] {0, 0}, b.targets().toArray());
        Dataset.Split s = d.split(0.3f, 7);
        assertEquals(7, s.train().size());
        assertEquals(3, s.validation().size());
        float[] trainIds = s.train().features().reshape(-1, 2).toArray();
        float[] valIds = s.validation().features().toArray();
        boolean[] seen = new boolean[10];
        for (int i = 0; i < trainIds.length; i += 2) {
            seen[(int) trainIds[i]] = true;
        }
        for (int i = 0; i < valIds.length; i += 2) {
            assertFalse(seen[(int) valIds[i]], "sample in both parts");
            seen[(int) valIds[i]] = true;
        }
        for (boolean x : seen) {
            assertTrue(x);
        }
        assertEquals(s.validation().features(), d.split(0.3f, 7).validation().features());
        ShapeException e = assertThrows(ShapeException.class, () -> new Dataset(Tensor.zeros(3, 2), Tensor.zeros(4)));
        assertEquals("Dataset: features [3, 2] and targets [4] must have the same number of rows", e.getMessage());
    }

    @Test
    void loader_seededShufflePerEpoch_coversEverySampleOnce_dropLast() {
        Dataset d = numbered(10);
        DataLoader loader = new DataLoader(d, 4, true, false, 42);
        assertEquals(3, loader.batchesPerEpoch());
        assertEquals(2, new DataLoader(d, 4, true, true, 42).batchesPerEpoch());
        List<Batch> e0 = loader.epoch(0);
        assertEquals(List.of(4, 4, 2), e0.stream().map(Batch::size).toList());
        int[] order = loader.order(0);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        assertFalse(Arrays.equals(order, loader.order(1)), "epochs should differ");
        assertArrayEquals(order, new DataLoader(d, 4, true, false, 42).order(0));
        assertArrayEquals(order, DataLoader.shuffled(d.size(), 42, 0), "the order without the data set");
        assertArrayEquals(loader.order(1), DataLoader.shuffled(d.size(), 42, 1));
        assertEquals(e0.get(1).features(), loader.batch(0, 1).features());
        // batch() keeps the last epoch's order: switching epochs back and forth still gives each its own.
        List<Batch> e1 = loader.epoch(1);
        for (int epoch : new int[] {1, 0, 0, 1, 0}) {
            List<Batch> expected = epoch == 0 ? e0 : e1;
            for (int b = 0; b < 3; b++) {
                assertEquals(expected.get(b).features(), loader.batch(epoch, b).features(), epoch + "/" + b);
            }
        }
        loader.order(0)[0] = -1;                                      // a caller's copy: the loader is unaffected
        assertEquals(e0.get(0).features(), loader.batch(0, 0).features());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, new DataLoader(d, 4, false, false, 1).order(5));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new DataLoader(d, 0, true, true, 1));
        assertEquals("DataLoader: batchSize must be > 0, got 0", ex.getMessage());
    }

    static byte[] idx(int type, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt((type << 8) | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
            z.write(raw);
        }
        return bytes.toByteArray();
    }

    String reason(byte[] content) throws IOException {
        Path f = dir.resolve("bad.idx");
        Files.write(f, content);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(f));
        return e.getMessage().substring(f.toString().length() + 2);
    }

    @Test
    void idx_rawAndGzip_mnistStyleDataset() throws IOException {
        byte[] pixels = new byte[2 * 2 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 20);
        }
        Path images = dir.resolve("images.idx3-ubyte");
        Path labels = dir.resolve("labels.idx1-ubyte.gz");
        Files.write(images, idx(0x08, new int[] {2, 2, 3}, pixels));
        Files.write(labels, gzip(idx(0x08, new int[] {2}, new byte[] {7, (byte) 200})));
        Tensor raw = Idx.read(images);
        assertArrayEquals(new int[] {2, 2, 3}, raw.shape().dims());
        assertEquals(220f, raw.get(1, 1, 2));
        Dataset d = Idx.images(images, labels);
        assertArrayEquals(new int[] {2, 6}, d.features().shape().dims());
        assertEquals(220f * (1f / 255f), d.features().get(1, 5));     // the same bits as multiplying the tensor
        assertArrayEquals(new float[] {7, 200}, d.targets().toArray());
        Files.write(labels, idx(0x08, new int[] {3}, new byte[] {1, 2, 3}));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.images(images, labels));
        assertEquals(labels + ": holds 3 labels, but images.idx3-ubyte holds 2 images", e.getMessage());
    }

    @Test
    void idx_everyValueType_bigEndian_acrossReadChunks() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0xff, 0x7f, (byte) 0x80});
        byte[] unsigned = bytes.toByteArray();
        assertArrayEquals(new float[] {255, 127, 128}, read(idx(0x08, new int[] {3}, unsigned)));
        assertArrayEquals(new float[] {-1, 127, -128}, read(idx(0x09, new int[] {3}, unsigned)));
        bytes.reset();
        out.writeShort(-2);
        out.writeShort(0x1234);
        assertArrayEquals(new float[] {-2, 0x1234}, read(idx(0x0B, new int[] {2}, bytes.toByteArray())));
        bytes.reset();
        out.writeInt(-70000);
        out.writeInt(1 << 24);
        assertArrayEquals(new float[] {-70000, 1 << 24}, read(idx(0x0C, new int[] {2}, bytes.toByteArray())));
        bytes.reset();
        out.writeFloat(-1.5f);
        out.writeFloat(Float.MIN_VALUE);
        assertArrayEquals(new float[] {-1.5f, Float.MIN_VALUE}, read(idx(0x0D, new int[] {2}, bytes.toByteArray())));
        bytes.reset();
        out.writeDouble(0.1);
        out.writeDouble(-1e300);
        assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY},
                read(idx(0x0E, new int[] {2}, bytes.toByteArray())));
        // 1,050,001 shorts: many read chunks, and more values than the first allocation (2^20) holds.
        bytes.reset();
        float[] expected = new float[1_050_001];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (short) (i * 7919);
            out.writeShort(i * 7919);
        }
        byte[] many = idx(0x0B, new int[] {expected.length}, bytes.toByteArray());
        assertArrayEquals(expected, read(many));
        assertArrayEquals(expected, read(gzip(many)));
        assertEquals("file ends after 1050000 of its 1050001 values", reason(gzip(Arrays.copyOf(many, many.length - 1))));
    }

    float[] read(byte[] content) throws IOException {
        Path f = dir.resolve("values.idx");
        Files.write(f, content);
        return Idx.read(f).toArray();
    }

    @Test
    void idx_badFiles_oneTypedExceptionEach() throws IOException {
        byte[] good = idx(0x08, new int[] {2, 3}, new byte[6]);
        assertEquals("file is shorter than the 4-byte IDX magic number", reason(new byte[2]));
        assertEquals("not an IDX file (magic 0x12340801)", reason(new byte[] {0x12, 0x34, 8, 1, 0, 0, 0, 1, 0}));
        assertEquals("unknown IDX value type 0x07", reason(idx(0x07, new int[] {1}, new byte[1])));
        assertEquals("file is 16 bytes, but its header promises 18", reason(Arrays.copyOf(good, 16)));
        assertEquals("trailing bytes after the 6 values", reason(Arrays.copyOf(good, good.length + 1)));
        assertEquals("file ends after 2 of its 6 values", reason(gzip(Arrays.copyOf(good, 14))));
        assertEquals("file ends after 0 of its 2000000000 values",
                reason(gzip(idx(0x08, new int[] {2000000000}, new byte[0]))));
        for (int len = 0; len < good.length; len++) {
            Path f = dir.resolve("cut.idx");
            Files.write(f, Arrays.copyOf(good, len));
            try {
                Idx.read(f);
                fail("cut to " + len + " bytes was accepted");
            } catch (DataFormatException expected) {
                // one typed exception
            }
        }
    }

    @Test
    void csv_labelColumnHeaderAndErrors() throws IOException {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "a,b,label\n1,2,0\n\n3.5,-4,1\n");
        Dataset d = Csv.read(f, -1, true);
        assertArrayEquals(new float[] {1, 2, 3.5f, -4}, d.features().toArray());
        assertArrayEquals(new float[] {0, 1}, d.targets().toArray());
        Dataset first = Csv.read(f, 0, true);
        assertArrayEquals(new float[] {2, 0, -4, 1}, first.features().toArray());
        Files.writeString(f, "1,2,0\n3,x,1\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Csv.read(f, -1, false));
        assertEquals(f + ": line 2, column 2: \"x\" is not a number", e.getMessage());
        Files.writeString(f, "1,2,0\n3,1\n");
        e = assertThrows(DataFormatException.class, () -> Csv.read(f, -1, false));
        assertEquals(f + ": line 2 has 2 fields, expected 3", e.getMessage());
        Files.writeString(f, "a,b\n");
        e = assertThrows(DataFormatException.class, () -> Csv.read(f, -1, true));
        assertEquals(f + ": no data rows", e.getMessage());
    }
}
