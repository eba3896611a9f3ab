package dev.nn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GemmWindowsTest {

    private static String serve(String requests) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            GemmWindows.serve(new BufferedReader(new StringReader(requests)), out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void serve_answersEachRequestWithMicrosecondsPerCall() throws IOException {
        String[] answers = serve("17x33x65:NT 1 5\n17x33x65:NT 2 5\n64x64x64:TN 1 0\n").split("\n");
        assertEquals(3, answers.length);
        for (String answer : answers) {
            double micros = Double.parseDouble(answer);
            assertTrue(micros > 0 && micros < 1e6, answer);
        }
    }

    @Test
    void serve_rejectsAMalformedRequest() {
        for (String bad : new String[] {"512x512x512:NN 1", "512x512:NN 1 300", "512x512x512:NX 1 300",
            "512x512x512:NN 0 300", "512x512x512:NN 1 -3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> serve(bad + "\n"));
            assertEquals("gemm windows: request '" + bad + "' is not '<shape> <threads> <window ms>' "
                    + "(such as '512x512x512:NN 1 300')", e.getMessage());
        }
    }
}
