package dev.nn.core.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's scalar function read back from its bytecode as a formula of nn's elementwise
 * operations, so that {@link FormulaLoops} can run it on vectors. What it reads: float and double
 * arithmetic, constants, locals, the values a lambda captured (numbers), {@code Math}'s and
 * {@code StrictMath}'s {@code exp}, {@code log}, {@code sqrt}, {@code tanh}, {@code abs}, {@code max},
 * {@code min}, {@code FloatMath}'s functions, static methods of the program's own (read and
 * followed the same way), and comparisons with branches that only go forward
 * ({@code x > 0 ? x : 0.1f * x}): each branch is followed to its return and the two results are
 * selected by the comparison, lane by lane. Doubles are computed as floats. Anything else (loops,
 * other calls, fields, integer arithmetic) leaves the function untranslated: it then runs as
 * written, in its scalar loop.
 */
final class Formula {

    /** How a node computes its value. */
    enum Kind { INPUT, CONSTANT, UNARY, BINARY, SELECT }

    /** One value of the formula; nodes are interned, so equal nodes are the same object. */
    static final class Node {
        final Kind kind;
        final UnaryOp unary;
        final BinaryOp binary;
        final Node a;
        final Node b;
        final Node c;
        /** The constant's value (CONSTANT), or the input's index: 0 for x, 1 for y (INPUT). */
        final double value;
        /** Unique within its formula: the key nodes are interned by. */
        final int id;

        private Node(int id, Kind kind, UnaryOp unary, BinaryOp binary, Node a, Node b, Node c, double value) {
            this.id = id;
            this.kind = kind;
            this.unary = unary;
            this.binary = binary;
            this.a = a;
            this.b = b;
            this.c = c;
            this.value = value;
        }

        boolean isConstant(double v) {
            return kind == Kind.CONSTANT && value == v;
        }
    }

    /** A comparison's int result on the stack ({@code fcmpl}...): -1, 0 or 1, and {@code nan} where unordered. */
    private record Comparison(Node a, Node b, int nan) {
    }

    /** A double on the stack (two slots for dup2 and pop2); floats are bare nodes. */
    private record Wide(Node node) {
    }

    private static final int MAX_PATHS = 64;
    private static final int MAX_CALLS = 32;
    private static final BinaryOp[] COMPARISONS = {BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE, BinaryOp.EQ,
        BinaryOp.NE};

    private final Map<List<Object>, Node> interned = new HashMap<>();
    private final LambdaBytecode.Body body;
    private int paths;
    private int calls;

    private Formula(LambdaBytecode.Body body) {
        this.body = body;
    }

    /** The formula's value. */
    private Node root;

    /**
     * Reads {@code body}, a float function of {@code inputs} floats (x, then y), as a formula.
     *
     * @throws LambdaBytecode.Unreadable naming what it uses that a formula cannot express
     */
    static Formula translate(LambdaBytecode.Body body, int inputs) throws LambdaBytecode.Unreadable {
        Formula f = new Formula(body);
        Object[] args = f.arguments(inputs);
        if (body.code() == null) {
            f.root = f.call(new LambdaBytecode.MethodRef(body.owner(), body.name(), body.descriptor()), args);
            return f;
        }
        f.root = f.run(body, 0, new ArrayDeque<>(), locals(args));
        return f;
    }

    /** A method's locals at its start: its arguments, a double taking two slots. */
    private static Object[] locals(Object[] args) {
        Object[] locals = new Object[256];
        int slot = 0;
        for (Object arg : args) {
            locals[slot] = arg;
            slot += arg instanceof Wide ? 2 : 1;
        }
        return locals;
    }

    /** Returns the formula's value. */
    Node root() {
        return root;
    }

    /** Returns input {@code i}: 0 is x, 1 is y, 2 the gradient g of a chain-rule loop. */
    Node input(int i) {
        return node(Kind.INPUT, null, null, null, null, null, i);
    }

    /** The method's arguments: the captured values as constants, then the inputs. */
    private Object[] arguments(int inputs) throws LambdaBytecode.Unreadable {
        String d = body.descriptor();
        List<Object> args = new ArrayList<>();
        int captured = 0;
        for (int i = 1; d.charAt(i) != ')'; i++) {
            char t = d.charAt(i);
            if (captured < body.captured().length) {
                Object v = body.captured()[captured++];
                switch (t) {
                    case 'F' -> args.add(constant((Float) v));
                    case 'D' -> args.add(new Wide(constant((Double) v)));
                    case 'I', 'S', 'B' -> args.add(((Number) v).intValue());
                    default -> throw new LambdaBytecode.Unreadable("it captures a value of type " + t);
                }
            } else if (t == 'F') {
                args.add(input(args.size() - captured));
            } else {
                throw new LambdaBytecode.Unreadable("its method takes " + d);
            }
        }
        if (args.size() - captured != inputs || !d.endsWith(")F")) {
            throw new LambdaBytecode.Unreadable("its method is " + d + ", not a float function of " + inputs);
        }
        return args.toArray();
    }

    /** Follows b's code from pc to its return; returns the returned value. */
    private Node run(LambdaBytecode.Body b, int pc, ArrayDeque<Object> stack, Object[] locals)
            throws LambdaBytecode.Unreadable {
        byte[] code = b.code();
        while (true) {
            int op = code[pc] & 0xff;
            switch (op) {
                case 0x00 -> pc++;                                                  // nop
                case 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 -> {                  // iconst_m1..5
                    stack.push(op - 0x03);
                    pc++;
                }
                case 0x0b, 0x0c, 0x0d -> {                                          // fconst_0..2
                    stack.push(constant(op - 0x0b));
                    pc++;
                }
                case 0x0e, 0x0f -> {                                                // dconst_0, 1
                    stack.push(new Wide(constant(op - 0x0e)));
                    pc++;
                }
                case 0x10 -> {                                                      // bipush
                    stack.push((int) code[pc + 1]);
                    pc += 2;
                }
                case 0x11 -> {                                                      // sipush
                    stack.push((int) (short) u2(code, pc + 1));
                    pc += 3;
                }
                case 0x12, 0x13, 0x14 -> {                                          // ldc, ldc_w, ldc2_w
                    int index = op == 0x12 ? code[pc + 1] & 0xff : u2(code, pc + 1);
                    Object v = b.pool()[index];
                    if (v instanceof Float f) {
                        stack.push(constant(f));
                    } else if (v instanceof Double dv) {
                        stack.push(new Wide(constant(dv)));
                    } else if (v instanceof Integer i) {
                        stack.push(i);
                    } else {
                        throw unsupported("a constant of "
                                + (v == null ? "another kind" : v.getClass().getSimpleName()));
                    }
                    pc += op == 0x12 ? 2 : 3;
                }
                case 0x15, 0x17, 0x18 -> {                                          // iload, fload, dload
                    stack.push(local(locals, code[pc + 1] & 0xff));
                    pc += 2;
                }
                case 0x1a, 0x1b, 0x1c, 0x1d -> {                                    // iload_0..3
                    stack.push(local(locals, op - 0x1a));
                    pc++;
                }
                case 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29 -> {            // fload_0..3, dload_0..3
                    stack.push(local(locals, (op - 0x22) % 4));
                    pc++;
                }
                case 0x38, 0x39 -> {                                                // fstore, dstore
                    locals[code[pc + 1] & 0xff] = stack.pop();
                    pc += 2;
                }
                case 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a -> {            // fstore_0..3, dstore_0..3
                    locals[(op - 0x43) % 4] = stack.pop();
                    pc++;
                }
                case 0x57 -> {                                                      // pop
                    stack.pop();
                    pc++;
                }
                case 0x58 -> {                                                      // pop2
                    if (!(stack.pop() instanceof Wide)) {
                        stack.pop();
                    }
                    pc++;
                }
                case 0x59 -> {                                                      // dup
                    stack.push(stack.peek());
                    pc++;
                }
                case 0x5c -> {                                                      // dup2
                    Object top = stack.pop();
                    if (top instanceof Wide) {
                        stack.push(top);
                        stack.push(top);
                    } else {
                        Object under = stack.pop();
                        stack.push(under);
                        stack.push(top);
                        stack.push(under);
                        stack.push(top);
                    }
                    pc++;
                }
                case 0x5f -> {                                                      // swap
                    Object top = stack.pop();
                    Object under = stack.pop();
                    stack.push(top);
                    stack.push(under);
                    pc++;
                }
                case 0x62, 0x63, 0x66, 0x67, 0x6a, 0x6b, 0x6e, 0x6f -> {            // f/d add, sub, mul, div
                    BinaryOp arithmetic = op < 0x66 ? BinaryOp.ADD : op < 0x6a ? BinaryOp.SUB
                            : op < 0x6e ? BinaryOp.MUL : BinaryOp.DIV;
                    Node right = value(stack.pop());
                    Node left = value(stack.pop());
                    push(stack, binary(arithmetic, left, right), (op & 1) == 1);
                    pc++;
                }
                case 0x76, 0x77 -> {                                                // fneg, dneg
                    push(stack, unary(UnaryOp.NEG, value(stack.pop())), op == 0x77);
                    pc++;
                }
                case 0x86, 0x87 -> {                                                // i2f, i2d
                    Object i = stack.pop();
                    if (!(i instanceof Integer n)) {
                        throw unsupported("an int that is not a constant");
                    }
                    push(stack, constant(n), op == 0x87);
                    pc++;
                }
                case 0x8d -> {                                                      // f2d
                    stack.push(new Wide(value(stack.pop())));
                    pc++;
                }
                case 0x90 -> {                                                      // d2f
                    stack.push(value(stack.pop()));
                    pc++;
                }
                case 0x95, 0x96, 0x97, 0x98 -> {                                    // fcmpl, fcmpg, dcmpl, dcmpg
                    Node right = value(stack.pop());
                    Node left = value(stack.pop());
                    stack.push(new Comparison(left, right, op == 0x95 || op == 0x97 ? -1 : 1));
                    pc++;
                }
                case 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e -> {                        // ifeq .. ifle
                    Object top = stack.pop();
                    if (!(top instanceof Comparison cmp)) {
                        throw unsupported("a branch on an int");
                    }
                    int target = pc + (short) u2(code, pc + 1);
                    if (target <= pc) {
                        throw unsupported("a loop");
                    }
                    return branch(b, op, cmp, target, pc + 3, stack, locals);
                }
                case 0xa7 -> {                                                      // goto
                    int target = pc + (short) u2(code, pc + 1);
                    if (target <= pc) {
                        throw unsupported("a loop");
                    }
                    pc = target;
                }
                case 0xae -> {                                                      // freturn
                    return value(stack.pop());
                }
                case 0xb8 -> {                                                      // invokestatic
                    Object ref = b.pool()[u2(code, pc + 1)];
                    if (!(ref instanceof LambdaBytecode.MethodRef m)) {
                        throw unsupported("a call it cannot name");
                    }
                    if (!m.descriptor().matches("\\([FDI]*\\)[FD]")) {
                        throw unsupported("a call of " + m.owner().replace('/', '.') + "." + m.name() + m.descriptor());
                    }
                    int count = m.descriptor().indexOf(')') - 1;
                    Object[] args = new Object[count];
                    for (int i = count - 1; i >= 0; i--) {
                        args[i] = stack.pop();
                    }
                    push(stack, call(m, args), m.descriptor().endsWith(")D"));
                    pc += 3;
                }
                default -> throw unsupported(String.format("the instruction 0x%02x", op));
            }
        }
    }

    /**
     * A conditional branch on a comparison: both ways are followed to their returns, and the
     * comparison selects between them lane by lane (both are pure, so computing both is harmless).
     */
    private Node branch(LambdaBytecode.Body b, int op, Comparison cmp, int target, int next, ArrayDeque<Object> stack,
                        Object[] locals)
            throws LambdaBytecode.Unreadable {
        if (++paths > MAX_PATHS) {
            throw unsupported("more than " + MAX_PATHS + " branches");
        }
        // Which outcomes of the comparison take the branch: less, equal, greater, unordered (NaN).
        boolean[] taken = {taken(op, -1), taken(op, 0), taken(op, 1), taken(op, cmp.nan())};
        if (taken[0] == taken[1] && taken[1] == taken[2] && taken[2] == taken[3]) {
            return run(b, taken[0] ? target : next, stack, locals);
        }
        // A comparison kernel whose 1s are the lanes that branch, or the lanes that do not.
        BinaryOp mask = null;
        int when = target;
        int otherwise = next;
        for (BinaryOp m : COMPARISONS) {
            boolean[] ones = {ScalarElementwise.apply(m, 0f, 1f) != 0f, ScalarElementwise.apply(m, 1f, 1f) != 0f,
                ScalarElementwise.apply(m, 1f, 0f) != 0f, ScalarElementwise.apply(m, Float.NaN, 0f) != 0f};
            if (java.util.Arrays.equals(ones, taken)) {
                mask = m;
                break;
            }
            if (ones[0] != taken[0] && ones[1] != taken[1] && ones[2] != taken[2] && ones[3] != taken[3]) {
                mask = m;
                when = next;
                otherwise = target;
                break;
            }
        }
        if (mask == null) {
            throw unsupported("a comparison with no kernel (ordered and unequal)");
        }
        Node yes = run(b, when, stack.clone(), locals.clone());
        Node no = run(b, otherwise, stack, locals);
        return select(binary(mask, cmp.a(), cmp.b()), yes, no);
    }

    /** Whether the int comparison of op (ifeq .. ifle) against 0 holds for outcome. */
    private static boolean taken(int op, int outcome) {
        return switch (op) {
            case 0x99 -> outcome == 0;
            case 0x9a -> outcome != 0;
            case 0x9b -> outcome < 0;
            case 0x9c -> outcome >= 0;
            case 0x9d -> outcome > 0;
            default -> outcome <= 0;
        };
    }

    /** A call of a static method: one of Math's, StrictMath's or FloatMath's that nn has a kernel for. */
    private Node call(LambdaBytecode.MethodRef m, Object[] args) throws LambdaBytecode.Unreadable {
        boolean math = m.owner().equals("java/lang/Math") || m.owner().equals("java/lang/StrictMath");
        boolean ours = m.owner().equals("dev/nn/core/function/FloatMath");
        String d = m.descriptor();
        boolean unaryForm = d.equals("(D)D") || d.equals("(F)F");
        if ((math || ours) && unaryForm && args.length == 1) {
            UnaryOp u = switch (m.name()) {
                case "exp" -> UnaryOp.EXP;
                case "log" -> UnaryOp.LOG;
                case "tanh" -> UnaryOp.TANH;
                case "sqrt" -> math ? UnaryOp.SQRT : null;
                case "abs" -> math ? UnaryOp.ABS : null;
                case "erf" -> ours ? UnaryOp.ERF : null;
                case "sigmoid" -> ours ? UnaryOp.SIGMOID : null;
                case "softplus" -> ours ? UnaryOp.SOFTPLUS : null;
                default -> null;
            };
            if (u != null) {
                return unary(u, value(args[0]));
            }
        }
        if (math && (d.equals("(FF)F") || d.equals("(DD)D")) && (m.name().equals("max") || m.name().equals("min"))) {
            return binary(m.name().equals("max") ? BinaryOp.MAX : BinaryOp.MIN, value(args[0]), value(args[1]));
        }
        if (!m.owner().startsWith("java/") && !ours) {
            return follow(m, args);
        }
        throw unsupported("a call of " + m.owner().replace('/', '.') + "." + m.name() + d);
    }

    /** A call of a static method of the program's own: its code is read and followed, as the lambda's is. */
    private Node follow(LambdaBytecode.MethodRef m, Object[] args) throws LambdaBytecode.Unreadable {
        if (++calls > MAX_CALLS) {
            throw unsupported("more than " + MAX_CALLS + " calls (recursion?)");
        }
        LambdaBytecode.Body callee = LambdaBytecode.method(body.loader(), m.owner(), m.name(), m.descriptor(),
                new Object[0]);
        return run(callee, 0, new ArrayDeque<>(), locals(args));
    }

    private static void push(ArrayDeque<Object> stack, Node v, boolean wide) {
        stack.push(wide ? new Wide(v) : v);
    }

    private static Object local(Object[] locals, int slot) throws LambdaBytecode.Unreadable {
        Object v = locals[slot];
        if (v == null) {
            throw new LambdaBytecode.Unreadable("it reads local " + slot + " before writing it");
        }
        return v;
    }

    private Node value(Object v) throws LambdaBytecode.Unreadable {
        if (v instanceof Node n) {
            return n;
        }
        if (v instanceof Wide w) {
            return w.node();
        }
        throw unsupported("an int or comparison used as a number");
    }

    private LambdaBytecode.Unreadable unsupported(String what) {
        return new LambdaBytecode.Unreadable("it uses " + what);
    }

    private static int u2(byte[] code, int at) {
        return ((code[at] & 0xff) << 8) | (code[at + 1] & 0xff);
    }

    // ---- nodes: interned, constants folded, 1 / (1 + e^-x) recognised as the SIGMOID kernel ----

    Node constant(double v) {
        return node(Kind.CONSTANT, null, null, null, null, null, (float) v);
    }

    Node unary(UnaryOp op, Node a) {
        if (a.kind == Kind.CONSTANT) {
            return constant(ScalarElementwise.apply(op, 0f, (float) a.value));
        }
        return node(Kind.UNARY, op, null, a, null, null, 0);
    }

    Node binary(BinaryOp op, Node a, Node b) {
        if (a.kind == Kind.CONSTANT && b.kind == Kind.CONSTANT) {
            return constant(ScalarElementwise.apply(op, (float) a.value, (float) b.value));
        }
        if (op == BinaryOp.DIV && a.isConstant(1) && b.kind == Kind.BINARY && b.binary == BinaryOp.ADD) {
            Node e = b.a.isConstant(1) ? b.b : b.b.isConstant(1) ? b.a : null;
            if (e != null && e.kind == Kind.UNARY && e.unary == UnaryOp.EXP && e.a.kind == Kind.UNARY
                    && e.a.unary == UnaryOp.NEG) {
                // What the SIGMOID kernel computes, operation for operation: the same bits in one pass.
                return unary(UnaryOp.SIGMOID, e.a.a);
            }
        }
        return node(Kind.BINARY, null, op, a, b, null, 0);
    }

    Node select(Node mask, Node yes, Node no) {
        if (yes == no) {
            return yes;
        }
        return node(Kind.SELECT, null, null, mask, yes, no, 0);
    }

    private Node node(Kind kind, UnaryOp unary, BinaryOp binary, Node a, Node b, Node c, double value) {
        List<Object> key = List.of(kind, unary == null ? (binary == null ? "" : binary) : unary, a == null ? -1 : a.id,
                b == null ? -1 : b.id, c == null ? -1 : c.id, Double.doubleToRawLongBits(value));
        return interned.computeIfAbsent(key, k -> new Node(interned.size(), kind, unary, binary, a, b, c, value));
    }
}
