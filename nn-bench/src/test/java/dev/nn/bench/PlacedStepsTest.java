package dev.nn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlacedStepsTest {

    @Test
    void setsCountWhereBothReadingsAgree_andTheRestApart() {
        List<double[]> sets = List.of(
                new double[] {240, 260, 2900},   // two dies
                new double[] {330, 210, 2700},   // two dies
                new double[] {250, 230, 3100},   // two dies
                new double[] {68, 71, 2100},     // one complex
                new double[] {70, 66, 2200},     // one complex
                new double[] {69, 250, 2500});   // moved while it ran
        assertEquals("median µs a step (sets): two dies 2900 (3), one complex 2150 (2), moved or between 2500 (1)",
                PlacedSteps.summary(sets));
        assertEquals("median µs a step (sets): two dies - (0), one complex - (0), moved or between - (0)",
                PlacedSteps.summary(List.of()));
        assertEquals("cores 68 / 71 ns apart: 2125 µs a step", PlacedSteps.line(new double[] {68.2, 70.6, 2125.4}));
    }
}
