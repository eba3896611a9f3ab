package dev.nn.spark;

import dev.nn.layers.Dropout;
import dev.nn.layers.ELU;
import dev.nn.layers.Flatten;
import dev.nn.layers.GELU;
import dev.nn.layers.Hardtanh;
import dev.nn.layers.Identity;
import dev.nn.layers.LayerNorm;
import dev.nn.layers.LeakyReLU;
import dev.nn.layers.Linear;
import dev.nn.layers.Mish;
import dev.nn.layers.Module;
import dev.nn.layers.ReLU;
import dev.nn.layers.SELU;
import dev.nn.layers.SiLU;
import dev.nn.layers.Sequential;
import dev.nn.layers.Sigmoid;
import dev.nn.layers.Softplus;
import dev.nn.layers.Softsign;
import dev.nn.layers.Standardizer;
import dev.nn.layers.Tanh;
import dev.nn.layers.io.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model's architecture as JSON, so a saved model can be rebuilt without the code that built
 * it (Spark loads pipeline stages by class name): a {@code Sequential} of nn's built-in layers,
 * {@code {"type": "Sequential", "layers": [{"type": "Linear", "in": 4, "out": 16, "bias": true},
 * {"type": "ReLU"}, ...]}}. Weights travel separately, as safetensors.
 */
final class Architecture {

    static final String SUPPORTED = "Sequential, Linear, LayerNorm, Standardizer, Dropout, ReLU, LeakyReLU, ELU,"
            + " SELU, GELU, SiLU, Mish, Sigmoid, Tanh, Softplus, Softsign, Hardtanh, Identity, Flatten";

    private Architecture() {
    }

    /**
     * Returns {@code m}'s architecture as JSON.
     *
     * @throws IllegalArgumentException naming the first module it cannot describe
     */
    static String describe(Module m) {
        StringBuilder s = new StringBuilder();
        describe(m, "model", s);
        return s.toString();
    }

    private static void describe(Module m, String path, StringBuilder s) {
        if (m instanceof Sequential seq) {
            s.append("{\"type\":\"Sequential\",\"layers\":[");
            boolean first = true;
            for (Map.Entry<String, Module> c : seq.children().entrySet()) {
                s.append(first ? "" : ",");
                describe(c.getValue(), path + "." + c.getKey(), s);
                first = false;
            }
            s.append("]}");
        } else if (m instanceof Linear l) {
            int[] w = l.weight().shape().dims();
            s.append("{\"type\":\"Linear\",\"in\":").append(w[1]).append(",\"out\":").append(w[0])
                    .append(",\"bias\":").append(l.bias() != null).append('}');
        } else if (m instanceof LayerNorm) {
            s.append("{\"type\":\"LayerNorm\",\"shape\":").append(dims(m.namedParameters().get("weight").shape()
                    .dims())).append('}');
        } else if (m instanceof Standardizer) {
            s.append("{\"type\":\"Standardizer\",\"features\":").append(m.namedBuffers().get("mean").size()).append('}');
        } else if (m instanceof Dropout d) {
            s.append("{\"type\":\"Dropout\",\"p\":").append(d.p()).append('}');
        } else if (m instanceof LeakyReLU r) {
            s.append("{\"type\":\"LeakyReLU\",\"slope\":").append(r.slope()).append('}');
        } else if (m instanceof ELU e) {
            s.append("{\"type\":\"ELU\",\"alpha\":").append(e.alpha()).append('}');
        } else if (m instanceof Hardtanh h) {
            s.append("{\"type\":\"Hardtanh\",\"min\":").append(h.min()).append(",\"max\":").append(h.max()).append('}');
        } else if (m instanceof GELU g) {
            s.append("{\"type\":\"GELU\",\"approximation\":\"").append(g.approximation().name()).append("\"}");
        } else if (m instanceof ReLU || m instanceof SELU || m instanceof SiLU || m instanceof Mish
                || m instanceof Sigmoid || m instanceof Tanh || m instanceof Softplus || m instanceof Softsign
                || m instanceof Identity || m instanceof Flatten) {
            s.append("{\"type\":\"").append(m.getClass().getSimpleName()).append("\"}");
        } else {
            throw new IllegalArgumentException("nn-spark: cannot describe " + path + " (" + m.getClass().getName()
                    + ") to rebuild it when loading; saved models are made of " + SUPPORTED);
        }
    }

    private static String dims(int[] d) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < d.length; i++) {
            s.append(i == 0 ? "" : ",").append(d[i]);
        }
        return s.append(']').toString();
    }

    /**
     * Returns a new module built from {@code json}, as {@link #describe} wrote it.
     *
     * @throws IllegalArgumentException if the text is not such a description
     */
    static Module build(String json) {
        try {
            return build(Json.parse(json));
        } catch (Json.ParseException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("nn-spark: the saved architecture is not readable (" + e.getMessage()
                    + ")", e);
        }
    }

    private static Module build(Object node) {
        Map<?, ?> o = (Map<?, ?>) node;
        String type = (String) o.get("type");
        switch (type) {
            case "Sequential": {
                List<Module> layers = new ArrayList<>();
                for (Object l : (List<?>) o.get("layers")) {
                    layers.add(build(l));
                }
                return new Sequential(layers.toArray(new Module[0]));
            }
            case "Linear":
                return new Linear(integer(o, "in"), integer(o, "out"), (Boolean) o.get("bias"));
            case "LayerNorm": {
                List<?> shape = (List<?>) o.get("shape");
                int[] dims = new int[shape.size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = ((Number) shape.get(i)).intValue();
                }
                return new LayerNorm(dims);
            }
            case "Standardizer":
                return new Standardizer(integer(o, "features"));
            case "Dropout":
                return new Dropout(number(o, "p"));
            case "LeakyReLU":
                return new LeakyReLU(number(o, "slope"));
            case "ELU":
                return new ELU(number(o, "alpha"));
            case "Hardtanh":
                return new Hardtanh(number(o, "min"), number(o, "max"));
            case "GELU":
                return new GELU(GELU.Approximation.valueOf((String) o.get("approximation")));
            case "ReLU":
                return new ReLU();
            case "SELU":
                return new SELU();
            case "SiLU":
                return new SiLU();
            case "Mish":
                return new Mish();
            case "Sigmoid":
                return new Sigmoid();
            case "Tanh":
                return new Tanh();
            case "Softplus":
                return new Softplus();
            case "Softsign":
                return new Softsign();
            case "Identity":
                return new Identity();
            case "Flatten":
                return new Flatten();
            default:
                throw new IllegalArgumentException("nn-spark: unknown layer type \"" + type + "\" in a saved"
                        + " architecture");
        }
    }

    private static int integer(Map<?, ?> o, String key) {
        return ((Number) o.get(key)).intValue();
    }

    private static float number(Map<?, ?> o, String key) {
        return ((Number) o.get(key)).floatValue();
    }
}
