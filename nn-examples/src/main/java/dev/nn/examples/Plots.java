package dev.nn.examples;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The examples' PNG pictures: charts (training curves, a fit) drawn with XChart, and the pictures
 * no chart library draws (class regions under the points, grids of digits) with Java2D.
 */
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

    /** A curve over epochs: its legend name and one value per epoch (epoch i at x = i + 1). */
    record Series(String name, double[] values) {
    }

    /**
     * Charts training curves with XChart: losses on a logarithmic axis (a loss that falls by orders
     * of magnitude stays readable), and accuracies, if any, in a second chart beside it from 0 to 1;
     * axes with ticks, a grid and a legend. Points that are not finite (and losses not above 0)
     * are left out.
     */
    static void curves(Path file, String title, List<Series> losses, List<Series> accuracies) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        XYChart loss = chart(title.isEmpty() ? "loss" : title + ": loss", "epoch", "loss");
        loss.getStyler().setYAxisLogarithmic(true);
        for (Series s : losses) {
            add(loss, s, true);
        }
        charts.add(loss);
        if (!accuracies.isEmpty()) {
            XYChart accuracy = chart(title.isEmpty() ? "accuracy" : title + ": accuracy", "epoch", "accuracy");
            accuracy.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
            accuracy.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
            for (Series s : accuracies) {
                add(accuracy, s, false);
            }
            charts.add(accuracy);
        }
        save(file, charts);
    }

    /** Data points, a fitted curve and the true curve over the same x grid, with axes and a legend. */
    static void fit(Path file, String title, float[] xs, float[] ys, float[] grid, float[] fit, float[] truth)
            throws IOException {
        XYChart chart = chart(title, "x", "y");
        chart.getStyler().setMarkerSize(4);
        chart.addSeries("data", doubles(xs), doubles(ys)).setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        chart.addSeries("sin x", doubles(grid), doubles(truth)).setMarker(SeriesMarkers.NONE);
        chart.addSeries("fit", doubles(grid), doubles(fit)).setMarker(SeriesMarkers.NONE);
        save(file, List.of(chart));
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(720).height(440).title(title).xAxisTitle(x).yAxisTitle(y).build();
        XYStyler style = chart.getStyler();
        style.setLegendPosition(Styler.LegendPosition.InsideNE);
        style.setPlotGridLinesVisible(true);
        style.setChartBackgroundColor(Color.WHITE);
        style.setXAxisTickMarkSpacingHint(90);          // epochs 1..300 would otherwise crowd the axis
        return chart;
    }

    private static void add(XYChart chart, Series s, boolean positive) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < s.values().length; i++) {
            double v = s.values()[i];
            if (Double.isFinite(v) && (!positive || v > 0)) {
                x.add(i + 1.0);
                y.add(v);
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(s.name(), x, y).setMarker(SeriesMarkers.NONE);
        }
    }

    private static double[] doubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static void save(Path file, List<XYChart> charts) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(charts, 1, charts.size(), out, BitmapEncoder.BitmapFormat.PNG);
        }
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
