package dev.nn.spark;

import dev.nn.autograd.Parameter;
import dev.nn.optim.Optimizer;
import java.io.Serializable;
import java.util.List;

/**
 * Makes an optimizer over the parameters it is given, on the driver (synchronous training) or on
 * each executor (local steps): {@code params -> new Adam(params, 1e-3f)}.
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {

    /** Returns a new optimizer over {@code parameters}. */
    Optimizer create(List<Parameter> parameters);
}
