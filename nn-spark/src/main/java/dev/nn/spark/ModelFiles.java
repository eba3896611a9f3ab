package dev.nn.spark;

import dev.nn.layers.Module;
import dev.nn.layers.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.SparkSession;

/**
 * How nn-spark's models are stored under a Spark ML path: Spark's params metadata, and in
 * {@code data/} the architecture as JSON ({@link Architecture}) with the model's output width,
 * and the weights as safetensors, through Hadoop's FileSystem so any Spark file system works.
 */
final class ModelFiles {

    private static final String WEIGHTS = "weights.safetensors";
    private static final String ARCHITECTURE = "architecture.json";

    private ModelFiles() {
    }

    /** What a saved model holds: its Spark metadata, how to rebuild it, its weights, its output width. */
    record Loaded(DefaultParamsReader.Metadata metadata, Factory<Module> factory, Tasks.Named weights, int outputs) {
    }

    /**
     * Saves {@code model} (its params) with {@code module} at {@code path}; refuses a module
     * {@link Architecture} cannot describe before writing anything.
     */
    static void save(String owner, Params model, Module module, int outputs, String path, SparkSession spark) {
        String architecture = Architecture.describe(module);
        DefaultParamsWriter$.MODULE$.saveMetadata(model, path, spark);
        try {
            java.nio.file.Path local = Files.createTempDirectory("nn-spark-save");
            try {
                module.save(local.resolve(WEIGHTS));
                Files.writeString(local.resolve(ARCHITECTURE), "{\"outputs\":" + outputs + ",\"model\":"
                        + Json.quote(architecture) + "}");
                Path data = new Path(path, "data");
                FileSystem fs = data.getFileSystem(spark.sparkContext().hadoopConfiguration());
                fs.mkdirs(data);
                for (String f : List.of(WEIGHTS, ARCHITECTURE)) {
                    fs.copyFromLocalFile(new Path(local.resolve(f).toUri()), new Path(data, f));
                }
            } finally {
                deleteTree(local);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(owner + ": cannot save to " + path + " (" + e.getMessage() + ")", e);
        }
    }

    /** Reads what {@link #save} wrote at {@code path}. */
    /**
     * Returns the reader of {@code owner}'s saved models: {@code build} makes the model from what
     * was loaded, then the saved params are set on it.
     */
    static <M extends Params> MLReader<M> reader(String owner, java.util.function.Function<Loaded, M> build) {
        return new MLReader<>() {
            @Override
            public M load(String path) {
                Loaded saved = ModelFiles.load(owner, path, sparkSession());
                M model = build.apply(saved);
                saved.metadata().getAndSetParams(model, scala.Option.empty());
                return model;
            }
        };
    }

    static Loaded load(String owner, String path, SparkSession spark) {
        DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, spark);
        try {
            java.nio.file.Path local = Files.createTempDirectory("nn-spark-load");
            try {
                Path data = new Path(path, "data");
                FileSystem fs = data.getFileSystem(spark.sparkContext().hadoopConfiguration());
                for (String f : List.of(WEIGHTS, ARCHITECTURE)) {
                    fs.copyToLocalFile(new Path(data, f), new Path(local.resolve(f).toUri()));
                }
                Map<?, ?> saved = (Map<?, ?>) Json.parse(Files.readString(local.resolve(ARCHITECTURE)));
                String modelJson = (String) saved.get("model");
                Factory<Module> factory = () -> Architecture.build(modelJson);
                Module m = factory.create();
                m.load(local.resolve(WEIGHTS));
                return new Loaded(metadata, factory, Tasks.Named.of(m.stateDict()),
                        ((Number) saved.get("outputs")).intValue());
            } finally {
                deleteTree(local);
            }
        } catch (IOException | Json.ParseException | RuntimeException e) {
            throw new IllegalArgumentException(owner + ": cannot load " + path + " (" + e.getMessage() + ")", e);
        }
    }

    private static void deleteTree(java.nio.file.Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (java.nio.file.Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
