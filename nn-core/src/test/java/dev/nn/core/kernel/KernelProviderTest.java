package dev.nn.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KernelProviderTest {

    @Test
    void select_scalar_returnsScalarTwin() {
        assertSame(ScalarKernels.INSTANCE, KernelProvider.select("scalar", true));
        assertSame(ScalarKernels.INSTANCE, KernelProvider.select(" SCALAR ", false));
    }

    @Test
    void select_autoWithoutModule_fallsBackToScalar() {
        assertSame(ScalarKernels.INSTANCE, KernelProvider.select("auto", false));
    }

    @Test
    void select_simdWithoutModule_throwsNamingTheFlag() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelProvider.select("simd", false));
        assertEquals("kernels: -Dnn.kernels=simd needs the Vector API; run java with --add-modules jdk.incubator.vector",
                e.getMessage());
    }

    @Test
    void select_unknownChoice_throwsListingTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelProvider.select("fast", true));
        assertEquals("kernels: -Dnn.kernels must be auto, scalar or simd, got fast", e.getMessage());
    }

    @Test
    void kernels_matchModulePresence() {
        String forced = System.getProperty(KernelProvider.PROPERTY, "auto");
        if (forced.equals("auto")) {
            assertEquals(KernelProvider.vectorModulePresent() ? "simd" : "scalar",
                    KernelProvider.kernels().name().replaceAll("\\(.*", ""));
        }
    }

    @Test
    void parallel_zeroThreads_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
        assertEquals("parallel: threads must be >= 1, got 0", e.getMessage());
    }
}
