package dev.nn.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * SimdMath's vector functions keep the shape that lets C2 inline them into every loop (see the
 * comment at the top of SimdMath): straight-line code, no branch and no call to another method
 * of ours. A branch the profile decides let exp, compiled on its own, parse one path or both, and
 * with both it passed C2's node cutoff and boxed in every loop that called it, in some runs only
 * (KernelAllocationTest, on CI). That cannot be provoked on demand, so its cause is checked here,
 * in the bytecode.
 */
class SimdMathShapeTest {

    @Test
    void vectorFunctions_straightLine_callOnlyTheVectorApi() throws Exception {
        assumeTrue(KernelProvider.vectorModulePresent(), "jdk.incubator.vector is absent");
        List<String> checked = new ArrayList<>();
        for (Method m : SimdMath.class.getDeclaredMethods()) {
            if (m.getReturnType() != FloatVector.class) {
                continue;
            }
            String descriptor = MethodType.methodType(m.getReturnType(), m.getParameterTypes())
                    .toMethodDescriptorString();
            LambdaBytecode.Body body = LambdaBytecode.method(SimdMath.class.getClassLoader(),
                    "dev/nn/core/kernel/SimdMath", m.getName(), descriptor, new Object[0]);
            assertStraightLine(m.getName(), body);
            checked.add(m.getName());
        }
        assertTrue(checked.contains("exp") && checked.contains("log"), "checked " + checked);
    }

    /** Fails at a branch, a switch, or a call to a method outside jdk.incubator.vector and java.lang. */
    private static void assertStraightLine(String name, LambdaBytecode.Body body) {
        byte[] code = body.code();
        int pc = 0;
        while (pc < code.length) {
            int op = code[pc] & 0xff;
            if ((op >= 0x99 && op <= 0xa8) || op == 0xaa || op == 0xab || op == 0xc6 || op == 0xc7 || op == 0xc8) {
                fail("SimdMath." + name + " branches at bytecode " + pc + " (opcode 0x" + Integer.toHexString(op)
                        + "): split it into straight-line methods, as exp and expNormalRange are");
            }
            if (op == 0xb6 || op == 0xb7 || op == 0xb8 || op == 0xb9) {
                int index = ((code[pc + 1] & 0xff) << 8) | (code[pc + 2] & 0xff);
                LambdaBytecode.MethodRef ref = (LambdaBytecode.MethodRef) body.pool()[index];
                assertTrue(ref.owner().startsWith("jdk/incubator/vector/") || ref.owner().startsWith("java/lang/"),
                        "SimdMath." + name + " calls " + ref.owner() + "." + ref.name()
                                + ": only the loops may combine our vector methods");
            }
            pc += length(op, name, pc);
        }
        assertEquals(code.length, pc, "SimdMath." + name + ": walked past the end of the code");
    }

    /** The length of the instructions these methods use; any other fails, to be added here. */
    private static int length(int op, String name, int pc) {
        if (op <= 0x0f || (op >= 0x1a && op <= 0x35) || (op >= 0x3b && op <= 0x83) || (op >= 0x85 && op <= 0x98)
                || (op >= 0xac && op <= 0xb1) || op == 0xbe || op == 0xbf) {
            return 1;               // constants, loads and stores of slots 0-3, arithmetic, returns
        }
        if (op == 0x10 || op == 0x12 || (op >= 0x15 && op <= 0x19) || (op >= 0x36 && op <= 0x3a) || op == 0xbc) {
            return 2;               // bipush, ldc, loads and stores by index, newarray
        }
        if (op == 0x11 || op == 0x13 || op == 0x14 || op == 0x84 || (op >= 0xb2 && op <= 0xb8) || op == 0xbb
                || op == 0xbd || op == 0xc0 || op == 0xc1) {
            return 3;               // sipush, ldc_w, iinc, fields, invokes, new, checkcast
        }
        if (op == 0xb9 || op == 0xba) {
            return 5;               // invokeinterface, invokedynamic
        }
        throw new AssertionError("SimdMath." + name + ": opcode 0x" + Integer.toHexString(op) + " at " + pc
                + " is not in this test's table of lengths");
    }
}
