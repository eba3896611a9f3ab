package dev.nn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A smoke test per example at small size: the outcome asserted, the pictures decodable as PNG. */
class ExamplesTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static void assertPng(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " is not a decodable image");
        assertTrue(img.getWidth() > 100 && img.getHeight() > 100, file + " is too small");
    }

    @Test
    void spiral_networkSeparatesTheArms_linearCannot_picturesWritten() throws Exception {
        Spiral spiral = new Spiral();
        new CommandLine(spiral).parseArgs("--epochs", "120", "--out", dir.toString(), "--seed", "3");
        Spiral.Result r = spiral.run();
        assertTrue(r.networkAccuracy() > 0.97, "two-layer accuracy " + r.networkAccuracy());
        assertTrue(r.linearAccuracy() < 0.7, "linear accuracy " + r.linearAccuracy());
        for (String f : new String[] {"spiral-linear.png", "spiral-two-layer.png", "spiral-curves.png"}) {
            assertPng(dir.resolve(f));
        }
    }

    @Test
    void graph_printsTheLectureNumbers_andWritesDot() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Graph graph = new Graph();
        int status;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            status = new CommandLine(graph).execute("--out", dir.toString());
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, status);
        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("  f        value -12.                         gradient 1."), text);
        assertTrue(text.contains("  x        value -2.                          gradient -4."), text);
        String dot = Files.readString(dir.resolve("add-mul.dot"));
        assertTrue(dot.contains("q = 3") && dot.contains("color=\"red\">-4<"), dot);
        assertTrue(Files.exists(dir.resolve("sigmoid-neuron.dot")) && Files.exists(dir.resolve("squared-norm.dot")));
        if (Graph.dotAvailable()) {
            assertPng(dir.resolve("add-mul.png"));
            assertTrue(Files.readString(dir.resolve("add-mul.svg")).contains("<svg"));
        }
    }

    @Test
    void commandLine_helpListsTheCommands_unknownCommandFails() {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int help;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            help = Main.run("--help");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, help);
        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("spiral") && text.contains("graph"), text);
        PrintStream savedErr = System.err;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(2, Main.run("no-such-example"));
        } finally {
            System.setErr(savedErr);
        }
    }
}
