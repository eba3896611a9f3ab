package dev.nn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documentation is code: every {@code java} block of the README and of {@code docs/*.md} is
 * compiled and run here, so a snippet that stops compiling or working fails the build.
 *
 * <p>A block is the body of a method with nn's packages imported. What it needs but does not
 * show (a model, a data set) comes from an HTML comment just before it, invisible when the page
 * is rendered: {@code <!-- context: ... -->}; statements that check what it computed run after it,
 * from {@code <!-- check: ... -->} (also before the block). {@code <!-- compile-only -->} before a block
 * compiles it without running it; {@code <!-- class -->} takes the block as a top-level class.
 * The blocks run in one child JVM whose working directory is a fresh temporary one; the
 * property {@code docs.data} names {@code docs/data}, where data files a context copies come from.
 */
class DocSnippetsTest {

    static final List<String> IMPORTS = List.of("dev.nn.core.*", "dev.nn.core.function.*", "dev.nn.autograd.*",
            "dev.nn.layers.*", "dev.nn.layers.Module", "dev.nn.layers.init.*", "dev.nn.layers.io.*",
            "dev.nn.layers.loss.*", "dev.nn.optim.*", "dev.nn.optim.data.*", "dev.nn.optim.train.*", "dev.nn.spark.*",
            "java.nio.file.*", "java.util.*");

    @TempDir
    Path dir;

    /** One java block: where it is, the code, its context, and how it is taken. */
    record Snippet(String source, int line, String code, String context, String check, boolean run,
                   boolean isClass) {
        String className() {
            return "S" + source.replaceAll("[^A-Za-z0-9]", "_") + "_" + line;
        }
    }

    static List<Path> pages() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> s = Files.list(docs)) {
                pages.addAll(s.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList()));
            }
        }
        return pages;
    }

    /** Returns the java blocks of a page, with the comment directives just before each. */
    static List<Snippet> snippets(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        String name = page.getParent().getFileName() + "/" + page.getFileName();
        List<Snippet> out = new ArrayList<>();
        StringBuilder context = new StringBuilder();
        StringBuilder check = new StringBuilder();
        boolean run = true;
        boolean isClass = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.startsWith("<!-- context:") || line.startsWith("<!-- check:")) {
                StringBuilder into = line.startsWith("<!-- context:") ? context : check;
                String rest = line.substring(line.indexOf(':') + 1);
                while (!rest.trim().endsWith("-->")) {
                    into.append(rest).append('\n');
                    rest = lines.get(++i);
                }
                into.append(rest, 0, rest.lastIndexOf("-->")).append('\n');
            } else if (line.equals("<!-- compile-only -->")) {
                run = false;
            } else if (line.equals("<!-- class -->")) {
                isClass = true;
            } else if (line.equals("```java")) {
                int start = i + 1;
                StringBuilder code = new StringBuilder();
                while (!lines.get(++i).trim().equals("```")) {
                    code.append(lines.get(i)).append('\n');
                }
                out.add(new Snippet(name, start, code.toString(), context.toString(), check.toString(), run,
                        isClass));
                context.setLength(0);
                check.setLength(0);
                run = true;
                isClass = false;
            } else if (!line.isEmpty() && !line.startsWith("<!--")) {
                // A directive applies only to the block right after it (blank lines allowed between).
                context.setLength(0);
                check.setLength(0);
                run = true;
                isClass = false;
            }
        }
        return out;
    }

    static String source(Snippet s) {
        StringBuilder j = new StringBuilder("package snippets;\n\n");
        for (String i : IMPORTS) {
            j.append("import ").append(i).append(";\n");
        }
        j.append("\n// ").append(s.source()).append(", the block at line ").append(s.line()).append('\n');
        if (s.isClass()) {
            return j.append(s.code()).toString();
        }
        return j.append("public class ").append(s.className()).append(" {\n")
                .append("    public static void run() throws Exception {\n")
                .append(s.context()).append(s.code()).append(s.check())
                .append("    }\n}\n").toString();
    }

    private static String run(List<String> cmd, Path cwd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", cmd.subList(0, Math.min(3, cmd.size()))) + " failed:\n" + out);
        return out;
    }

    @Test
    void everyJavaBlockInTheReadmeAndDocs_compilesAndRuns() throws Exception {
        List<Snippet> all = new ArrayList<>();
        for (Path page : pages()) {
            all.addAll(snippets(page));
        }
        assertTrue(all.size() >= 7, "found only " + all.size() + " blocks");
        Path src = Files.createDirectories(dir.resolve("src/snippets"));
        List<String> files = new ArrayList<>();
        StringBuilder main = new StringBuilder("package snippets;\n\npublic class Main {\n"
                + "    public static void main(String[] args) throws Exception {\n");
        for (Snippet s : all) {
            String code = source(s);
            String cls = s.isClass() ? code.replaceAll("(?s).*?(?:class|record|interface|enum) (\\w+).*", "$1")
                    : s.className();
            Path f = src.resolve(cls + ".java");
            Files.writeString(f, code);
            files.add(f.toString());
            if (s.run() && !s.isClass()) {
                main.append("        System.out.println(\"running ").append(s.source()).append(':').append(s.line())
                        .append("\");\n        ").append(cls).append(".run();\n");
            }
        }
        main.append("    }\n}\n");
        Path mainFile = src.resolve("Main.java");
        Files.writeString(mainFile, main);
        files.add(mainFile.toString());
        Path classes = dir.resolve("classes");
        String classPath = System.getProperty("java.class.path");
        String bin = Path.of(System.getProperty("java.home"), "bin").toString();
        List<String> javac = new ArrayList<>(List.of(bin + File.separator + "javac", "--add-modules",
                "jdk.incubator.vector", "-Xlint:-options", "-nowarn", "-cp", classPath, "-d", classes.toString()));
        javac.addAll(files);
        run(javac, dir);
        Path work = Files.createDirectories(dir.resolve("work"));
        String out = run(List.of(bin + File.separator + "java", "--add-modules", "jdk.incubator.vector",
                "-Djava.awt.headless=true", "-Ddocs.data=" + Path.of("../docs/data").toAbsolutePath().normalize(),
                "-cp", classPath + File.pathSeparator + classes, "snippets.Main"), work);
        long ran = out.lines().filter(l -> l.startsWith("running ")).count();
        assertEquals(all.stream().filter(s -> s.run() && !s.isClass()).count(), ran, out);
    }
}
