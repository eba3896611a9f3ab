package dev.nn.autograd;

/**
 * One application of a {@link Function} in the graph: the function, its context, its inputs, and
 * (in anomaly mode) where in the user's code it was created.
 */
final class Node {

    final Function function;
    final Context context;
    final Variable[] inputs;
    final StackTraceElement site;

    Node(Function function, Context context, Variable[] inputs, StackTraceElement site) {
        this.function = function;
        this.context = context;
        this.inputs = inputs;
        this.site = site;
    }
}
