package dev.nn.layers.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict JSON reader: values, escapes, and what it refuses. */
class JsonTest {

    @Test
    void parse_valuesAndEscapes() throws Exception {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", List.of(1L, -2L, 0.5, 1e3));
        expected.put("s", "q\"\\/\b\f\n\r\té");
        expected.put("t", true);
        expected.put("f", false);
        expected.put("n", null);
        expected.put("o", Map.of());
        assertEquals(expected, Json.parse(" {\"a\":[1,-2,0.5,1e3],\"s\":\"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\","
                + "\"t\":true,\"f\":false,\"n\":null,\"o\":{}} "));
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", Json.quote("a\"b\\c\n\u0001"));
        assertEquals("é\u0001", Json.parse(Json.quote("é\u0001")));
    }

    @Test
    void parse_refusesWhatIsNotJson() {
        for (String[] c : new String[][] {
            {"{\"a\":1,}", "expected a string key at offset 7"},
            {"[1,]", "unexpected character ']' at offset 3"},
            {"01", "unexpected text after the value at offset 1"},
            {"{\"a\":1} x", "unexpected text after the value at offset 8"},
            {"\"tab\there\"", "control character in a string at offset 4"},
            {"\"\\x\"", "bad escape '\\x' at offset 2"},
            {"99999999999999999999", "integer 99999999999999999999 out of range at offset 0"},
            {"{\"a\":1,\"a\":2}", "duplicate key \"a\" at offset 7"},
            {"", "unexpected end at offset 0"},
            {"nul", "unexpected character 'n' at offset 0"}}) {
            Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(c[0]), c[0]);
            assertEquals(c[1], e.getMessage(), c[0]);
        }
        char[] deep = new char[200];
        Arrays.fill(deep, '[');
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(new String(deep)));
        assertEquals("nesting deeper than 64 at offset 65", e.getMessage());
    }
}
