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
 */
final class SimdBinaryLoops {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SimdBinaryLoops() {
    }

    private static FloatVector at(float[] x, int offset) {
        return FloatVector.fromArray(S, x, offset);
    }

    static void add(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                    float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                at(a, ao + i).add(at(b, bo + i)).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                va.add(at(b, bo + i)).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                at(a, ao + i).add(vb).intoArray(y, yo + i);
            }
        }
    }

    static void sub(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                    float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                at(a, ao + i).sub(at(b, bo + i)).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                va.sub(at(b, bo + i)).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                at(a, ao + i).sub(vb).intoArray(y, yo + i);
            }
        }
    }

    static void mul(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                    float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                at(a, ao + i).mul(at(b, bo + i)).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                va.mul(at(b, bo + i)).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                at(a, ao + i).mul(vb).intoArray(y, yo + i);
            }
        }
    }

    static void div(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                    float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                at(a, ao + i).div(at(b, bo + i)).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                va.div(at(b, bo + i)).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                at(a, ao + i).div(vb).intoArray(y, yo + i);
            }
        }
    }

    static void max(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                    float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                at(a, ao + i).max(at(b, bo + i)).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                va.max(at(b, bo + i)).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                at(a, ao + i).max(vb).intoArray(y, yo + i);
            }
        }
    }

    static void min(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                    float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                at(a, ao + i).min(at(b, bo + i)).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                va.min(at(b, bo + i)).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                at(a, ao + i).min(vb).intoArray(y, yo + i);
            }
        }
    }

    static void gt(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                   float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                ones(at(a, ao + i).compare(VectorOperators.GT, at(b, bo + i))).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                ones(va.compare(VectorOperators.GT, at(b, bo + i))).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                ones(at(a, ao + i).compare(VectorOperators.GT, vb)).intoArray(y, yo + i);
            }
        }
    }

    static void ge(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                   float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                ones(at(a, ao + i).compare(VectorOperators.GE, at(b, bo + i))).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                ones(va.compare(VectorOperators.GE, at(b, bo + i))).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                ones(at(a, ao + i).compare(VectorOperators.GE, vb)).intoArray(y, yo + i);
            }
        }
    }

    static void lt(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                   float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                ones(at(a, ao + i).compare(VectorOperators.LT, at(b, bo + i))).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                ones(va.compare(VectorOperators.LT, at(b, bo + i))).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                ones(at(a, ao + i).compare(VectorOperators.LT, vb)).intoArray(y, yo + i);
            }
        }
    }

    static void le(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                   float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                ones(at(a, ao + i).compare(VectorOperators.LE, at(b, bo + i))).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                ones(va.compare(VectorOperators.LE, at(b, bo + i))).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                ones(at(a, ao + i).compare(VectorOperators.LE, vb)).intoArray(y, yo + i);
            }
        }
    }

    static void eq(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                   float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                ones(at(a, ao + i).compare(VectorOperators.EQ, at(b, bo + i))).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                ones(va.compare(VectorOperators.EQ, at(b, bo + i))).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                ones(at(a, ao + i).compare(VectorOperators.EQ, vb)).intoArray(y, yo + i);
            }
        }
    }

    static void ne(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                   float[] y, int yo, int bound) {
        if (aInc == 1 && bInc == 1) {
            for (int i = 0; i < bound; i += L) {
                ones(at(a, ao + i).compare(VectorOperators.NE, at(b, bo + i))).intoArray(y, yo + i);
            }
        } else if (bInc == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                ones(va.compare(VectorOperators.NE, at(b, bo + i))).intoArray(y, yo + i);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                ones(at(a, ao + i).compare(VectorOperators.NE, vb)).intoArray(y, yo + i);
            }
        }
    }

    private static FloatVector ones(VectorMask<Float> mask) {
        return FloatVector.zero(S).blend(1f, mask);
    }
}
