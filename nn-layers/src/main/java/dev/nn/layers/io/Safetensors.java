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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes name→tensor maps in the safetensors format: an 8-byte little-endian header
 * length, a UTF-8 JSON header ({@code dtype}, {@code shape}, {@code data_offsets} per tensor and
 * an optional string→string {@code __metadata__}), then the tensors' bytes, little-endian,
 * contiguous and 8-byte aligned. Files written here load in PyTorch; files PyTorch writes with
 * float32 tensors load here.
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

    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
            Map.entry("F64", 8), Map.entry("F32", 4), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("I64", 8), Map.entry("I32", 4), Map.entry("I16", 2), Map.entry("I8", 1),
            Map.entry("U64", 8), Map.entry("U32", 4), Map.entry("U16", 2), Map.entry("U8", 1),
            Map.entry("BOOL", 1), Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1));

    private Safetensors() {
    }

    /** What a file holds: tensors by name (in file order) and the metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    // ---- writing -----------------------------------------------------------------------------

    /** Writes {@code tensors} (float32) and {@code metadata} to {@code path}, atomically. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        StringBuilder header = new StringBuilder("{");
        if (metadata != null && !metadata.isEmpty()) {
            header.append("\"__metadata__\":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                header.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                first = false;
            }
            header.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("safetensors: tensor name \"" + e.getKey() + "\" is not allowed");
            }
            long bytes = 4L * e.getValue().size();
            header.append(header.length() > 1 ? "," : "").append(Json.quote(e.getKey()))
                    .append(":{\"dtype\":\"F32\",\"shape\":").append(dimsJson(e.getValue().shape().dims()))
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
        AtomicFiles.write(path, channel -> {
            writeFully(channel, head);
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                float[] values = t.toArray();
                for (float v : values) {
                    if (buffer.remaining() < 4) {
                        buffer.flip();
                        writeFully(channel, buffer);
                        buffer.clear();
                    }
                    buffer.putFloat(v);
                }
            }
            buffer.flip();
            writeFully(channel, buffer);
        });
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
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                if (!e.dtype().equals("F32")) {
                    throw new SafetensorsException(path, "tensor \"" + e.name() + "\" has dtype " + e.dtype()
                            + "; only F32 is supported (convert with tensor.float() before saving)");
                }
                if (e.end() - e.begin() > Integer.MAX_VALUE - 8) {
                    throw new SafetensorsException(path, "tensor \"" + e.name() + "\" has " + (e.end() - e.begin())
                            + " bytes, more than a Java array holds");
                }
                int count = (int) ((e.end() - e.begin()) / 4);
                ByteBuffer bytes = readAt(channel, 8 + n + e.begin(), count * 4, path).order(ByteOrder.LITTLE_ENDIAN);
                float[] values = new float[count];
                bytes.asFloatBuffer().get(values);
                tensors.put(e.name(), Tensor.of(values, e.shape()));
            }
            return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
        }
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
