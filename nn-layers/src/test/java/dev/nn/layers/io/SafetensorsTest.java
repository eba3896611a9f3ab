package dev.nn.layers.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors reader and writer: round trips, the validation order, truncations, bit flips, atomic writes. */
class SafetensorsTest {

    @TempDir
    Path dir;

    static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("0.weight", Tensor.randn(new Generator(1), 3, 5));
        m.put("0.bias", Tensor.of(new float[] {Float.NaN, -0f, Float.MIN_VALUE, Float.NEGATIVE_INFINITY, 1e-42f}, 5));
        m.put("scale", Tensor.scalar(2.5f));
        m.put("empty", Tensor.zeros(0, 4));
        m.put("naïve \"name\"", Tensor.ones(2));
        return m;
    }

    @Test
    void roundTrip_bitExact_withMetadataAndAlignedData() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, sample(), Map.of("format", "pt", "note", "ünïcode"));
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(sample(), c.tensors());
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        assertTrue(meta.remove(Safetensors.CHECKSUM).matches("[0-9a-f]{8}"), c.metadata().toString());
        assertEquals(Map.of("format", "pt", "note", "ünïcode"), meta);
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8);
        assertEquals(8 + headerLength + 4 * (15 + 5 + 1 + 0 + 2), Files.size(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    static byte[] file(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        return b.array();
    }

    String reason(byte[] bytes) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, bytes);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        return e.getMessage().substring(f.toString().length() + 2);
    }

    @Test
    void validation_eachRuleHasItsReason() throws IOException {
        String t = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertEquals("file is 5 bytes, shorter than the 8-byte header length", reason(new byte[5]));
        byte[] huge = file(t, 8);
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertEquals("header length 18446744073709551615 exceeds the limit of 100000000 bytes", reason(huge));
        byte[] past = file(t, 8);
        ByteBuffer.wrap(past).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        assertEquals("header length 1000 runs past the end of the file (" + past.length + " bytes)", reason(past));
        byte[] utf = file(t, 8);
        utf[10] = (byte) 0xC3;
        utf[11] = (byte) 0x28;
        assertEquals("header is not valid UTF-8", reason(utf));
        assertEquals("header is not valid JSON: unexpected end at offset 53", reason(file(t.replace("}}", "}"), 8)));
        assertEquals("header is not valid JSON: duplicate key \"a\" at offset 54",
                reason(file(t.replace("}}", "},\"a\":{}}"), 8)));
        assertEquals("header is not a JSON object", reason(file("[1]", 0)));
        assertEquals("tensor \"a\" must have exactly dtype, shape and data_offsets, has [dtype, shape]",
                reason(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8)));
        assertEquals("tensor \"a\" has an unknown dtype F33", reason(file(t.replace("F32", "F33"), 8)));
        assertEquals("tensor \"a\": shape holds -2, not a non-negative integer", reason(file(t.replace("[2]", "[-2]"), 8)));
        assertEquals("tensor \"a\" begins at byte 4, expected 0 (a gap)", reason(file(t.replace("[0,8]", "[4,12]"), 12)));
        assertEquals("tensor \"a\" holds 8 bytes, but F32 [3] needs 12", reason(file(t.replace("[2]", "[3]"), 8)));
        assertEquals("tensor \"a\": shape [2147483647,2147483647,4] overflows",
                reason(file(t.replace("[2]", "[2147483647,2147483647,4]"), 8)));
        assertEquals("data runs past the end of the file (8 bytes declared, 4 present)", reason(file(t, 4)));
        assertEquals("4 trailing bytes after the data", reason(file(t, 12)));
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertEquals("tensor \"b\" begins at byte 4, expected 8 (an overlap)", reason(file(two, 12)));
        assertEquals("tensor \"a\" has dtype F8_E4M3, which nn does not read (convert it to a float or integer type"
                + " before saving)", reason(file(t.replace("F32", "F8_E4M3").replace("[0,8]", "[0,2]"), 2)));
    }

    @Test
    void everyTruncation_isRejectedWithTheTypedException() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, sample(), Map.of());
        byte[] bytes = Files.readAllBytes(good);
        Path f = dir.resolve("cut.safetensors");
        for (int len = 0; len < bytes.length; len++) {
            Files.write(f, java.util.Arrays.copyOf(bytes, len));
            try {
                Safetensors.read(f);
                fail("a file cut to " + len + " of " + bytes.length + " bytes was accepted");
            } catch (SafetensorsException expected) {
                // the one typed exception
            }
        }
    }

    @Test
    void randomBitFlips_eitherLoadOrFailWithTheTypedException() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, sample(), Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(good);
        long headerEnd = 8 + ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Random r = new Random(12);
        Path f = dir.resolve("flipped.safetensors");
        int rejected = 0;
        for (int trial = 0; trial < 2000; trial++) {
            byte[] b = bytes.clone();
            int at = r.nextInt((int) headerEnd);                 // flips in the data change values, not validity
            b[at] ^= (byte) (1 << r.nextInt(8));
            Files.write(f, b);
            try {
                Safetensors.read(f);
            } catch (SafetensorsException e) {
                rejected++;
            } catch (RuntimeException | OutOfMemoryError e) {
                throw new AssertionError("flip at byte " + at + " escaped as " + e, e);
            }
        }
        assertTrue(rejected > 1500, "only " + rejected + " of 2000 header flips were rejected");
    }

    /** A file of one tensor {@code a} of {@code dtype} and shape [n], holding {@code data} (little-endian). */
    static byte[] oneTensor(String dtype, int n, byte[] data) {
        String header = "{\"a\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + n + "],\"data_offsets\":[0," + data.length
                + "]}}";
        byte[] f = file(header, data.length);
        System.arraycopy(data, 0, f, f.length - data.length, data.length);
        return f;
    }

    static byte[] le(int bytesEach, long... values) {
        ByteBuffer b = ByteBuffer.allocate(bytesEach * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bytesEach) {
                case 8 -> b.putLong(v);
                case 4 -> b.putInt((int) v);
                case 2 -> b.putShort((short) v);
                default -> b.put((byte) v);
            }
        }
        return b.array();
    }

    Safetensors.Contents readBytes(byte[] bytes) throws IOException {
        Path f = dir.resolve("typed.safetensors");
        Files.write(f, bytes);
        return Safetensors.read(f);
    }

    @Test
    void dtypes_floatAndIntegerTypes_convertedExactly_andNamedInContents() throws IOException {
        long[] f64 = {Double.doubleToLongBits(1.5), Double.doubleToLongBits(-2.25), Double.doubleToLongBits(1e-300)};
        assertArrayEquals(new float[] {1.5f, -2.25f, 0f}, readBytes(oneTensor("F64", 3, le(8, f64))).tensors().get("a")
                .toArray());
        // 1, -2, 65504 (the largest half), 2^-24 (the smallest subnormal), +inf, -0
        Safetensors.Contents half = readBytes(oneTensor("F16", 6, le(2, 0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00,
                0x8000)));
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, -0f},
                half.tensors().get("a").toArray());
        assertEquals(Map.of("a", "F16"), half.dtypes());
        assertArrayEquals(new float[] {1f, -3.140625f}, readBytes(oneTensor("BF16", 2, le(2, 0x3F80, 0xC049)))
                .tensors().get("a").toArray());
        assertArrayEquals(new float[] {5, -7, 1 << 24}, readBytes(oneTensor("I64", 3, le(8, 5, -7, 1 << 24)))
                .tensors().get("a").toArray());
        assertArrayEquals(new float[] {123, -1}, readBytes(oneTensor("I32", 2, le(4, 123, -1))).tensors().get("a")
                .toArray());
        assertArrayEquals(new float[] {4294967040f}, readBytes(oneTensor("U32", 1, le(4, 0xFFFFFF00L))).tensors()
                .get("a").toArray());       // 2^32 - 256: unsigned, and a float exactly
        assertArrayEquals(new float[] {0, 255}, readBytes(oneTensor("U8", 2, le(1, 0, 255))).tensors().get("a")
                .toArray());
        assertArrayEquals(new float[] {1, 0}, readBytes(oneTensor("BOOL", 2, le(1, 1, 0))).tensors().get("a")
                .toArray());
        assertEquals("tensor \"a\" holds the integer 16777217 at index 1, which float32 cannot hold exactly",
                reason(oneTensor("I64", 2, le(8, 3, (1 << 24) + 1))));
        assertEquals("tensor \"a\" holds the integer 18446744073709551615 at index 0, which float32 cannot hold"
                + " exactly", reason(oneTensor("U64", 1, le(8, -1))));
        assertEquals("tensor \"a\" holds 1.0E39 at index 0, beyond float32's range",
                reason(oneTensor("F64", 1, le(8, Double.doubleToLongBits(1e39)))));
    }

    @Test
    void bf16_written_roundedToNearestEven_andReadBack() throws IOException {
        Path f = dir.resolve("half.safetensors");
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7 (to 1, even); 1 + 3·2^-8 halfway to 1 + 2^-6 (even).
        Tensor t = Tensor.of(new float[] {1f, 1.00390625f, 1.01171875f, -2.5f, Float.NaN, 3.3f}, 6);
        Safetensors.write(f, Map.of("t", t), Map.of(), Safetensors.Dtype.BF16);
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(Map.of("t", "BF16"), c.dtypes());
        float[] back = c.tensors().get("t").toArray();
        assertArrayEquals(new float[] {1f, 1f, 1.015625f, -2.5f}, java.util.Arrays.copyOf(back, 4));
        assertTrue(Float.isNaN(back[4]));
        assertEquals(3.296875f, back[5]);
        long header = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(8 + header + 2 * 6, Files.size(f));
    }

    @Test
    void checksum_aFlippedDataBit_isRefused() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, sample(), Map.of());
        byte[] bytes = Files.readAllBytes(good);
        long headerEnd = 8 + ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Random r = new Random(13);
        for (int trial = 0; trial < 200; trial++) {
            byte[] b = bytes.clone();
            int at = (int) headerEnd + r.nextInt((int) (bytes.length - headerEnd));
            b[at] ^= (byte) (1 << r.nextInt(8));
            String why = reason(b);
            assertTrue(why.matches("the data's CRC-32C is [0-9a-f]{8}, the header records [0-9a-f]{8}: the file is"
                    + " damaged"), why);
        }
        assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(good, sample(), Map.of(Safetensors.CHECKSUM, "0")));
    }

    @Test
    void failedWrite_leavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, sample(), Map.of());
        byte[] before = Files.readAllBytes(f);
        Map<String, Tensor> failing = new LinkedHashMap<>(sample()) {
            @Override
            public Collection<Tensor> values() {
                throw new IllegalStateException("disk full, say");
            }
        };
        assertThrows(IllegalStateException.class, () -> Safetensors.write(f, failing, Map.of()));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
