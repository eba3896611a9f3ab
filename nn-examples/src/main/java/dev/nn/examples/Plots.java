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
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Small PNG pictures drawn with Java2D: class regions with points, curves over epochs, fits, digit grids. */
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

    /** Data points, a fitted curve (blue) and the true curve (grey) over the same x grid. */
    static void fit(Path file, String title, float[] xs, float[] ys, float[] grid, float[] fit, float[] truth)
            throws IOException {
        int w = 640;
        int h = 420;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : ys) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float xlo = grid[0];
        float xhi = grid[grid.length - 1];
        int left = 40;
        int top = 40;
        int pw = w - 60;
        int ph = h - 80;
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.drawString(title, 8, 20);
        for (int i = 0; i < xs.length; i++) {
            int px = left + Math.round((xs[i] - xlo) / (xhi - xlo) * pw);
            int py = top + Math.round((hi - ys[i]) / (hi - lo) * ph);
            g.setColor(POINT[0]);
            g.fillOval(px - 2, py - 2, 5, 5);
        }
        float[][] lines = {truth, fit};
        Color[] colours = {Color.GRAY, POINT[2]};
        for (int k = 0; k < 2; k++) {
            g.setColor(colours[k]);
            g.setStroke(new BasicStroke(k == 0 ? 1.5f : 2.5f));
            for (int i = 1; i < grid.length; i++) {
                int xa = left + Math.round((grid[i - 1] - xlo) / (xhi - xlo) * pw);
                int xb = left + Math.round((grid[i] - xlo) / (xhi - xlo) * pw);
                int ya = top + Math.round((hi - lines[k][i - 1]) / (hi - lo) * ph);
                int yb = top + Math.round((hi - lines[k][i]) / (hi - lo) * ph);
                g.drawLine(xa, ya, xb, yb);
            }
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.BLACK);
        g.drawString("data (red), fit (blue), sin x (grey)", left, h - 15);
        write(img, g, file);
    }

    /** A grid of grey-scale images ({@code side}² values in [0, 1] each) with a caption under each. */
    static void digits(Path file, String title, List<float[]> images, List<String> captions, int side)
            throws IOException {
        int scale = 3;
        int cell = side * scale + 10;
        int cols = 8;
        int rows = Math.max(1, (images.size() + cols - 1) / cols);
        BufferedImage img = new BufferedImage(cols * cell, rows * (cell + 14) + 28, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setColor(Color.BLACK);
        g.drawString(title, 8, 19);
        for (int k = 0; k < images.size(); k++) {
            int x0 = (k % cols) * cell + 5;
            int y0 = 28 + (k / cols) * (cell + 14);
            float[] a = images.get(k);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int v = 255 - Math.round(255 * Math.max(0f, Math.min(1f, a[y * side + x])));
                    g.setColor(new Color(v, v, v));
                    g.fillRect(x0 + x * scale, y0 + y * scale, scale, scale);
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(captions.get(k), x0 + side * scale / 2 - 12, y0 + side * scale + 13);
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
