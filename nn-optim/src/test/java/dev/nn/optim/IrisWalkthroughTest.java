package dev.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.layers.Linear;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import dev.nn.layers.Standardizer;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.optim.data.Csv;
import dev.nn.optim.data.Dataset;
import dev.nn.optim.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's walk from a CSV file to a saved, reloaded classifier, line for line. */
class IrisWalkthroughTest {

    @TempDir
    Path dir;

    @Test
    void readmeWalkthrough_trainsSavesReloads_andPredictsFromRawFeatures() throws IOException {
        Files.copy(Path.of("src/test/resources/dev/nn/optim/data/iris.csv"), dir.resolve("iris.csv"));
        Path csv = dir.resolve("iris.csv");
        Path file = dir.resolve("iris.safetensors");

        // --- as in the README ---
        Csv.Table iris = Csv.reader().header(true).label("species").read(csv);
        Dataset.Split split = iris.dataset().split(0.2f, 42);
        var model = new Sequential(Standardizer.fit(split.train().features()),   // statistics of the training part
                new Linear(4, 16), new ReLU(), new Linear(16, 3));
        var trainer = Trainer.builder().model(model).loss(new CrossEntropyLoss())
                .optimizer(new Adam(model.parameters(), 0.01f)).epochs(30).batchSize(16).seed(1).build();
        trainer.fit(split.train(), split.validation());
        double accuracy = trainer.evaluate(split.validation()).accuracy();
        model.save(file);

        var loaded = new Sequential(new Standardizer(4), new Linear(4, 16), new ReLU(), new Linear(16, 3));
        loaded.load(file);
        loaded.eval();
        try (var noGrad = Autograd.noGrad()) {
            Tensor flower = Tensor.of(new float[] {6.3f, 2.9f, 5.6f, 1.8f}, 1, 4);   // raw measurements, in cm
            int k = loaded.forward(Variable.of(flower)).value().argmax();
            String species = iris.classes().get(k);                                  // "virginica"
            // --- end ---
            assertEquals("virginica", species);
        }
        assertTrue(accuracy >= 0.9, "validation accuracy " + accuracy);
        assertEquals(model.stateDict(), loaded.stateDict());
    }
}
