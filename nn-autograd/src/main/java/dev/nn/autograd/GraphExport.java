package dev.nn.autograd;

import dev.nn.core.Tensor;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Draws a result's graph as Graphviz DOT, the way the lecture draws it: operations are gates,
 * and each edge carries the value flowing forward above it and, once backward has run, the
 * gradient flowing back below it (in red).
 *
 * <pre>{@code
 * Files.writeString(Path.of("graph.dot"), GraphExport.toDot(f));   // dot -Tsvg graph.dot > graph.svg
 * }</pre>
 *
 * <p>Leaves appear by their {@link Variable#name()} (or as "input 1", "input 2", ...), named intermediates
 * by name on their edge; values of up to four elements are printed, larger ones by shape.
 */
public final class GraphExport {

    private GraphExport() {
    }

    /** Returns the DOT text of the graph that produced {@code output}. */
    public static String toDot(Variable output) {
        StringBuilder dot = new StringBuilder("digraph G {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n"
                + "  edge [fontname=\"Helvetica\", fontsize=10];\n");
        Map<Object, String> ids = new IdentityHashMap<>();
        int[] leaves = {0};   // unnamed leaves are labelled "input 1", "input 2", ... in drawing order
        Set<Node> expanded = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> todo = new ArrayDeque<>();
        dot.append("  out [shape=plaintext, label=\"").append(escape(label(output, "output"))).append("\"];\n");
        edge(dot, source(output, ids, leaves, dot), "out", output);
        if (output.node() != null) {
            todo.push(output.node());
            expanded.add(output.node());
        }
        while (!todo.isEmpty()) {
            Node node = todo.pop();
            for (Variable in : node.inputs) {
                edge(dot, source(in, ids, leaves, dot), ids.get(node), in);
                if (in.node() != null && expanded.add(in.node())) {
                    todo.push(in.node());
                }
            }
        }
        return dot.append("}\n").toString();
    }

    private static void edge(StringBuilder dot, String from, String to, Variable carried) {
        dot.append("  ").append(from).append(" -> ").append(to).append(" [label=").append(edgeLabel(carried))
                .append("];\n");
    }

    /** Returns the id of the node an edge carrying {@code v} starts from (its gate, or the leaf), declaring it once. */
    private static String source(Variable v, Map<Object, String> ids, int[] leaves, StringBuilder dot) {
        Object key = v.node() != null ? v.node() : v;
        String id = ids.get(key);
        if (id != null) {
            return id;
        }
        int n = ids.size();
        if (v.node() != null) {
            id = "op" + n;
            ids.put(key, id);
            dot.append("  ").append(id).append(" [shape=circle, label=\"").append(escape(v.node().function.name()))
                    .append("\"];\n");
        } else {
            id = "leaf" + n;
            ids.put(key, id);
            leaves[0]++;
            dot.append("  ").append(id).append(" [shape=plaintext, label=\"")
                    .append(escape(label(v, "input " + leaves[0]))).append("\"];\n");
        }
        return id;
    }

    private static String label(Variable v, String fallback) {
        return v.name() != null ? v.name() : fallback;
    }

    /** Returns an HTML-like label: the value in green above (with the name of a named intermediate), the gradient in red below. */
    private static String edgeLabel(Variable v) {
        String prefix = v.name() != null && !v.isLeaf() ? v.name() + " = " : "";
        String value = "<font color=\"darkgreen\">" + html(prefix + format(v.value())) + "</font>";
        if (v.grad() == null) {
            return "<" + value + ">";
        }
        return "<" + value + "<br/><font color=\"red\">" + html(format(v.grad())) + "</font>>";
    }

    static String format(Tensor t) {
        if (t.size() > 4) {
            return t.shape().toString();
        }
        StringBuilder s = new StringBuilder();
        float[] a = t.toArray();
        for (int i = 0; i < a.length; i++) {
            s.append(i == 0 ? "" : ", ").append(number(a[i]));
        }
        return t.rank() == 0 ? s.toString() : "[" + s + "]";
    }

    private static String number(float x) {
        if (!Float.isFinite(x)) {
            return Float.toString(x);
        }
        String s = String.format(Locale.ROOT, "%.3f", x);
        s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s.equals("-0") ? "0" : s;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
