package dev.nn.optim.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The rows of a CSV file as fields of text, each with the line it starts on: gzip recognised by
 * its first bytes, strict UTF-8, a byte-order mark dropped, RFC 4180 quoting (separators, line
 * breaks and {@code ""} inside quotes), unquoted fields trimmed, blank lines skipped. {@link Csv}
 * turns them into samples.
 */
final class CsvRows {

    private CsvRows() {
    }

    /** One row: the line it starts on and its fields. */
    record Row(int line, String[] fields) {
    }

    /** Returns the rows of the file at {@code path}, fields split at {@code separator}. */
    static List<Row> read(Path path, char separator) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(path)) {
            parse(path, open(raw), separator, rows);
        } catch (CharacterCodingException e) {
            throw new DataFormatException(path, "is not UTF-8 text (or gzipped UTF-8 text): " + e);
        } catch (ZipException | EOFException e) {
            throw new DataFormatException(path, "its gzip data is damaged or cut short (" + e.getMessage() + ")");
        }
        return rows;
    }

    /** Returns the stream's text, gunzipped where it starts as gzip does, decoded strictly as UTF-8. */
    private static Reader open(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        InputStream bytes = gzip ? new GZIPInputStream(in, 1 << 16) : in;
        return new InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /** Splits the text into rows of fields, each with the line it starts on; skips blank lines. */
    private static void parse(Path path, Reader text, char separator, List<Row> rows) throws IOException {
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

    /** Returns how {@code c} reads in a message. */
    static String describe(char c) {
        return c == '\t' ? "a tab" : c == '\n' ? "a line break" : c == '\r' ? "a carriage return"
                : c == ' ' ? "a space" : "'" + c + "'";
    }

    /** A source of characters that counts lines. */
    private static final class Scanner {
        private final Reader in;
        private final char[] buffer = new char[1 << 14];
        private int at;
        private int end;
        int line = 1;
        private boolean afterCr;

        Scanner(Reader in) {
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
