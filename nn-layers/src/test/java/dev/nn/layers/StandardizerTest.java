package dev.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.autograd.GradCheck;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandardizerTest {

    @TempDir
    Path dir;

    @Test
    void fit_knownAnswers_populationStd_constantColumnKeepsStdOne() {
        // Columns: 1, 2, 3, 4 (mean 2.5, std √1.25); 10000, 10001, 10002, 10003 (large offset); 7, 7, 7, 7.
        Tensor x = Tensor.of(new float[] {1, 10000, 7, 2, 10001, 7, 3, 10002, 7, 4, 10003, 7}, 4, 3);
        Standardizer s = Standardizer.fit(x);
        assertArrayEquals(new float[] {2.5f, 10001.5f, 7f}, s.mean().toArray());
        float std = (float) Math.sqrt(1.25);
        assertArrayEquals(new float[] {std, std, 1f}, s.std().toArray());
        Tensor y = s.transform(x);
        float[] expected = {-1.5f / std, -1.5f / std, 0, -0.5f / std, -0.5f / std, 0, 0.5f / std, 0.5f / std, 0,
            1.5f / std, 1.5f / std, 0};
        assertArrayEquals(expected, y.toArray(), 1e-6f);
        assertEquals(y, s.forward(Variable.of(x)).value());
    }

    @Test
    void statistics_areBuffers_savedAndLoadedWithTheModel_notParameters() throws IOException {
        Tensor x = Tensor.randn(new Generator(3), 50, 4).mul(3f).add(5f);
        Generator g = new Generator(4);
        Sequential model = new Sequential(Standardizer.fit(x), new Linear(4, 3, true, g));
        assertEquals(List.of("0.mean", "0.std", "1.weight", "1.bias"), List.copyOf(model.stateDict().keySet()));
        assertEquals(2, model.parameters().size());
        Path file = dir.resolve("model.safetensors");
        model.save(file);
        Sequential loaded = new Sequential(new Standardizer(4), new Linear(4, 3, true, new Generator(9)));
        loaded.load(file);
        assertEquals(model.forward(Variable.of(x)).value(), loaded.forward(Variable.of(x)).value());
    }

    @Test
    void gradient_reachesTheInput() {
        Standardizer s = Standardizer.fit(Tensor.randn(new Generator(5), 20, 3));
        Variable x = Variable.of(Tensor.randn(new Generator(6), 4, 3)).requiresGrad();
        GradCheck.assertGradients(in -> s.forward(in[0]).square().sum(), x);
    }

    @Test
    void badInput_messages() {
        float[] v = {1, 2, Float.NaN, 4};
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Standardizer.fit(Tensor.of(v, 2, 2)));
        assertEquals("Standardizer.fit: row 1, column 0 is NaN (remove or fill missing values first)", nan.getMessage());
        ShapeException empty = assertThrows(ShapeException.class, () -> Standardizer.fit(Tensor.zeros(0, 3)));
        assertEquals("Standardizer.fit: expects data [n, features] with n, features > 0, got [0, 3]", empty.getMessage());
        Standardizer s = new Standardizer(3);
        ShapeException wide = assertThrows(ShapeException.class, () -> s.transform(Tensor.zeros(2, 4)));
        assertEquals("Standardizer(features=3): expects input [batch, 3], got [2, 4]", wide.getMessage());
        assertThrows(ShapeException.class, () -> s.forward(Variable.of(Tensor.zeros(3))));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new Standardizer(0));
        assertTrue(none.getMessage().startsWith("Standardizer: features must be > 0"), none.getMessage());
    }
}
