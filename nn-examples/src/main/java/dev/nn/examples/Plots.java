package dev.nn.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Small PNG pictures drawn with Java2D: class regions with points, and curves over epochs. */
final class Plots {

    static final Color[] REGION = {new Color(255, 214, 204), new Color(204, 232, 204), new Color(204, 219, 255)};
    static final Color[] POINT = {new Color(204, 51, 17), new Color(34, 136, 51), new Color(51, 85, 204)};

    private Plots() {
    }

    /** A decision map: {@code classAt[y][x]} colours each pixel; points drawn on top, by class. */
    static void decisionMap(Path file, String title, int[][] classAt, float[] xs, float[] ys, int[] labels,
                            float lo, float hi) throws IOException {
        int h = classAt.length;
        int w = classAt[0].length;
        BufferedImage img = new BufferedImage(w, h + 28, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y + 28, REGION[classAt[y][x] % REGION.length].getRGB());
            }
        }
        for (int i = 0; i < xs.length; i++) {
            int px = Math.round((xs[i] - lo) / (hi - lo) * (w - 1));
            int py = 28 + Math.round((hi - ys[i]) / (hi - lo) * (h - 1));
            g.setColor(POINT[labels[i] % POINT.length]);
            g.fillOval(px - 3, py - 3, 7, 7);
            g.setColor(Color.DARK_GRAY);
            g.drawOval(px - 3, py - 3, 7, 7);
        }
        g.setColor(Color.BLACK);
        g.drawString(title, 8, 19);
        write(img, g, file);
    }

    /** Line charts of several series over epochs, one panel per series. */
    static void curves(Path file, String[] names, double[][] series) throws IOException {
        int panelW = 420;
        int panelH = 300;
        BufferedImage img = new BufferedImage(panelW * series.length, panelH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        for (int s = 0; s < series.length; s++) {
            double[] v = series[s];
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double d : v) {
                if (Double.isFinite(d)) {
                    min = Math.min(min, d);
                    max = Math.max(max, d);
                }
            }
            if (!(max > min)) {
                max = min + 1;
            }
            int x0 = s * panelW + 50;
            int y0 = 30;
            int pw = panelW - 70;
            int ph = panelH - 70;
            g.setColor(Color.BLACK);
            g.drawRect(x0, y0, pw, ph);
            g.drawString(names[s], x0, y0 - 10);
            g.drawString(String.format(Locale.ROOT, "%.3g", max), x0 - 45, y0 + 5);
            g.drawString(String.format(Locale.ROOT, "%.3g", min), x0 - 45, y0 + ph);
            g.drawString("epoch " + v.length, x0 + pw - 60, y0 + ph + 18);
            g.setColor(POINT[2]);
            g.setStroke(new BasicStroke(2f));
            for (int i = 1; i < v.length; i++) {
                int xa = x0 + (int) ((i - 1) * (double) pw / Math.max(1, v.length - 1));
                int xb = x0 + (int) (i * (double) pw / Math.max(1, v.length - 1));
                int ya = y0 + ph - (int) ((v[i - 1] - min) / (max - min) * ph);
                int yb = y0 + ph - (int) ((v[i] - min) / (max - min) * ph);
                g.drawLine(xa, ya, xb, yb);
            }
            g.setStroke(new BasicStroke(1f));
        }
        write(img, g, file);
    }

    private static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        return g;
    }

    private static void write(BufferedImage img, Graphics2D g, Path file) throws IOException {
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}
