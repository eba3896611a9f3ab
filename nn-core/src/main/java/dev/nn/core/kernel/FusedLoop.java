package dev.nn.core.kernel;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Several operations of a {@link Formula} as one vector loop of their own: the class file of a
 * static method that loads its operands once per vector, computes the operations one after the
 * other on the Vector API, keeping each value in a local, and stores what later passes or the
 * caller read; defined as a hidden class, so C2 compiles each formula's loop on its own and inlines
 * every call in it (all static or final, on {@code FloatVector}, and hot: none waits on a profile).
 * Where {@link FormulaProgram} ran a pass over a block of scratch per operation, a swish is now one
 * pass each way, as a user's vector form is.
 *
 * <p>Each operation is written as the Vector API expression of its own loop in
 * {@link SimdUnaryLoops} or {@link SimdBinaryLoops} (exp through {@link SimdMath#exp}, which the
 * exp loop's shortcut agrees with bit for bit), so a fused formula gives the bits of its passes;
 * {@code FormulaLoopsTest} checks that for every operation here. The other operations (log,
 * tanh, erf and the activations built of them) keep their loops: in one loop with an exp, C2 ran
 * past its node budget and boxed every vector (the reason softplus runs in passes), and for the
 * same reason a loop holds at most one exp.
 *
 * <p>Every load of an iteration comes before its stores, so a loop may store into a block it reads
 * (a register freed by its last reader), as the passes may.
 */
final class FusedLoop {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /**
     * {@code (x, xo, y, yo, g, go, registers, constants, out, oo, m)}: inputs at offsets, register
     * blocks at 0, the formula's constants, m floats.
     */
    static final MethodType TYPE = MethodType.methodType(void.class, float[].class, int.class, float[].class,
            int.class, float[].class, int.class, float[][].class, float[].class, float[].class, int.class, int.class);
    /** A store's destination: the output array. */
    static final int OUT = -1;
    /** Operations per loop at most: a longer run of them is split, so no loop grows without bound. */
    static final int MAX_OPERATIONS = 48;

    private static final String FV = "Ljdk/incubator/vector/FloatVector;";
    private static final String FV_CLASS = "jdk/incubator/vector/FloatVector";
    private static final String VECTOR = "Ljdk/incubator/vector/Vector;";
    private static final String MASK = "Ljdk/incubator/vector/VectorMask;";
    private static final String COMPARISON = "Ljdk/incubator/vector/VectorOperators$Comparison;";
    private static final String OPERATORS = "jdk/incubator/vector/VectorOperators";
    private static final String SPECIES = "Ljdk/incubator/vector/VectorSpecies;";
    private static final String SELF = "dev/nn/core/kernel/FusedLoop";
    private static final String SIMD_MATH = "dev/nn/core/kernel/SimdMath";
    // The method's arguments' local slots, then the loop's index.
    private static final int[] INPUT_ARRAY = {0, 2, 4};
    private static final int[] INPUT_OFFSET = {1, 3, 5};
    private static final int REGISTERS = 6;
    private static final int CONSTANTS = 7;
    private static final int OUT_ARRAY = 8;
    private static final int OUT_OFFSET = 9;
    private static final int COUNT = 10;
    private static final int INDEX = 11;
    // Each loop defined, by its class file: formulas of one shape share it, whatever their constants.
    private static final Map<ByteBuffer, MethodHandle> DEFINED = new ConcurrentHashMap<>();

    private FusedLoop() {
    }

    /** Whether a fused loop computes n itself; the rest run their own loops. */
    static boolean fusible(Formula.Node n) {
        return switch (n.kind) {
            case BINARY, SELECT -> true;
            case UNARY -> switch (n.unary) {
                case NEG, ABS, SQUARE, SQRT, EXP, SIGMOID, RELU, SOFTSIGN, RECIPROCAL -> true;
                default -> false;
            };
            default -> false;
        };
    }

    /** Whether n computes an exp, of which a loop holds one. */
    static boolean exponential(Formula.Node n) {
        return n.kind == Formula.Kind.UNARY && (n.unary == UnaryOp.EXP || n.unary == UnaryOp.SIGMOID);
    }

    /**
     * Returns the loop of {@code ops} (in order, each {@link #fusible}, every operand an input, a
     * constant, an earlier op or a node in {@code registers}), a static method of type
     * {@link #TYPE}. Constants are read from the constants argument, not written into the code, so
     * a lambda that captures a number ({@code v -> v * t}, a new object for each t) runs the loop
     * defined for the first of its shape: it is defined, and compiled, once per shape, however many
     * numbers it captures over a program's life.
     *
     * @param registers the register block each operand computed by an earlier pass is read from
     * @param constants where in the constants argument each constant operand is
     * @param stores    the values to store, each to its register block or {@link #OUT}
     * @throws ReflectiveOperationException or {@link LinkageError} where the class cannot be defined
     */
    static MethodHandle define(List<Formula.Node> ops, Map<Formula.Node, Integer> registers,
                               Map<Formula.Node, Integer> constants, Map<Formula.Node, Integer> stores)
            throws ReflectiveOperationException {
        ByteBuffer bytes = ByteBuffer.wrap(new Writer(ops, registers, constants, stores).classFile());
        MethodHandle loop = DEFINED.get(bytes);
        if (loop == null) {
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes.array(), true);
            loop = lookup.findStatic(lookup.lookupClass(), "run", TYPE);
            MethodHandle first = DEFINED.putIfAbsent(bytes, loop);
            loop = first != null ? first : loop;
        }
        return loop;
    }

    /** Writes one loop's class file (version 49: its verifier needs no stack map frames). */
    private static final class Writer {
        private final List<Formula.Node> ops;
        private final Map<Formula.Node, Integer> registers;
        private final Map<Formula.Node, Integer> constantIndex;
        private final Map<Formula.Node, Integer> stores;
        private final Map<List<Object>, Integer> pool = new HashMap<>();
        private final ByteArrayOutputStream poolBytes = new ByteArrayOutputStream();
        private final DataOutputStream entries = new DataOutputStream(poolBytes);
        private int poolCount = 1;
        private final ByteArrayOutputStream codeBytes = new ByteArrayOutputStream();
        private final DataOutputStream code = new DataOutputStream(codeBytes);
        // The local holding each value in the loop, and each register block's array.
        private final Map<Formula.Node, Integer> locals = new IdentityHashMap<>();
        private final Map<Integer, Integer> blocks = new LinkedHashMap<>();
        private int nextLocal = INDEX + 1;

        Writer(List<Formula.Node> ops, Map<Formula.Node, Integer> registers, Map<Formula.Node, Integer> constantIndex,
               Map<Formula.Node, Integer> stores) {
            this.ops = ops;
            this.registers = registers;
            this.constantIndex = constantIndex;
            this.stores = stores;
        }

        byte[] classFile() {
            try {
                writeCode();
                int thisClass = classRef(SELF + "$Formula");
                int superClass = classRef("java/lang/Object");
                int name = utf8("run");
                int descriptor = utf8(TYPE.toMethodDescriptorString());
                int codeName = utf8("Code");
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeInt(0xCAFEBABE);
                out.writeShort(0);
                out.writeShort(49);
                out.writeShort(poolCount);
                poolBytes.writeTo(out);
                out.writeShort(0x0030);               // final, super
                out.writeShort(thisClass);
                out.writeShort(superClass);
                out.writeShort(0);                    // interfaces
                out.writeShort(0);                    // fields
                out.writeShort(1);                    // methods
                out.writeShort(0x0008);               // static
                out.writeShort(name);
                out.writeShort(descriptor);
                out.writeShort(1);                    // attributes: Code
                out.writeShort(codeName);
                out.writeInt(12 + codeBytes.size());
                out.writeShort(8);                    // max stack: the deepest expression below pushes 5
                out.writeShort(nextLocal);
                out.writeInt(codeBytes.size());
                codeBytes.writeTo(out);
                out.writeShort(0);                    // exception table
                out.writeShort(0);                    // code attributes
                out.writeShort(0);                    // class attributes
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void writeCode() throws IOException {
            // Operands from outside: the inputs and the register blocks, each loaded once per vector.
            List<Formula.Node> loaded = new ArrayList<>();
            for (Formula.Node op : ops) {
                for (Formula.Node c : FormulaProgram.children(op)) {
                    if (c.kind == Formula.Kind.CONSTANT && !locals.containsKey(c)) {
                        // Broadcast before the loop, into a local the loop only reads.
                        locals.put(c, nextLocal);
                        getSpecies();
                        load(CONSTANTS);
                        pushInt(constantIndex.get(c));
                        code.writeByte(0x30);         // faload
                        invoke(0xb8, FV_CLASS, "broadcast", "(" + SPECIES + "F)" + FV);
                        local(0x3a, nextLocal++);     // astore
                    } else if (c.kind != Formula.Kind.CONSTANT && !locals.containsKey(c) && !ops.contains(c)) {
                        locals.put(c, nextLocal++);
                        loaded.add(c);
                        if (c.kind != Formula.Kind.INPUT) {
                            blocks.computeIfAbsent(registers.get(c), r -> 0);
                        }
                    }
                }
            }
            for (Formula.Node op : ops) {
                locals.put(op, nextLocal++);
            }
            for (Map.Entry<Formula.Node, Integer> s : stores.entrySet()) {
                if (s.getValue() != OUT) {
                    blocks.computeIfAbsent(s.getValue(), r -> 0);
                }
            }
            for (Map.Entry<Integer, Integer> b : blocks.entrySet()) {
                b.setValue(nextLocal);
                load(REGISTERS);
                pushInt(b.getKey());
                code.writeByte(0x32);                 // aaload
                local(0x3a, nextLocal++);             // astore
            }
            pushInt(0);
            local(0x36, INDEX);                       // istore
            int head = codeBytes.size();
            local(0x15, INDEX);                       // iload
            local(0x15, COUNT);
            int exit = codeBytes.size();
            code.writeByte(0xa2);                     // if_icmpge, patched below
            code.writeShort(0);
            for (Formula.Node c : loaded) {
                getSpecies();
                if (c.kind == Formula.Kind.INPUT) {
                    load(INPUT_ARRAY[(int) c.value]);
                    local(0x15, INPUT_OFFSET[(int) c.value]);
                    local(0x15, INDEX);
                    code.writeByte(0x60);             // iadd
                } else {
                    load(blocks.get(registers.get(c)));
                    local(0x15, INDEX);
                }
                invoke(0xb8, FV_CLASS, "fromArray", "(" + SPECIES + "[FI)" + FV);
                local(0x3a, locals.get(c));
            }
            for (Formula.Node op : ops) {
                compute(op);
                local(0x3a, locals.get(op));
            }
            for (Map.Entry<Formula.Node, Integer> s : stores.entrySet()) {
                push(s.getKey());
                if (s.getValue() == OUT) {
                    load(OUT_ARRAY);
                    local(0x15, OUT_OFFSET);
                    local(0x15, INDEX);
                    code.writeByte(0x60);
                } else {
                    load(blocks.get(s.getValue()));
                    local(0x15, INDEX);
                }
                invoke(0xb6, FV_CLASS, "intoArray", "([FI)V");
            }
            code.writeByte(0x84);                     // iinc index, lanes
            code.writeByte(INDEX);
            code.writeByte(S.length());
            int back = codeBytes.size();
            code.writeByte(0xa7);                     // goto head
            code.writeShort(head - back);
            int end = codeBytes.size();
            code.writeByte(0xb1);                     // return
            byte[] written = codeBytes.toByteArray();
            written[exit + 1] = (byte) ((end - exit) >> 8);
            written[exit + 2] = (byte) (end - exit);
            codeBytes.reset();
            codeBytes.write(written);
        }

        /** Pushes op's value, each as the expression of its own loop. */
        private void compute(Formula.Node op) throws IOException {
            switch (op.kind) {
                case UNARY -> unary(op.unary, op.a);
                case BINARY -> binary(op.binary, op.a, op.b);
                case SELECT -> {
                    // yes.blend(no, mask == 0)
                    push(op.b);
                    push(op.c);
                    push(op.a);
                    getStatic(OPERATORS, "EQ", COMPARISON);
                    code.writeByte(0x0b);             // fconst_0
                    invoke(0xb6, FV_CLASS, "compare", "(" + COMPARISON + "F)" + MASK);
                    invoke(0xb6, FV_CLASS, "blend", "(" + VECTOR + MASK + ")" + FV);
                }
                default -> throw new IllegalArgumentException("not an operation: " + op.kind);
            }
        }

        private void unary(UnaryOp u, Formula.Node a) throws IOException {
            switch (u) {
                case NEG, ABS, SQRT -> {
                    push(a);
                    invoke(0xb6, FV_CLASS, u.name().toLowerCase(Locale.ROOT), "()" + FV);
                }
                case SQUARE -> {
                    push(a);
                    push(a);
                    invoke(0xb6, FV_CLASS, "mul", "(" + VECTOR + ")" + FV);
                }
                case EXP -> {
                    push(a);
                    invoke(0xb8, SIMD_MATH, "exp", "(" + FV + ")" + FV);
                }
                case SIGMOID -> {
                    // 1 / (exp(-v) + 1)
                    broadcast(1f);
                    push(a);
                    invoke(0xb6, FV_CLASS, "neg", "()" + FV);
                    invoke(0xb8, SIMD_MATH, "exp", "(" + FV + ")" + FV);
                    code.writeByte(0x0c);             // fconst_1
                    invoke(0xb6, FV_CLASS, "add", "(F)" + FV);
                    invoke(0xb6, FV_CLASS, "div", "(" + VECTOR + ")" + FV);
                }
                case RELU -> {
                    // v.blend(0, v < 0)
                    push(a);
                    code.writeByte(0x0b);
                    push(a);
                    getStatic(OPERATORS, "LT", COMPARISON);
                    code.writeByte(0x0b);
                    invoke(0xb6, FV_CLASS, "compare", "(" + COMPARISON + "F)" + MASK);
                    invoke(0xb6, FV_CLASS, "blend", "(F" + MASK + ")" + FV);
                }
                case SOFTSIGN -> {
                    // v / (|v| + 1)
                    push(a);
                    push(a);
                    invoke(0xb6, FV_CLASS, "abs", "()" + FV);
                    code.writeByte(0x0c);
                    invoke(0xb6, FV_CLASS, "add", "(F)" + FV);
                    invoke(0xb6, FV_CLASS, "div", "(" + VECTOR + ")" + FV);
                }
                case RECIPROCAL -> {
                    broadcast(1f);
                    push(a);
                    invoke(0xb6, FV_CLASS, "div", "(" + VECTOR + ")" + FV);
                }
                default -> throw new IllegalArgumentException("not fused: " + u);
            }
        }

        private void binary(BinaryOp b, Formula.Node x, Formula.Node y) throws IOException {
            switch (b) {
                case ADD, SUB, MUL, DIV, MAX, MIN -> {
                    push(x);
                    push(y);
                    invoke(0xb6, FV_CLASS, b.name().toLowerCase(Locale.ROOT), "(" + VECTOR + ")" + FV);
                }
                default -> {
                    // zero.blend(1, x op y): a comparison's 1 and 0
                    getSpecies();
                    invoke(0xb8, FV_CLASS, "zero", "(" + SPECIES + ")" + FV);
                    code.writeByte(0x0c);
                    push(x);
                    getStatic(OPERATORS, b.name(), COMPARISON);
                    push(y);
                    invoke(0xb6, FV_CLASS, "compare", "(" + COMPARISON + VECTOR + ")" + MASK);
                    invoke(0xb6, FV_CLASS, "blend", "(F" + MASK + ")" + FV);
                }
            }
        }

        /** Pushes a value: a constant as a broadcast of its local, the rest from its local. */
        private void push(Formula.Node n) throws IOException {
            load(locals.get(n));
        }

        /** Pushes a broadcast of a number of the code's own (1 in sigmoid's 1 / (...)). */
        private void broadcast(float c) throws IOException {
            getSpecies();
            int index = constant(4, Float.floatToRawIntBits(c));
            code.writeByte(0x13);                     // ldc_w
            code.writeShort(index);
            invoke(0xb8, FV_CLASS, "broadcast", "(" + SPECIES + "F)" + FV);
        }

        private void getSpecies() throws IOException {
            getStatic(SELF, "S", SPECIES);
        }

        private void getStatic(String owner, String name, String descriptor) throws IOException {
            code.writeByte(0xb2);
            code.writeShort(member(9, owner, name, descriptor));
        }

        private void invoke(int opcode, String owner, String name, String descriptor) throws IOException {
            code.writeByte(opcode);
            code.writeShort(member(10, owner, name, descriptor));
        }

        private void load(int local) throws IOException {
            local(0x19, local);                       // aload
        }

        /** A load or store of a local, widened past slot 255. */
        private void local(int opcode, int slot) throws IOException {
            if (slot > 255) {
                code.writeByte(0xc4);                 // wide
                code.writeByte(opcode);
                code.writeShort(slot);
            } else {
                code.writeByte(opcode);
                code.writeByte(slot);
            }
        }

        private void pushInt(int v) throws IOException {
            if (v <= 5) {
                code.writeByte(0x03 + v);             // iconst_v
            } else {
                code.writeByte(0x11);                 // sipush
                code.writeShort(v);
            }
        }

        // ---- the constant pool ----

        private int utf8(String s) throws IOException {
            Integer i = pool.get(List.of(1, s));
            if (i == null) {
                i = poolCount++;
                pool.put(List.of(1, s), i);
                entries.writeByte(1);
                entries.writeUTF(s);
            }
            return i;
        }

        private int constant(int tag, int value) throws IOException {
            Integer i = pool.get(List.of(tag, value));
            if (i == null) {
                i = poolCount++;
                pool.put(List.of(tag, value), i);
                entries.writeByte(tag);
                entries.writeInt(value);
            }
            return i;
        }

        private int classRef(String name) throws IOException {
            int n = utf8(name);
            return entry(7, n, -1);
        }

        private int member(int tag, String owner, String name, String descriptor) throws IOException {
            int c = classRef(owner);
            int nat = entry(12, utf8(name), utf8(descriptor));
            return entry(tag, c, nat);
        }

        /** An entry of one or two references (second -1 for one). */
        private int entry(int tag, int first, int second) throws IOException {
            List<Object> key = List.of(tag, first, second);
            Integer i = pool.get(key);
            if (i == null) {
                i = poolCount++;
                pool.put(key, i);
                entries.writeByte(tag);
                entries.writeShort(first);
                if (second >= 0) {
                    entries.writeShort(second);
                }
            }
            return i;
        }
    }
}
