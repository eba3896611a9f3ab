package dev.nn.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints tensors as NumPy prints arrays: nested brackets, aligned columns, integers as
 * {@code 1.}, scientific notation when magnitudes span a wide range, and the middle elided
 * ({@code ...}) beyond 1000 elements, keeping three items at each edge.
 */
final class TensorFormat {

    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        if (t.rank() == 0) {
            return render(t.data[t.offset], style(new float[] {t.data[t.offset]}));
        }
        boolean elide = t.size() > THRESHOLD;
        float[] shown = shownValues(t, elide);
        Style style = style(shown);
        // Columns align on the decimal point, as NumPy aligns them: widest integer part on the
        // left, widest fraction on the right.
        int intWidth = 0;
        int fracWidth = 0;
        for (float v : shown) {
            String s = render(v, style);
            int dot = style == Style.DECIMAL ? s.indexOf('.') : -1;
            intWidth = Math.max(intWidth, dot < 0 ? s.length() : dot);
            fracWidth = Math.max(fracWidth, dot < 0 ? 0 : s.length() - dot);
        }
        StringBuilder sb = new StringBuilder();
        block(t, 0, t.offset, elide, style, intWidth, fracWidth, sb);
        return sb.toString();
    }

    private static void block(Tensor t, int dim, int offset, boolean elide, Style style, int intWidth, int fracWidth,
                              StringBuilder sb) {
        int n = t.shape.dim(dim);
        int stride = t.shape.stride(dim);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (elide && n > 2 * EDGE && i == EDGE) {
                sb.append("...");
                i = n - EDGE - 1;
                separator(t, dim, sb);
                continue;
            }
            if (dim == t.rank() - 1) {
                String s = render(t.data[offset + i], style);
                int dot = style == Style.DECIMAL ? s.indexOf('.') : -1;
                int intPart = dot < 0 ? s.length() : dot;
                int fracPart = dot < 0 ? 0 : s.length() - dot;
                sb.append(" ".repeat(intWidth - intPart)).append(s).append(" ".repeat(fracWidth - fracPart));
            } else {
                block(t, dim + 1, offset + i * stride, elide, style, intWidth, fracWidth, sb);
            }
            if (i < n - 1) {
                separator(t, dim, sb);
            }
        }
        sb.append(']');
    }

    private static void separator(Tensor t, int dim, StringBuilder sb) {
        sb.append(',');
        int below = t.rank() - 1 - dim;
        if (below == 0) {
            sb.append(' ');
        } else {
            sb.append("\n".repeat(below)).append(" ".repeat(dim + 1));
        }
    }

    private static float[] shownValues(Tensor t, boolean elide) {
        if (!elide) {
            return t.toArray();
        }
        // Only the edges are printed, so only they decide the format.
        List<Float> values = new ArrayList<>();
        collect(t, 0, t.offset, values);
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return v;
    }

    private static void collect(Tensor t, int dim, int offset, List<Float> out) {
        int n = t.shape.dim(dim);
        for (int i = 0; i < n; i++) {
            if (n > 2 * EDGE && i == EDGE) {
                i = n - EDGE;
            }
            if (dim == t.rank() - 1) {
                out.add(t.data[offset + i]);
            } else {
                collect(t, dim + 1, offset + i * t.shape.stride(dim), out);
            }
        }
    }

    private enum Style { INTEGER, DECIMAL, SCIENTIFIC }

    private static Style style(float[] values) {
        float maxAbs = 0f;
        float minAbs = Float.POSITIVE_INFINITY;
        boolean integers = true;
        for (float v : values) {
            if (!Float.isFinite(v)) {
                continue;
            }
            float a = Math.abs(v);
            maxAbs = Math.max(maxAbs, a);
            if (a != 0f) {
                minAbs = Math.min(minAbs, a);
            }
            integers &= v == Math.rint(v);
        }
        if (maxAbs >= 1e8f || (minAbs != Float.POSITIVE_INFINITY && (minAbs < 1e-4f || maxAbs / minAbs > 1e3f) && !integers)) {
            return Style.SCIENTIFIC;
        }
        return integers ? Style.INTEGER : Style.DECIMAL;
    }

    private static String render(float v, Style style) {
        if (Float.isNaN(v)) {
            return "nan";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        switch (style) {
            case INTEGER:
                return (v == 0f && 1f / v < 0f ? "-" : "") + (long) v + ".";
            case SCIENTIFIC:
                return String.format(Locale.ROOT, "%.4e", v);
            default:
                // Shortest decimal that reads back as the same float, at most 8 significant digits.
                BigDecimal d = new BigDecimal(Float.toString(v));
                if (d.precision() > 8) {
                    d = d.round(new MathContext(8));
                }
                String s = d.stripTrailingZeros().toPlainString();
                return s.contains(".") ? s : s + ".";
        }
    }
}
