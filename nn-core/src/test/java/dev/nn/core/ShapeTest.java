package dev.nn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void of_dims_sizeRankStridesAndToString() {
        Shape s = Shape.of(64, 1000);
        assertEquals(2, s.rank());
        assertEquals(64000, s.size());
        assertEquals(1000, s.stride(0));
        assertEquals(1, s.stride(1));
        assertEquals(1000, s.dim(-1));
        assertEquals("[64, 1000]", s.toString());
        assertEquals("[]", Shape.scalar().toString());
        assertEquals(1, Shape.scalar().size());
    }

    @Test
    void equalsAndHashCode_byDimensions() {
        assertEquals(Shape.of(2, 3), Shape.of(2, 3));
        assertEquals(Shape.of(2, 3).hashCode(), Shape.of(2, 3).hashCode());
        assertNotEquals(Shape.of(3, 2), Shape.of(2, 3));
        assertEquals(Shape.of(), Shape.scalar());
    }

    @Test
    void of_callerArrayChangedLater_shapeUnchanged() {
        int[] dims = {2, 3};
        Shape s = Shape.of(dims);
        dims[0] = 7;
        assertEquals(Shape.of(2, 3), s);
        s.dims()[1] = 9;
        assertEquals(Shape.of(2, 3), s);
    }

    @Test
    void broadcast_numpyRules() {
        assertEquals(Shape.of(8, 1, 6, 5), Shape.broadcast("add", Shape.of(8, 1, 6, 1), Shape.of(7, 1, 5)).withDim(1, 1));
        assertEquals(Shape.of(8, 7, 6, 5), Shape.broadcast("add", Shape.of(8, 1, 6, 1), Shape.of(7, 1, 5)));
        assertEquals(Shape.of(3, 4), Shape.broadcast("add", Shape.of(3, 4), Shape.scalar()));
        assertEquals(Shape.of(3, 4), Shape.broadcast("add", Shape.of(4), Shape.of(3, 1)));
        assertEquals(Shape.of(0, 4), Shape.broadcast("add", Shape.of(0, 1), Shape.of(4)));
        assertEquals(Shape.of(1), Shape.broadcast("add", Shape.of(1), Shape.scalar()));
    }

    @Test
    void broadcast_incompatible_messageNamesOpShapesAndSizes() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Shape.broadcast("add", Shape.of(64, 10), Shape.of(3, 1)));
        assertEquals("add: shapes [64, 10] and [3, 1] cannot be broadcast (64 != 3 at dimension 0 of the result)",
                e.getMessage());
        e = assertThrows(ShapeException.class, () -> Shape.broadcast("mul", Shape.of(2, 3), Shape.of(4)));
        assertEquals("mul: shapes [2, 3] and [4] cannot be broadcast (3 != 4 at dimension 1 of the result)",
                e.getMessage());
    }

    @Test
    void of_negativeDimension_rejected() {
        ShapeException e = assertThrows(ShapeException.class, () -> Shape.of(2, -1));
        assertEquals("shape: dimensions must be >= 0, got [2, -1]", e.getMessage());
    }

    @Test
    void of_tooManyElements_rejected() {
        ShapeException e = assertThrows(ShapeException.class, () -> Shape.of(65536, 65536));
        assertEquals("shape: [65536, 65536] has more than 2147483639 elements", e.getMessage());
    }

    @Test
    void axis_outOfRange_messageNamesOpAxisAndShape() {
        ShapeException e = assertThrows(ShapeException.class, () -> Shape.of(2, 3).axis(2, "sum"));
        assertEquals("sum: axis 2 is out of range for shape [2, 3] (rank 2)", e.getMessage());
        assertEquals(1, Shape.of(2, 3).axis(-1, "sum"));
    }
}
