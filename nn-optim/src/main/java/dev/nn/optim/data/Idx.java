package dev.nn.optim.data;

import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST: a magic number ({@code 0x0000}, a type byte, the number of
 * dimensions), the dimensions as big-endian 32-bit integers, then the values. Raw or gzip (detected
 * by content). Every problem is one {@link DataFormatException} naming the file: a wrong magic,
 * an unsupported type, a truncated file, trailing bytes, counts that do not match.
 */
public final class Idx {

    private static final int BLOCK = 1 << 20;
    private static final int CHUNK = 1 << 16;
    private static final long MAX_DEFLATE_RATIO = 1032;

    private Idx() {
    }

    /** Returns the file's values as a float tensor of the file's shape (unsigned bytes as 0..255). */
    public static Tensor read(Path path) throws IOException {
        return read(path, 1f);
    }

    /** Reads as {@link #read(Path)} does, each value multiplied by {@code scale} as it is converted (1: none). */
    private static Tensor read(Path path, float scale) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(path), 1 << 16))) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw new DataFormatException(path, "file is shorter than the 4-byte IDX magic number");
            }
            int type = (magic >>> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || rank == 0) {
                throw new DataFormatException(path, String.format("not an IDX file (magic 0x%08x)", magic));
            }
            int width = switch (type) {
                case 0x08, 0x09 -> 1;
                case 0x0B -> 2;
                case 0x0C, 0x0D -> 4;
                case 0x0E -> 8;
                default -> throw new DataFormatException(path, String.format("unknown IDX value type 0x%02x", type));
            };
            int[] dims = new int[rank];
            long count = 1;
            for (int d = 0; d < rank; d++) {
                try {
                    dims[d] = in.readInt();
                } catch (EOFException e) {
                    throw new DataFormatException(path, "file ends inside the header (dimension " + d + " of " + rank
                            + ")");
                }
                if (dims[d] < 0) {
                    throw new DataFormatException(path, "dimension " + d + " is negative (" + dims[d] + ")");
                }
                count *= dims[d];
                if (count > Integer.MAX_VALUE - 8) {
                    throw new DataFormatException(path, "the dimensions hold more values than a Java array");
                }
            }
            boolean gzip = gzipped(path);
            long expected = 4 + 4L * rank + count * width;
            if (!gzip && expected > Files.size(path)) {
                throw new DataFormatException(path, "file is " + Files.size(path) + " bytes, but its header promises "
                        + expected);
            }
            // A raw file holds what its header promises (checked above), and so does a gzip file whose trailer
            // agrees: its values get one array. Otherwise they are read in blocks, so that a gzip file claiming
            // more than it holds allocates only what it holds. The bytes come in chunks a multiple of every
            // width, so no value straddles two chunks.
            boolean trusted = !gzip || holds(path, expected);
            float[] values = new float[(int) (trusted ? count : Math.min(count, BLOCK))];
            byte[] chunk = new byte[CHUNK];
            ByteBuffer view = ByteBuffer.wrap(chunk);       // big-endian, as IDX is
            int filled = 0;
            while (filled < count) {
                int wanted = (int) Math.min(CHUNK / width, count - filled);
                int got = in.readNBytes(chunk, 0, wanted * width) / width;
                if (got < wanted) {
                    throw new DataFormatException(path, "file ends after " + (filled + got) + " of its " + count
                            + " values");
                }
                if (filled + got > values.length) {
                    values = Arrays.copyOf(values, (int) Math.min(count, 2L * values.length));
                }
                decode(type, view, got, values, filled);
                if (scale != 1f) {
                    for (int i = filled; i < filled + got; i++) {
                        values[i] *= scale;
                    }
                }
                filled += got;
            }
            if (in.read() != -1) {
                throw new DataFormatException(path, "trailing bytes after the " + count + " values");
            }
            return Tensor.of(values, dims);
        } catch (ZipException e) {
            throw new DataFormatException(path, "corrupt gzip data (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw new DataFormatException(path, "gzip data ends early");
        }
    }

    /** Converts the first {@code n} values of type {@code type} in {@code bytes} into {@code out} from {@code at}. */
    private static void decode(int type, ByteBuffer bytes, int n, float[] out, int at) {
        byte[] b = bytes.array();
        switch (type) {
            case 0x08 -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = b[i] & 0xff;
                }
            }
            case 0x09 -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = b[i];
                }
            }
            case 0x0B -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = bytes.getShort(2 * i);
                }
            }
            case 0x0C -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = bytes.getInt(4 * i);
                }
            }
            case 0x0D -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = bytes.getFloat(4 * i);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = (float) bytes.getDouble(8 * i);
                }
            }
        }
    }

    /**
     * Returns MNIST-style images and labels as a dataset: features {@code [n, rows·cols]} scaled to
     * [0, 1], targets {@code [n]} class indices. The two files must hold the same number of items.
     */
    public static Dataset images(Path imagesFile, Path labelsFile) throws IOException {
        Tensor images = read(imagesFile, 1f / 255f);     // scaled while read: one pass over the pixels
        Tensor labels = read(labelsFile);
        if (images.rank() != 3) {
            throw new DataFormatException(imagesFile, "expected images [n, rows, cols], got " + images.shape());
        }
        if (labels.rank() != 1) {
            throw new DataFormatException(labelsFile, "expected labels [n], got " + labels.shape());
        }
        int n = images.shape().dim(0);
        if (labels.shape().dim(0) != n) {
            throw new DataFormatException(labelsFile, "holds " + labels.shape().dim(0) + " labels, but "
                    + imagesFile.getFileName() + " holds " + n + " images");
        }
        try {
            return new Dataset(images.reshape(n, -1), labels);
        } catch (ShapeException e) {
            throw new DataFormatException(imagesFile, e.getMessage());
        }
    }

    /**
     * Returns whether the gzip file at {@code path} decompresses to {@code bytes}, as far as its
     * trailer tells (the size modulo 2^32) and as far as deflate can compress (about 1032:1).
     */
    private static boolean holds(Path path, long bytes) throws IOException {
        long size = Files.size(path);
        if (size < 18 || bytes > MAX_DEFLATE_RATIO * size) {
            return false;
        }
        try (SeekableByteChannel in = Files.newByteChannel(path)) {
            ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            in.position(size - 4);
            while (trailer.hasRemaining() && in.read(trailer) >= 0) {
                // reads the four bytes of ISIZE
            }
            return !trailer.hasRemaining() && Integer.toUnsignedLong(trailer.getInt(0)) == (bytes & 0xffff_ffffL);
        }
    }

    private static InputStream open(Path path) throws IOException {
        InputStream raw = Files.newInputStream(path);
        return gzipped(path) ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    private static boolean gzipped(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }
}
