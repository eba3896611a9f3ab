/**
 * Tensors, their kernels and the backend they run on. Requires the Vector API module, so a
 * program on the module path runs the SIMD kernels without {@code --add-modules}; the kernel
 * package is nn's own.
 */
module dev.nn.core {
    requires transitive jdk.incubator.vector;   // users' vector forms take FloatVector
    requires org.slf4j;

    exports dev.nn.core;
    exports dev.nn.core.function;
    exports dev.nn.core.kernel to dev.nn.autograd, dev.nn.layers;   // UnaryOp: activations in place
}
