package dev.nn.core.kernel;

import dev.nn.core.function.FloatBiFunction;
import dev.nn.core.function.FloatFunction;
import java.lang.invoke.MethodHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Formula} as passes over blocks of {@value #BLOCK} floats. Each run of operations that
 * {@link FusedLoop} can write (arithmetic, comparisons, selects, exp and sigmoid, at most one exp
 * a run) is one loop of its own, defined for this formula; each other operation (log, tanh, erf
 * and the activations built of them) is a pass of nn's vector loop for it ({@link SimdElementwise}'s
 * tables). All are compiled on their own, so none boxes however many formulas a program runs. A
 * value read by a later pass goes to a scratch block, reused once its last reader has run. Over a
 * block a pass costs a call and 8 KB of L1/L2 traffic per array it reads or writes; swish ran 1.3x
 * slower than the built-in SiLU as a pass per operation and as fast as it fused.
 */
final class FormulaProgram {

    private static final Logger LOG = LoggerFactory.getLogger(FormulaProgram.class);
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int BLOCK = 2048;
    /** Operand references: a register from 0; input i (x, y, g) at -1 - i; constant k at CONSTANTS - k. */
    private static final int CONSTANTS = -10;

    // Per instruction, set for those that run as a pass of their own loop (see pass).
    private final Formula.Kind[] kinds;
    private final MethodHandle[] loops;
    private final int[] first;
    private final int[] second;
    private final int[] third;
    private final int[] dst;
    private final float[][] constants;
    /** The constants' values, which fused loops read. */
    private final float[] constantValues;
    private final Formula.Node root;
    private final ThreadLocal<float[][]> scratch;
    /** Each step's fused loop, or null where its one operation runs a pass of its own loop. */
    private final MethodHandle[] steps;
    /** Each step's first instruction. */
    private final int[] stepStart;
    private static volatile boolean fusing = true;

    /** The program of root, its runs of {@link FusedLoop#fusible} operations each one loop where it can be defined. */
    static FormulaProgram of(Formula.Node root) {
        if (fusing) {
            try {
                return new FormulaProgram(root, true);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                fusing = false;
                LOG.debug("kernels: formulas run one pass per operation ({})", e.toString());
            }
        }
        try {
            return new FormulaProgram(root, false);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);   // without fusion no class is defined
        }
    }

    /**
     * The program of root: with {@code fuse}, each run of fusible operations (at most one exp, at
     * most {@link FusedLoop#MAX_OPERATIONS}) is one loop, storing only what later passes read; the
     * other operations, and all of them without it, are a pass each.
     */
    FormulaProgram(Formula.Node root, boolean fuse) throws ReflectiveOperationException {
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
        List<int[]> runs = runs(order, fuse);
        int[] runOf = new int[count];
        for (int s = 0; s < runs.size(); s++) {
            Arrays.fill(runOf, runs.get(s)[0], runs.get(s)[1], s);
        }
        Map<Formula.Node, Integer> lastRun = new IdentityHashMap<>();
        for (int i = 0; i < count; i++) {
            for (Formula.Node child : children(order.get(i))) {
                lastRun.put(child, runOf[i]);
            }
        }
        Map<Formula.Node, Integer> registerOf = new IdentityHashMap<>();
        Map<Formula.Node, Integer> constantOf = new IdentityHashMap<>();
        List<Float> values = new ArrayList<>();
        ArrayDeque<Integer> free = new ArrayDeque<>();
        steps = new MethodHandle[runs.size()];
        stepStart = new int[runs.size()];
        int registers = 0;
        for (int s = 0; s < runs.size(); s++) {
            int from = runs.get(s)[0];
            int to = runs.get(s)[1];
            stepStart[s] = from;
            // In the order read (nodes compare by identity): the same shape frees, and so assigns,
            // the same blocks, so its loops' class files match and are defined once (FusedLoop).
            Map<Formula.Node, Integer> reads = new LinkedHashMap<>();
            for (int i = from; i < to; i++) {
                for (Formula.Node c : children(order.get(i))) {
                    Integer r = registerOf.get(c);
                    if (r != null) {
                        reads.put(c, r);
                    } else if (c.kind == Formula.Kind.CONSTANT) {
                        constantOf.computeIfAbsent(c, x -> {
                            values.add((float) x.value);
                            return values.size() - 1;
                        });
                    }
                }
            }
            // Operands read for the last time free their blocks, which this run's results may then
            // take: every loop reads a lane before it writes that lane.
            for (Map.Entry<Formula.Node, Integer> read : reads.entrySet()) {
                if (lastRun.get(read.getKey()) == s && !free.contains(read.getValue())) {
                    free.push(read.getValue());
                }
            }
            Map<Formula.Node, Integer> stores = new LinkedHashMap<>();
            for (int i = from; i < to; i++) {
                Formula.Node n = order.get(i);
                if (i == count - 1) {
                    stores.put(n, FusedLoop.OUT);
                } else if (lastRun.get(n) > s) {
                    int r = free.isEmpty() ? registers++ : free.pop();
                    registerOf.put(n, r);
                    stores.put(n, r);
                }
            }
            if (to - from > 1) {
                steps[s] = FusedLoop.define(order.subList(from, to), reads, constantOf, stores);
            } else {
                pass(from, order.get(from), stores.get(order.get(from)), registerOf, constantOf);
            }
        }
        constantValues = new float[values.size()];
        constants = new float[values.size()][];
        for (int k = 0; k < constants.length; k++) {
            constantValues[k] = values.get(k);
            constants[k] = new float[BLOCK];
            Arrays.fill(constants[k], constantValues[k]);
        }
        int blocks = registers;
        scratch = ThreadLocal.withInitial(() -> new float[blocks][BLOCK]);
    }

    /** Sets instruction i: a pass of n's own loop into dst, a register block or {@link FusedLoop#OUT}. */
    private void pass(int i, Formula.Node n, int dst, Map<Formula.Node, Integer> registerOf,
                      Map<Formula.Node, Integer> constantOf) {
        kinds[i] = n.kind;
        loops[i] = n.kind == Formula.Kind.UNARY ? SimdElementwise.loop(n.unary)
                : n.kind == Formula.Kind.BINARY ? SimdElementwise.loop(n.binary) : null;
        this.dst[i] = dst;
        Formula.Node[] in = children(n);
        int[][] refs = {first, second, third};
        for (int k = 0; k < in.length; k++) {
            Formula.Node c = in[k];
            refs[k][i] = switch (c.kind) {
                case INPUT -> -1 - (int) c.value;
                case CONSTANT -> CONSTANTS - constantOf.get(c);
                default -> registerOf.get(c);
            };
        }
    }

    /** The runs [from, to) of the program: with fuse, each run of fusible operations; otherwise one per operation. */
    private static List<int[]> runs(List<Formula.Node> order, boolean fuse) {
        List<int[]> runs = new ArrayList<>();
        for (int i = 0; i < order.size(); ) {
            int j = i;
            boolean exp = false;
            while (fuse && j < order.size() && j - i < FusedLoop.MAX_OPERATIONS && FusedLoop.fusible(order.get(j))
                    && !(exp && FusedLoop.exponential(order.get(j)))) {
                exp |= FusedLoop.exponential(order.get(j));
                j++;
            }
            j = Math.max(j, i + 1);
            runs.add(new int[] {i, j});
            i = j;
        }
        return runs;
    }

    /** The number of loops one block runs through: a pass per operation, fewer where runs are fused. */
    int passes() {
        return steps.length;
    }

    /** Step s's fused loop, or null where it is a pass of one operation's loop. */
    MethodHandle fusedLoop(int s) {
        return steps[s];
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

    /** n's operands. */
    static Formula.Node[] children(Formula.Node n) {
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
        for (int s = 0; s < steps.length; s++) {
            if (steps[s] != null) {
                try {
                    steps[s].invokeExact(x, xo, y, yo, g, go, registers, constantValues, out, oo, m);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new AssertionError(t);
                }
                continue;
            }
            int i = stepStart[s];
            float[] to = dst[i] == FusedLoop.OUT ? out : registers[dst[i]];
            int at = dst[i] == FusedLoop.OUT ? oo : 0;
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
