package dev.nn.autograd;

import dev.nn.core.Shape;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;

/** The gates that reduce or select: sum, mean, max, softmax, log-softmax and gather. */
final class Reductions {

    private Reductions() {
    }

    /** The axis value meaning "over all elements". */
    static final int ALL = -1;

    /** Sum or mean over all elements or one axis; backward spreads the gradient back (divided by n for the mean). */
    static final class Sum extends Function {
        private final int axis;
        private final boolean keepDims;
        private final boolean mean;

        Sum(int axis, boolean keepDims, boolean mean) {
            super(mean ? "mean" : "sum", true);
            this.axis = axis;
            this.keepDims = keepDims;
            this.mean = mean;
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            if (axis == ALL) {
                return mean ? x.mean() : x.sum();
            }
            return mean ? x.mean(axis, keepDims) : x.sum(axis, keepDims);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Shape shape = ctx.inputShape(0);
            if (axis == ALL) {
                float v = g.item();
                return new Tensor[] {Tensor.full(mean ? v / shape.size() : v, shape.dims())};
            }
            Tensor kept = g.reshape(shape.withDim(axis, 1).dims());
            if (mean) {
                kept = kept.mul(Tensor.scalar(1f / shape.dim(axis)));
            }
            return new Tensor[] {Tensor.zeros(shape.dims()).add(kept)};
        }
    }

    /** Max over all elements or one axis; the gradient goes to the first largest element. */
    static final class Max extends Function {
        private final int axis;
        private final boolean keepDims;

        Max(int axis, boolean keepDims) {
            super("max", true);
            this.axis = axis;
            this.keepDims = keepDims;
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            if (axis == ALL) {
                Tensor m = x.max();
                ctx.save(Tensor.scalar(x.argmax()));
                return m;
            }
            ctx.save(x.argmax(axis, true));
            return x.max(axis, keepDims);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Shape shape = ctx.inputShape(0);
            float[] d = new float[shape.size()];
            float[] index = ctx.saved(0).toArray();
            float[] up = g.toArray();
            if (axis == ALL) {
                d[(int) index[0]] = up[0];
            } else {
                int n = shape.dim(axis);
                int inner = shape.stride(axis);
                int outer = shape.size() / Math.max(1, n * inner);
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        int k = o * inner + i;
                        d[(o * n + (int) index[k]) * inner + i] = up[k];
                    }
                }
            }
            return new Tensor[] {Tensor.of(d, shape.dims())};
        }
    }

    static final Function SOFTMAX = new Function("softmax", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].softmax();
            ctx.save(y);
            return y;
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor y = ctx.saved(0);
            Tensor dot = g.mul(y).sum(y.rank() - 1, true);        // Σⱼ gⱼ·yⱼ per row
            return new Tensor[] {y.mul(g.sub(dot))};
        }
    };

    static final Function LOG_SOFTMAX = new Function("logSoftmax", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].logSoftmax();
            ctx.save(y);
            return y;
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor y = ctx.saved(0);
            Tensor total = g.sum(y.rank() - 1, true);             // Σⱼ gⱼ per row
            return new Tensor[] {g.sub(y.exp().mul(total))};
        }
    };

    /** {@code out[i] = x[i, indices[i]]}; backward scatters each row's gradient to its index. */
    static final class Gather extends Function {
        private final int[] indices;

        Gather(Shape shape, int[] indices) {
            super("gather", true);
            if (shape.rank() != 2) {
                throw new ShapeException("gather: expects a 2-D variable [rows, classes], got shape " + shape);
            }
            if (indices.length != shape.dim(0)) {
                throw new ShapeException("gather: " + indices.length + " indices for " + shape.dim(0) + " rows (shape "
                        + shape + ")");
            }
            int classes = shape.dim(1);
            for (int i = 0; i < indices.length; i++) {
                if (indices[i] < 0 || indices[i] >= classes) {
                    throw new IndexOutOfBoundsException("gather: index " + indices[i] + " at position " + i
                            + " is out of range for " + classes + " classes (shape " + shape + ")");
                }
            }
            this.indices = indices.clone();
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            float[] out = new float[indices.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = in[0].get(i, indices[i]);
            }
            return Tensor.of(out, out.length);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Shape shape = ctx.inputShape(0);
            int classes = shape.dim(1);
            float[] d = new float[shape.size()];
            float[] up = g.toArray();
            for (int i = 0; i < indices.length; i++) {
                d[i * classes + indices[i]] = up[i];
            }
            return new Tensor[] {Tensor.of(d, shape.dims())};
        }
    }
}
