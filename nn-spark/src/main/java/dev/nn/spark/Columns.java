package dev.nn.spark;

import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Checks of a DataFrame's columns before any job, and reading a row's features. */
final class Columns {

    private Columns() {
    }

    /** Checks that {@code name} holds features: an ML vector or an array of floats or doubles. */
    static void requireFeatures(String owner, StructType schema, String name) {
        DataType t = field(owner, schema, name).dataType();
        boolean ok = t.equals(SQLDataTypes.VectorType())
                || t instanceof ArrayType a && (a.elementType().equals(DataTypes.FloatType)
                || a.elementType().equals(DataTypes.DoubleType));
        if (!ok) {
            throw new IllegalArgumentException(owner + ": column \"" + name + "\" must hold features as a vector or"
                    + " an array of float or double, but is " + t.simpleString());
        }
    }

    /** Checks that {@code name} holds numbers (class indices). */
    static void requireNumeric(String owner, StructType schema, String name) {
        DataType t = field(owner, schema, name).dataType();
        if (!(t instanceof NumericType)) {
            throw new IllegalArgumentException(owner + ": column \"" + name + "\" must hold class indices as numbers,"
                    + " but is " + t.simpleString());
        }
    }

    /** Checks that {@code name} is not a column yet (an output would overwrite it). */
    static void requireAbsent(String owner, StructType schema, String name) {
        if (Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException(owner + ": output column \"" + name + "\" already exists");
        }
    }

    private static StructField field(String owner, StructType schema, String name) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException(owner + ": no column \"" + name + "\" in " + Arrays.toString(
                    schema.fieldNames()));
        }
        return schema.apply(name);
    }

    /** Returns a row's features (an ML vector or an array of numbers) as floats, or null for null. */
    static float[] features(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Vector v) {
            double[] d = v.toArray();
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        scala.collection.Seq<?> seq = (scala.collection.Seq<?>) value;
        float[] f = new float[seq.length()];
        for (int i = 0; i < f.length; i++) {
            Object x = seq.apply(i);
            if (x == null) {
                return null;
            }
            f[i] = ((Number) x).floatValue();
        }
        return f;
    }
}
