package dev.nn.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One vector loop per {@link BinaryOp} over whole vectors, [0, bound), each an
 * {@link SimdElementwise.BinaryLoop} in {@code SimdElementwise}'s table, with a loop for each
 * form: both operands contiguous, or one of them broadcast (inc 0, never both). A single loop
 * indexing {@code a[ao + i·aInc]} ran at 0.55-0.68x of these, and a vector chosen per form inside
 * one loop would be boxed.
 *
 * <p>The loops call no helper of ours that takes or returns a vector, only the Vector API's
 * methods (which C2 inlines whatever the profile says). A form that ran rarely while C2 compiled
 * its method is a cold call site, and C2 does not inline a method of ours there ("low call site
 * frequency"), so it boxes each vector crossing the call: at 128-bit vectors on JDK 25, a warm-up
 * of large tensor operations that broadcast a scalar left MUL's contiguous form allocating 48 bytes
 * per vector for good (KernelAllocationTest's binary and unary cases, after such a warm-up). A
 * load helper, {@code at(x, i)}, did that.
 */
final class SimdBinaryLoops {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SimdBinaryLoops() {
    }

    static void add(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                    float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                va.add(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).add(vb).intoArray(y, yo + i);
            }
        }
    }

    static void sub(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                    float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                va.sub(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).sub(vb).intoArray(y, yo + i);
            }
        }
    }

    static void mul(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                    float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                va.mul(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).mul(vb).intoArray(y, yo + i);
            }
        }
    }

    static void div(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                    float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                va.div(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).div(vb).intoArray(y, yo + i);
            }
        }
    }

    static void max(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                    float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).max(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                va.max(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).max(vb).intoArray(y, yo + i);
            }
        }
    }

    static void min(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                    float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).min(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                va.min(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).min(vb).intoArray(y, yo + i);
            }
        }
    }

    static void gt(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                   float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.GT,
                        FloatVector.fromArray(S, b, bo + i));
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = va.compare(VectorOperators.GT, FloatVector.fromArray(S, b, bo + i));
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.GT, vb);
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        }
    }

    static void ge(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                   float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.GE,
                        FloatVector.fromArray(S, b, bo + i));
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = va.compare(VectorOperators.GE, FloatVector.fromArray(S, b, bo + i));
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.GE, vb);
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        }
    }

    static void lt(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                   float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.LT,
                        FloatVector.fromArray(S, b, bo + i));
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = va.compare(VectorOperators.LT, FloatVector.fromArray(S, b, bo + i));
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.LT, vb);
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        }
    }

    static void le(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                   float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.LE,
                        FloatVector.fromArray(S, b, bo + i));
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = va.compare(VectorOperators.LE, FloatVector.fromArray(S, b, bo + i));
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.LE, vb);
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        }
    }

    static void eq(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                   float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.EQ,
                        FloatVector.fromArray(S, b, bo + i));
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = va.compare(VectorOperators.EQ, FloatVector.fromArray(S, b, bo + i));
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.EQ, vb);
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        }
    }

    static void ne(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                   float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.NE,
                        FloatVector.fromArray(S, b, bo + i));
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = va.compare(VectorOperators.NE, FloatVector.fromArray(S, b, bo + i));
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                VectorMask<Float> m = FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.NE, vb);
                FloatVector.zero(S).blend(1f, m).intoArray(y, yo + i);
            }
        }
    }
}
