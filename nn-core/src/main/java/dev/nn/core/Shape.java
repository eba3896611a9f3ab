package dev.nn.core;

import java.util.Arrays;

/**
 * The immutable dimensions of a tensor, outermost first; {@code []} is a scalar.
 *
 * <p>Prints as {@code [64, 1000]}. {@link #broadcast} follows NumPy's rules: shapes are aligned
 * at their last dimension, and two sizes are compatible when equal or when one of them is 1.
 */
public final class Shape {

    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        this.dims = dims;
        long n = 1;
        for (int d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new ShapeException("shape: " + Arrays.toString(dims) + " has more than "
                        + (Integer.MAX_VALUE - 8) + " elements");
            }
        }
        this.size = (int) n;
    }

    /** Returns the shape with the given dimensions, each at least 0. */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        for (int d : dims) {
            if (d < 0) {
                throw new ShapeException("shape: dimensions must be >= 0, got " + Arrays.toString(dims));
            }
        }
        return new Shape(dims.clone());
    }

    /** Returns the shape of a scalar, {@code []}. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Returns the number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Returns dimension {@code axis}; negative axes count from the end ({@code -1} is the last). */
    public int dim(int axis) {
        return dims[axis(axis, "dim")];
    }

    /** Returns a copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** Returns the number of elements (1 for a scalar). */
    public int size() {
        return size;
    }

    /** Returns {@code axis} made non-negative, or throws naming {@code op} if it is out of range. */
    public int axis(int axis, String op) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new ShapeException(op + ": axis " + axis + " is out of range for shape " + this
                    + " (rank " + dims.length + ")");
        }
        return a;
    }

    /** Returns the number of elements between consecutive entries along {@code axis} (row-major strides). */
    public int stride(int axis) {
        int s = 1;
        for (int i = dims.length - 1; i > axis; i--) {
            s *= dims[i];
        }
        return s;
    }

    /** Returns this shape with dimension {@code axis} replaced by {@code size}. */
    public Shape withDim(int axis, int size) {
        int[] d = dims.clone();
        d[axis(axis, "withDim")] = size;
        return new Shape(d);
    }

    /** Returns this shape with dimension {@code axis} removed. */
    public Shape without(int axis) {
        int a = axis(axis, "without");
        int[] d = new int[dims.length - 1];
        System.arraycopy(dims, 0, d, 0, a);
        System.arraycopy(dims, a + 1, d, a, dims.length - a - 1);
        return d.length == 0 ? SCALAR : new Shape(d);
    }

    /**
     * Returns the shape two operands broadcast to under NumPy's rules, or throws naming {@code op},
     * both shapes and the first pair of sizes that disagree.
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        // The leading dimensions of the longer shape pass through; only the trailing ones both
        // have are compared. (A test of each i against either rank inside the loop is one C2
        // hoists on the ranks it profiled, and then deoptimizes on the first other pair.)
        int rank = Math.max(a.rank(), b.rank());
        int[] out = (a.rank() >= b.rank() ? a : b).dims.clone();
        int both = Math.min(a.rank(), b.rank());
        for (int i = 1; i <= both; i++) {
            int da = a.dims[a.rank() - i];
            int db = b.dims[b.rank() - i];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + a + " and " + b + " cannot be broadcast (" + da
                        + " != " + db + " at dimension " + (rank - i) + " of the result)");
            }
            out[rank - i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
