package dev.nn.layers.io;

import dev.nn.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Reads and writes name→tensor maps in the safetensors format: an 8-byte little-endian header
 * length, a UTF-8 JSON header ({@code dtype}, {@code shape}, {@code data_offsets} per tensor and
 * an optional string→string {@code __metadata__}), then the tensors' bytes, little-endian,
 * contiguous and 8-byte aligned. Files written here load in PyTorch, and PyTorch's load here.
 *
 * <p>Reading converts every dtype nn's float32 tensors can hold: F64 (values beyond float's range
 * refused), F32, F16, BF16, and the integer types (I64, I32, I16, I8, U64, U32, U16, U8, BOOL) as
 * long as each value is a float exactly (a step counter such as BatchNorm's
 * {@code num_batches_tracked} is); {@link Contents#dtypes()} says what each tensor was. Writing
 * stores F32, or BF16 ({@link Dtype}), and a CRC-32C of the data in the metadata under
 * {@value #CHECKSUM}, which the reader verifies when present (other tools ignore it), so a flipped
 * bit in a weight is refused instead of loaded.
 *
 * <p>The reader validates in this order and never allocates from a size it has not checked
 * against the file: at least 8 bytes; header length at most 100 MB and within the file; UTF-8;
 * JSON of exactly that shape with no duplicate names; offsets sorted, starting at 0, contiguous;
 * sizes (checked multiplication) matching dtype × shape; no trailing bytes. Any violation is one
 * {@link SafetensorsException} naming the path and the reason.
 */
public final class Safetensors {

    /** The largest header accepted, as the reference implementation. */
    public static final long MAX_HEADER = 100_000_000L;
    /** The metadata key of the data's CRC-32C (8 lowercase hex digits) that nn writes and verifies. */
    public static final String CHECKSUM = "nn_crc32c";

    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
            Map.entry("F64", 8), Map.entry("F32", 4), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("I64", 8), Map.entry("I32", 4), Map.entry("I16", 2), Map.entry("I8", 1),
            Map.entry("U64", 8), Map.entry("U32", 4), Map.entry("U16", 2), Map.entry("U8", 1),
            Map.entry("BOOL", 1), Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1));

    private Safetensors() {
    }

    /** What a file holds: tensors by name (in file order), the metadata, and each tensor's dtype in the file. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, String> dtypes) {
    }

    /** The dtypes nn writes: float32, or bfloat16 (half the size; each value rounded to nearest, ties to even). */
    public enum Dtype {
        /** 4 bytes a value, exactly the tensors' values. */
        F32(4),
        /** 2 bytes a value: float32's exponent, 7 bits of mantissa. */
        BF16(2);

        final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }
    }

    // ---- writing -----------------------------------------------------------------------------

    /** Writes {@code tensors} as F32 and {@code metadata} to {@code path}, atomically, with the data's checksum. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        write(path, tensors, metadata, Dtype.F32);
    }

    /**
     * Writes {@code tensors} as {@code dtype} and {@code metadata} to {@code path}, atomically, with
     * the data's CRC-32C in the metadata ({@value #CHECKSUM}, a key callers may not set).
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata, Dtype dtype)
            throws IOException {
        if (metadata != null && metadata.containsKey(CHECKSUM)) {
            throw new IllegalArgumentException("safetensors: the metadata key " + CHECKSUM + " is nn's own");
        }
        // The checksum comes first in the metadata, at a fixed byte position, so that it can be
        // written over its placeholder once the data has streamed past: one pass over the tensors.
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(CHECKSUM, "00000000");
        if (metadata != null) {
            meta.putAll(metadata);
        }
        StringBuilder header = new StringBuilder("{");
        header.append("\"__metadata__\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : meta.entrySet()) {
            header.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
            first = false;
        }
        header.append('}');
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("safetensors: tensor name \"" + e.getKey() + "\" is not allowed");
            }
            long bytes = (long) dtype.bytes * e.getValue().size();
            header.append(header.length() > 1 ? "," : "").append(Json.quote(e.getKey()))
                    .append(":{\"dtype\":\"").append(dtype.name()).append("\",\"shape\":").append(dimsJson(e.getValue().shape().dims()))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;            // the data starts 8-byte aligned
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        long checksumAt = 8 + "{\"__metadata__\":{\"".length() + CHECKSUM.length() + "\":\"".length();
        AtomicFiles.write(path, channel -> {
            writeFully(channel, head);
            CRC32C crc = new CRC32C();
            forEachChunk(tensors, dtype, chunk -> {
                crc.update(chunk.duplicate());
                writeFully(channel, chunk);
            });
            ByteBuffer hex = ByteBuffer.wrap(String.format("%08x", crc.getValue()).getBytes(StandardCharsets.US_ASCII));
            while (hex.hasRemaining()) {
                channel.write(hex, checksumAt + hex.position());
            }
        });
    }

    /** A consumer of the data's bytes, chunk by chunk. */
    private interface Chunks {
        void accept(ByteBuffer chunk) throws IOException;
    }

    /** Hands the tensors' bytes in {@code dtype}, in order, to {@code out} in chunks of up to 64 KiB. */
    private static void forEachChunk(Map<String, Tensor> tensors, Dtype dtype, Chunks out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : tensors.values()) {
            for (float v : t.toArray()) {
                if (buffer.remaining() < 4) {
                    buffer.flip();
                    out.accept(buffer);
                    buffer.clear();
                }
                if (dtype == Dtype.F32) {
                    buffer.putFloat(v);
                } else {
                    buffer.putShort(toBf16(v));
                }
            }
        }
        buffer.flip();
        out.accept(buffer);
    }

    /** Returns v rounded to bfloat16 (nearest, ties to even; NaN stays NaN). */
    static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** Returns the float an IEEE half-precision value holds (exactly: every half is a float). */
    static float fromF16(short h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;       // subnormal (or zero): exact in float
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static String dimsJson(int[] dims) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            s.append(i == 0 ? "" : ",").append(dims[i]);
        }
        return s.append(']').toString();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    // ---- reading -----------------------------------------------------------------------------

    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
    }

    /** Reads and validates the file at {@code path}. */
    public static Contents read(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new SafetensorsException(path, "file is " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lengthBytes = readAt(channel, 0, 8, path);
            long n = lengthBytes.order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 0 || n > MAX_HEADER) {
                throw new SafetensorsException(path, "header length " + Long.toUnsignedString(n)
                        + " exceeds the limit of " + MAX_HEADER + " bytes");
            }
            if (8 + n > size) {
                throw new SafetensorsException(path, "header length " + n + " runs past the end of the file (" + size
                        + " bytes)");
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(readAt(channel, 8, (int) n, path))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new SafetensorsException(path, "header is not valid UTF-8");
            }
            Object json;
            try {
                json = Json.parse(text);
            } catch (Json.ParseException e) {
                throw new SafetensorsException(path, "header is not valid JSON: " + e.getMessage());
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = entries(path, json, metadata);
            long dataSize = size - 8 - n;
            checkLayout(path, entries, dataSize);
            // Read in byte order, so the checksum runs over the data as stored.
            List<Entry> byOffset = new ArrayList<>(entries);
            byOffset.sort(Comparator.comparingLong(Entry::begin));
            CRC32C crc = new CRC32C();
            Map<String, Tensor> decoded = new HashMap<>();
            for (Entry e : byOffset) {
                if (e.end() - e.begin() > Integer.MAX_VALUE - 8) {
                    throw new SafetensorsException(path, "tensor \"" + e.name() + "\" has " + (e.end() - e.begin())
                            + " bytes, more than a Java array holds");
                }
                ByteBuffer bytes = readAt(channel, 8 + n + e.begin(), (int) (e.end() - e.begin()), path)
                        .order(ByteOrder.LITTLE_ENDIAN);
                crc.update(bytes.duplicate());
                decoded.put(e.name(), Tensor.of(decode(path, e, bytes), e.shape()));
            }
            String expected = metadata.get(CHECKSUM);
            String actual = String.format("%08x", crc.getValue());
            if (expected != null && !expected.equals(actual)) {
                throw new SafetensorsException(path, "the data's CRC-32C is " + actual + ", the header records "
                        + expected + ": the file is damaged");
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> dtypes = new LinkedHashMap<>();
            for (Entry e : entries) {
                tensors.put(e.name(), decoded.get(e.name()));
                dtypes.put(e.name(), e.dtype());
            }
            return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata),
                    Collections.unmodifiableMap(dtypes));
        }
    }

    /** Returns the entry's values as floats, refusing values float32 cannot hold. */
    private static float[] decode(Path path, Entry e, ByteBuffer b) throws SafetensorsException {
        int count = b.remaining() / DTYPE_BYTES.get(e.dtype());
        float[] out = new float[count];
        switch (e.dtype()) {
            case "F32" -> b.asFloatBuffer().get(out);
            case "F16" -> {
                for (int i = 0; i < count; i++) {
                    out[i] = fromF16(b.getShort());
                }
            }
            case "BF16" -> {
                for (int i = 0; i < count; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
                }
            }
            case "F64" -> {
                for (int i = 0; i < count; i++) {
                    double d = b.getDouble();
                    out[i] = (float) d;
                    if (Float.isInfinite(out[i]) && !Double.isInfinite(d)) {
                        throw new SafetensorsException(path, "tensor \"" + e.name() + "\" holds " + d + " at index " + i
                                + ", beyond float32's range");
                    }
                }
            }
            case "I64", "I32", "I16", "I8", "U64", "U32", "U16", "U8", "BOOL" -> {
                for (int i = 0; i < count; i++) {
                    long v = switch (e.dtype()) {
                        case "I64", "U64" -> b.getLong();
                        case "I32" -> b.getInt();
                        case "U32" -> b.getInt() & 0xFFFFFFFFL;
                        case "I16" -> b.getShort();
                        case "U16" -> b.getShort() & 0xFFFF;
                        case "I8" -> b.get();
                        default -> b.get() & 0xFF;
                    };
                    boolean unsigned64 = e.dtype().equals("U64") && v < 0;
                    if (unsigned64 || v == Long.MAX_VALUE || (long) (float) v != v) {
                        throw new SafetensorsException(path, "tensor \"" + e.name() + "\" holds the integer "
                                + (unsigned64 ? Long.toUnsignedString(v) : Long.toString(v)) + " at index " + i
                                + ", which float32 cannot hold exactly");
                    }
                    out[i] = v;
                }
            }
            default -> throw new SafetensorsException(path, "tensor \"" + e.name() + "\" has dtype " + e.dtype()
                    + ", which nn does not read (convert it to a float or integer type before saving)");
        }
        return out;
    }

    private static List<Entry> entries(Path path, Object json, Map<String, String> metadata) throws SafetensorsException {
        if (!(json instanceof Map)) {
            throw new SafetensorsException(path, "header is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) json).entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map)) {
                    throw new SafetensorsException(path, "__metadata__ is not an object");
                }
                for (Map.Entry<?, ?> m : ((Map<?, ?>) e.getValue()).entrySet()) {
                    if (!(m.getValue() instanceof String)) {
                        throw new SafetensorsException(path, "__metadata__ value of \"" + m.getKey() + "\" is not a string");
                    }
                    metadata.put((String) m.getKey(), (String) m.getValue());
                }
                continue;
            }
            if (!(e.getValue() instanceof Map)) {
                throw new SafetensorsException(path, "tensor \"" + name + "\" is not described by an object");
            }
            Map<?, ?> info = (Map<?, ?>) e.getValue();
            if (!info.keySet().equals(Set.of("dtype", "shape", "data_offsets"))) {
                throw new SafetensorsException(path, "tensor \"" + name + "\" must have exactly dtype, shape and"
                        + " data_offsets, has " + info.keySet());
            }
            if (!(info.get("dtype") instanceof String) || !DTYPE_BYTES.containsKey(info.get("dtype"))) {
                throw new SafetensorsException(path, "tensor \"" + name + "\" has an unknown dtype " + info.get("dtype"));
            }
            long[] shape = longs(path, name, "shape", info.get("shape"), -1);
            long[] offsets = longs(path, name, "data_offsets", info.get("data_offsets"), 2);
            int[] dims = new int[shape.length];
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] > Integer.MAX_VALUE) {
                    throw new SafetensorsException(path, "tensor \"" + name + "\" has dimension " + shape[i]
                            + ", too large");
                }
                dims[i] = (int) shape[i];
            }
            entries.add(new Entry(name, (String) info.get("dtype"), dims, offsets[0], offsets[1]));
        }
        return entries;
    }

    private static long[] longs(Path path, String name, String field, Object value, int length)
            throws SafetensorsException {
        if (!(value instanceof List)) {
            throw new SafetensorsException(path, "tensor \"" + name + "\": " + field + " is not an array");
        }
        List<?> list = (List<?>) value;
        if (length >= 0 && list.size() != length) {
            throw new SafetensorsException(path, "tensor \"" + name + "\": " + field + " has " + list.size()
                    + " entries, expected " + length);
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long) || (Long) list.get(i) < 0) {
                throw new SafetensorsException(path, "tensor \"" + name + "\": " + field + " holds " + list.get(i)
                        + ", not a non-negative integer");
            }
            out[i] = (Long) list.get(i);
        }
        return out;
    }

    private static void checkLayout(Path path, List<Entry> entries, long dataSize) throws SafetensorsException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : sorted) {
            if (e.end() < e.begin()) {
                throw new SafetensorsException(path, "tensor \"" + e.name() + "\" ends (" + e.end() + ") before it"
                        + " begins (" + e.begin() + ")");
            }
            if (e.begin() != expected) {
                throw new SafetensorsException(path, "tensor \"" + e.name() + "\" begins at byte " + e.begin()
                        + ", expected " + expected + (e.begin() > expected ? " (a gap)" : " (an overlap)"));
            }
            long bytes;
            try {
                bytes = DTYPE_BYTES.get(e.dtype());
                for (int d : e.shape()) {
                    bytes = Math.multiplyExact(bytes, d);
                }
            } catch (ArithmeticException x) {
                throw new SafetensorsException(path, "tensor \"" + e.name() + "\": shape " + dimsJson(e.shape())
                        + " overflows");
            }
            if (bytes != e.end() - e.begin()) {
                throw new SafetensorsException(path, "tensor \"" + e.name() + "\" holds " + (e.end() - e.begin())
                        + " bytes, but " + e.dtype() + " " + dimsJson(e.shape()) + " needs " + bytes);
            }
            expected = e.end();
        }
        if (expected > dataSize) {
            throw new SafetensorsException(path, "data runs past the end of the file (" + expected + " bytes declared, "
                    + dataSize + " present)");
        }
        if (expected < dataSize) {
            throw new SafetensorsException(path, (dataSize - expected) + " trailing bytes after the data");
        }
    }

    private static ByteBuffer readAt(FileChannel channel, long position, int length, Path path) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new SafetensorsException(path, "file ended while reading");
            }
        }
        return buffer.flip();
    }
}
