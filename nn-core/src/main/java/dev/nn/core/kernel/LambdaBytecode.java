package dev.nn.core.kernel;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * The bytecode of a lambda's body, read from its class file: what {@link Formula} translates. A
 * lambda is a hidden class that calls a private static method of the class that wrote it; as a
 * {@link java.io.Serializable} lambda it names that method ({@link SerializedLambda}) and the
 * values it captured, and the method's code is in the writer's class file.
 */
final class LambdaBytecode {

    /**
     * A method's code and the constant pool it indexes; {@code captured} are the leading arguments'
     * values; {@code loader} finds the class files of the methods it calls.
     */
    record Body(String owner, String name, String descriptor, byte[] code, Object[] pool, Object[] captured,
                ClassLoader loader) {
    }

    /** A Methodref in the constant pool: class, name and descriptor. */
    record MethodRef(String owner, String name, String descriptor) {
    }

    /** Why a lambda could not be read, for the log. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String why) {
            super(why, null, false, false);
        }
    }

    private LambdaBytecode() {
    }

    /**
     * Returns the body of the static method {@code function} runs: its lambda expression's, or the
     * static method it refers to ({@code MyActivations::swish}); for a method of the JDK or of
     * {@code FloatMath} ({@code Math::abs}), with no code, since those are read by name.
     *
     * @throws Unreadable if it is not a serializable lambda of a static method, or its class file cannot be read
     */
    static Body of(Object function) throws Unreadable {
        SerializedLambda lambda = serialized(function);
        if (lambda.getImplMethodKind() != MethodHandleInfo.REF_invokeStatic) {
            throw new Unreadable("it is not a static lambda (it uses 'this' or calls an instance method)");
        }
        Object[] captured = new Object[lambda.getCapturedArgCount()];
        for (int i = 0; i < captured.length; i++) {
            captured[i] = lambda.getCapturedArg(i);
        }
        String owner = lambda.getImplClass();
        ClassLoader loader = function.getClass().getClassLoader();
        if (owner.startsWith("java/") || owner.equals("dev/nn/core/function/FloatMath")) {
            return new Body(owner, lambda.getImplMethodName(), lambda.getImplMethodSignature(), null, null, captured,
                    loader);
        }
        return method(loader, owner, lambda.getImplMethodName(), lambda.getImplMethodSignature(), captured);
    }

    /**
     * Returns the code of the static method {@code owner.name descriptor}, read from its class file through loader.
     *
     * @throws Unreadable if the class file cannot be read or has no such method
     */
    static Body method(ClassLoader loader, String owner, String name, String descriptor, Object[] captured)
            throws Unreadable {
        String resource = owner + ".class";
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new Unreadable("the class file of " + owner + " is not readable");
            }
            return method(new DataInputStream(in), owner, name, descriptor, captured, loader);
        } catch (IOException e) {
            throw new Unreadable("reading " + owner + ".class failed: " + e);
        }
    }

    private static SerializedLambda serialized(Object function) throws Unreadable {
        try {
            Method replace = function.getClass().getDeclaredMethod("writeReplace");
            replace.setAccessible(true);
            Object form = replace.invoke(function);
            if (form instanceof SerializedLambda s) {
                return s;
            }
        } catch (NoSuchMethodException e) {
            throw new Unreadable("it is not a lambda expression or method reference");
        } catch (ReflectiveOperationException | RuntimeException e) {
            // InaccessibleObjectException where the lambda's package is not open to dev.nn.core.
            throw new Unreadable("its form is not accessible: " + e);
        }
        throw new Unreadable("it is not a lambda expression or method reference");
    }

    /** Reads a class file up to the method {@code name descriptor}, and returns its code. */
    private static Body method(DataInputStream in, String owner, String name, String descriptor, Object[] captured,
                               ClassLoader loader) throws IOException, Unreadable {
        if (in.readInt() != 0xCAFEBABE) {
            throw new Unreadable(owner + ".class is not a class file");
        }
        in.readUnsignedShort();                     // minor and major version
        in.readUnsignedShort();
        Object[] pool = pool(in);
        in.readUnsignedShort();                     // access flags, this class, super class
        in.readUnsignedShort();
        in.readUnsignedShort();
        in.skipBytes(2 * in.readUnsignedShort());   // interfaces
        int fields = in.readUnsignedShort();
        for (int f = 0; f < fields; f++) {
            in.skipBytes(6);
            skipAttributes(in);
        }
        int methods = in.readUnsignedShort();
        for (int m = 0; m < methods; m++) {
            in.readUnsignedShort();
            String mName = (String) pool[in.readUnsignedShort()];
            String mDescriptor = (String) pool[in.readUnsignedShort()];
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String aName = (String) pool[in.readUnsignedShort()];
                int length = in.readInt();
                if (aName.equals("Code") && mName.equals(name) && mDescriptor.equals(descriptor)) {
                    in.readUnsignedShort();         // max stack, max locals
                    in.readUnsignedShort();
                    byte[] code = new byte[in.readInt()];
                    in.readFully(code);
                    return new Body(owner, name, descriptor, code, pool, captured, loader);
                }
                in.skipBytes(length);
            }
        }
        throw new Unreadable(owner + ".class has no method " + name + descriptor);
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            in.readUnsignedShort();
            in.skipBytes(in.readInt());
        }
    }

    /**
     * Reads the constant pool: strings for Utf8 entries, boxed numbers for Integer, Float, Long and
     * Double, a {@link MethodRef} for method references, the index of the name for Class entries
     * (resolved after), and null for the rest.
     */
    private static Object[] pool(DataInputStream in) throws IOException, Unreadable {
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        int[][] refs = new int[count][];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> pool[i] = in.readUTF();
                case 3 -> pool[i] = in.readInt();
                case 4 -> pool[i] = in.readFloat();
                case 5 -> pool[i++] = in.readLong();          // takes two entries
                case 6 -> pool[i++] = in.readDouble();
                case 7, 8, 16, 19, 20 -> refs[i] = new int[] {tag, in.readUnsignedShort()};
                case 9, 10, 11, 12, 17, 18 -> refs[i] = new int[] {tag, in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new Unreadable("unknown constant pool tag " + tag);
            }
        }
        for (int i = 1; i < count; i++) {
            if (refs[i] != null && (refs[i][0] == 10 || refs[i][0] == 11)) {
                int[] nameAndType = refs[refs[i][2]];
                String owner = (String) pool[refs[refs[i][1]][1]];
                pool[i] = new MethodRef(owner, (String) pool[nameAndType[1]], (String) pool[nameAndType[2]]);
            }
        }
        return pool;
    }
}
