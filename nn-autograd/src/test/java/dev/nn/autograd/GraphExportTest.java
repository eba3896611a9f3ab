package dev.nn.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The DOT drawing of the lecture's graph: values above each edge, gradients below after backward. */
class GraphExportTest {

    @Test
    void lectureGraph_afterBackward_valuesAndGradientsOnEveryEdge() {
        var x = Variable.scalar(-2).requiresGrad().named("x");
        var y = Variable.scalar(5).requiresGrad().named("y");
        var z = Variable.scalar(-4).requiresGrad().named("z");
        var q = x.add(y).named("q");
        var f = q.mul(z).named("f");
        f.backward();
        String green = "<font color=\"darkgreen\">";
        String red = "</font><br/><font color=\"red\">";
        assertEquals("digraph G {\n"
                + "  rankdir=LR;\n"
                + "  node [fontname=\"Helvetica\"];\n"
                + "  edge [fontname=\"Helvetica\", fontsize=10];\n"
                + "  out [shape=plaintext, label=\"f\"];\n"
                + "  op0 [shape=circle, label=\"mul\"];\n"
                + "  op0 -> out [label=<" + green + "f = -12" + red + "1</font>>];\n"
                + "  op1 [shape=circle, label=\"add\"];\n"
                + "  op1 -> op0 [label=<" + green + "q = 3" + red + "-4</font>>];\n"
                + "  leaf2 [shape=plaintext, label=\"z\"];\n"
                + "  leaf2 -> op0 [label=<" + green + "-4" + red + "3</font>>];\n"
                + "  leaf3 [shape=plaintext, label=\"x\"];\n"
                + "  leaf3 -> op1 [label=<" + green + "-2" + red + "-4</font>>];\n"
                + "  leaf4 [shape=plaintext, label=\"y\"];\n"
                + "  leaf4 -> op1 [label=<" + green + "5" + red + "-4</font>>];\n"
                + "}\n", GraphExport.toDot(f));
    }

    @Test
    void beforeBackward_valuesOnly_largeTensorsByShape_sharedInputDrawnOnce() {
        var w = Variable.of(new float[] {0.1f, 0.5f, -0.3f, 0.8f}, 2, 2).requiresGrad();
        var big = Variable.of(new float[10], 2, 5).requiresGrad();
        String green = "[label=<<font color=\"darkgreen\">";
        assertEquals("digraph G {\n"
                + "  rankdir=LR;\n"
                + "  node [fontname=\"Helvetica\"];\n"
                + "  edge [fontname=\"Helvetica\", fontsize=10];\n"
                + "  out [shape=plaintext, label=\"output\"];\n"
                + "  op0 [shape=circle, label=\"add\"];\n"
                + "  op0 -> out " + green + "[-0.14, 0.45, -0.27, 0.49]</font>>];\n"
                + "  op1 [shape=circle, label=\"matmul\"];\n"
                + "  op1 -> op0 " + green + "[-0.14, 0.45, -0.27, 0.49]</font>>];\n"
                + "  op2 [shape=circle, label=\"abs\"];\n"
                + "  op2 -> op0 " + green + "[0, 0]</font>>];\n"
                + "  op3 [shape=circle, label=\"sum\"];\n"
                + "  op3 -> op2 " + green + "[0, 0]</font>>];\n"
                + "  leaf4 [shape=plaintext, label=\"input 1\"];\n"
                + "  leaf4 -> op3 " + green + "[2, 5]</font>>];\n"
                + "  leaf5 [shape=plaintext, label=\"input 2\"];\n"
                + "  leaf5 -> op1 " + green + "[0.1, 0.5, -0.3, 0.8]</font>>];\n"
                + "  leaf5 -> op1 " + green + "[0.1, 0.5, -0.3, 0.8]</font>>];\n"
                + "}\n", GraphExport.toDot(w.matmul(w).add(big.sum(1, true).abs())));
    }
}
