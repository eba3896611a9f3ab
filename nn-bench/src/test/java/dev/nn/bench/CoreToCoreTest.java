package dev.nn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CoreToCoreTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyTripCompletes_andTakesAPositiveTime() throws InterruptedException {
        // Few trips: on a loaded two-core machine a spinning partner may wait a scheduler slice per trip.
        double ns = CoreToCore.roundTripNanos(1_000);
        assertTrue(ns > 0 && Double.isFinite(ns), "round trip " + ns);
    }

    @Test
    void reportsTheMedianFirst_inTheFormTheScriptReads() throws IOException {
        String line = CoreToCore.report(new double[] {340.4, 66.2, 70.6, 338.0, 65.1});
        assertEquals("71 ns round trip (passes: 340 66 71 338 65)", line);
        String script = Files.readString(Path.of("compare_mlp.py"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("CORE_TO_CORE = re\\.compile\\(r\"(.+)\"\\)").matcher(script);
        assertTrue(m.find(), "CORE_TO_CORE not found in compare_mlp.py");
        Matcher read = Pattern.compile(m.group(1)).matcher(line);
        assertTrue(read.find(), line + " does not match " + m.group(1));
        assertEquals("71", read.group(1));
    }
}
