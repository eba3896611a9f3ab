package dev.nn.core.kernel;

import dev.nn.core.function.FloatBiFunction;
import dev.nn.core.function.FloatFunction;
import java.lang.invoke.MethodHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A {@link Formula} as passes over blocks: one instruction per operation, each run by nn's vector
 * loop for it ({@link SimdElementwise}'s tables, compiled on their own, so none boxes however many
 * formulas a program runs), reading the inputs, constants and earlier results in scratch blocks
 * that are reused once their last reader has run. Over a block of {@value #BLOCK} floats a pass
 * costs a call and 8 KB of L1/L2 traffic; the exp, division or square root in it costs more.
 */
final class FormulaProgram {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int BLOCK = 2048;
    /** An instruction's destination: the kernel's output array. */
    private static final int OUT = Integer.MIN_VALUE;
    /** Operand references: a register from 0; input i (x, y, g) at -1 - i; constant k at CONSTANTS - k. */
    private static final int CONSTANTS = -10;

    private final Formula.Kind[] kinds;
    private final MethodHandle[] loops;
    private final int[] first;
    private final int[] second;
    private final int[] third;
    private final int[] dst;
    private final float[][] constants;
    private final Formula.Node root;
    private final ThreadLocal<float[][]> scratch;

    FormulaProgram(Formula.Node root) {
        this.root = root;
        List<Formula.Node> order = new ArrayList<>();
        postOrder(root, new IdentityHashMap<>(), order);
        int count = order.size();
        kinds = new Formula.Kind[count];
        loops = new MethodHandle[count];
        first = new int[count];
        second = new int[count];
        third = new int[count];
        dst = new int[count];
        Map<Formula.Node, Integer> lastUse = new IdentityHashMap<>();
        for (int i = 0; i < count; i++) {
            for (Formula.Node child : children(order.get(i))) {
                lastUse.put(child, i);
            }
        }
        Map<Formula.Node, Integer> registerOf = new IdentityHashMap<>();
        Map<Formula.Node, Integer> constantOf = new IdentityHashMap<>();
        List<Float> values = new ArrayList<>();
        ArrayDeque<Integer> free = new ArrayDeque<>();
        int registers = 0;
        for (int i = 0; i < count; i++) {
            Formula.Node n = order.get(i);
            kinds[i] = n.kind;
            loops[i] = n.kind == Formula.Kind.UNARY ? SimdElementwise.loop(n.unary)
                    : n.kind == Formula.Kind.BINARY ? SimdElementwise.loop(n.binary) : null;
            Formula.Node[] in = children(n);
            int[][] refs = {first, second, third};
            for (int k = 0; k < in.length; k++) {
                Formula.Node c = in[k];
                refs[k][i] = switch (c.kind) {
                    case INPUT -> -1 - (int) c.value;
                    case CONSTANT -> CONSTANTS - constantOf.computeIfAbsent(c, x -> {
                        values.add((float) x.value);
                        return values.size() - 1;
                    });
                    default -> registerOf.get(c);
                };
            }
            // Operands read for the last time free their blocks, which this result may then take:
            // every loop reads a lane before it writes that lane.
            for (Formula.Node c : in) {
                Integer r = registerOf.get(c);
                if (r != null && lastUse.get(c).intValue() == i && !free.contains(r)) {
                    free.push(r);
                }
            }
            if (i == count - 1) {
                dst[i] = OUT;
            } else {
                int r = free.isEmpty() ? registers++ : free.pop();
                registerOf.put(n, r);
                dst[i] = r;
            }
        }
        constants = new float[values.size()][];
        for (int k = 0; k < constants.length; k++) {
            constants[k] = new float[BLOCK];
            Arrays.fill(constants[k], values.get(k));
        }
        int blocks = registers;
        scratch = ThreadLocal.withInitial(() -> new float[blocks][BLOCK]);
    }

    /** Adds the operations n depends on, each after its operands; inputs and constants are not operations. */
    private static void postOrder(Formula.Node n, Map<Formula.Node, Boolean> seen, List<Formula.Node> order) {
        if (n.kind == Formula.Kind.INPUT || n.kind == Formula.Kind.CONSTANT || seen.put(n, Boolean.TRUE) != null) {
            return;
        }
        for (Formula.Node c : children(n)) {
            postOrder(c, seen, order);
        }
        order.add(n);
    }

    private static Formula.Node[] children(Formula.Node n) {
        return switch (n.kind) {
            case UNARY -> new Formula.Node[] {n.a};
            case BINARY -> new Formula.Node[] {n.a, n.b};
            case SELECT -> new Formula.Node[] {n.a, n.b, n.c};
            default -> new Formula.Node[0];
        };
    }

    /** Returns the loop of {@code y = formula(x)}, f running the tail of each call. */
    MapKernel map(FloatFunction f) {
        return (x, xo, y, yo, n) -> {
            int bound = S.loopBound(n);
            if (root.kind == Formula.Kind.INPUT) {
                System.arraycopy(x, xo, y, yo, bound);
            } else if (root.kind == Formula.Kind.CONSTANT) {
                Arrays.fill(y, yo, yo + bound, (float) root.value);
            } else {
                float[][] registers = scratch.get();
                for (int b = 0; b < bound; b += BLOCK) {
                    run(registers, x, xo + b, null, 0, null, 0, y, yo + b, Math.min(BLOCK, bound - b));
                }
            }
            for (int i = bound; i < n; i++) {
                y[yo + i] = f.apply(x[xo + i]);
            }
        };
    }

    /**
     * Returns the chain-rule loop of a formula {@code g·d}, with d of x ({@code d}) or of x and y
     * ({@code d2}, the other null) running the tail of each call.
     */
    GradientKernel gradient(FloatFunction d, FloatBiFunction d2) {
        return new GradientKernel() {
            @Override
            public boolean readsOutput() {
                return d2 != null;
            }

            @Override
            public void apply(float[] g, int go, float[] x, int xo, float[] y, int yo, float[] out, int oo, int n) {
                int bound = S.loopBound(n);
                float[][] registers = scratch.get();
                for (int b = 0; b < bound; b += BLOCK) {
                    run(registers, x, xo + b, y, yo + b, g, go + b, out, oo + b, Math.min(BLOCK, bound - b));
                }
                for (int i = bound; i < n; i++) {
                    out[oo + i] = g[go + i] * (d != null ? d.apply(x[xo + i]) : d2.apply(x[xo + i], y[yo + i]));
                }
            }
        };
    }

    /** Runs every instruction over one block of m floats, m a multiple of the vector length. */
    private void run(float[][] registers, float[] x, int xo, float[] y, int yo, float[] g, int go,
                     float[] out, int oo, int m) {
        for (int i = 0; i < kinds.length; i++) {
            float[] to = dst[i] == OUT ? out : registers[dst[i]];
            int at = dst[i] == OUT ? oo : 0;
            int p = first[i];
            float[] a = array(p, registers, x, y, g);
            int ao = offset(p, xo, yo, go);
            if (kinds[i] == Formula.Kind.UNARY) {
                SimdElementwise.run(loops[i], 0f, a, ao, to, at, m);
                continue;
            }
            int q = second[i];
            float[] b = array(q, registers, x, y, g);
            int bo = offset(q, xo, yo, go);
            if (kinds[i] == Formula.Kind.BINARY) {
                // A constant is read as a broadcast scalar (at most one operand is: the rest was folded).
                SimdElementwise.run(loops[i], a, ao, p <= CONSTANTS ? 0 : 1, b, bo, q <= CONSTANTS ? 0 : 1, to, at, m);
                continue;
            }
            int r = third[i];
            select(a, ao, b, bo, array(r, registers, x, y, g), offset(r, xo, yo, go), to, at, m);
        }
    }

    /** The array an operand reference reads. */
    private float[] array(int ref, float[][] registers, float[] x, float[] y, float[] g) {
        return ref >= 0 ? registers[ref] : ref == -1 ? x : ref == -2 ? y : ref == -3 ? g : constants[CONSTANTS - ref];
    }

    /** Where in its array an operand reference starts reading, for the block at the given input offsets. */
    private static int offset(int ref, int xo, int yo, int go) {
        return ref == -1 ? xo : ref == -2 ? yo : ref == -3 ? go : 0;
    }

    /** {@code y = mask != 0 ? yes : no} over whole vectors; the mask is a comparison's 1 and 0. */
    private static void select(float[] mask, int mo, float[] yes, int yeso, float[] no, int noo, float[] y, int yo,
                               int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector.fromArray(S, yes, yeso + i).blend(FloatVector.fromArray(S, no, noo + i),
                    FloatVector.fromArray(S, mask, mo + i).compare(VectorOperators.EQ, 0f)).intoArray(y, yo + i);
        }
    }
}
