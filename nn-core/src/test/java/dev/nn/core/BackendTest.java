package dev.nn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Backends as values: two in one JVM, scopes per thread, closing. */
class BackendTest {

    /** A product large enough for GEMM to split it, then elementwise work above the parallel threshold. */
    private static float[] work() {
        Tensor a = Tensor.randn(new Generator(1), 300, 257);
        Tensor b = Tensor.randn(new Generator(2), 257, 3500);
        return a.matmul(b).relu().mul(a.matmul(b).sigmoid()).toArray();
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).collect(Collectors.toList());
    }

    @Test
    void twoBackends_oneAndTwoThreads_giveTheSameBits_andLeaveNoThreadWhenClosed() {
        Backend one = Backend.builder().threads(1).build();
        Backend two = Backend.builder().threads(2).build();
        float[] onOne;
        float[] onTwo;
        try (var scope = one.use()) {
            assertSame(one, Backend.current());
            onOne = work();
        }
        try (var scope = two.use()) {
            assertSame(two, Backend.current());
            onTwo = work();
        }
        assertArrayEquals(onOne, onTwo);
        String name = two.toString().replaceAll(".*\\((nn-backend-[0-9]+):.*", "$1");
        assertEquals(List.of(name + "-worker-0"), threadsNamed(name + "-"));
        one.close();
        two.close();
        assertTrue(two.isClosed());
        assertEquals(List.of(), threadsNamed(name + "-"));
        two.close();   // twice does nothing
    }

    @Test
    void use_nests_restoresOnClose_andLeavesOtherThreadsAlone() throws Exception {
        try (Backend outer = Backend.builder().threads(1).build(); Backend inner = Backend.builder().threads(1).build()) {
            assertSame(Backend.defaultBackend(), Backend.current());
            try (var a = outer.use()) {
                AtomicReference<Backend> seen = new AtomicReference<>();
                Thread other = new Thread(() -> seen.set(Backend.current()));
                other.start();
                other.join();
                assertSame(Backend.defaultBackend(), seen.get());
                try (var b = inner.use()) {
                    assertSame(inner, Backend.current());
                }
                assertSame(outer, Backend.current());
            }
            assertSame(Backend.defaultBackend(), Backend.current());
        }
    }

    @Test
    void use_scopeLeftByAnException_isRestored() {
        try (Backend b = Backend.builder().threads(1).build()) {
            assertThrows(ShapeException.class, () -> {
                try (var scope = b.use()) {
                    Tensor.zeros(2, 3).matmul(Tensor.zeros(2, 3));
                }
            });
            assertSame(Backend.defaultBackend(), Backend.current());
        }
    }

    @Test
    void closedBackend_refusesScopesAndOperations() {
        Backend b = Backend.builder().threads(2).build();
        var scope = b.use();
        b.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.ones(3).exp());
        assertTrue(e.getMessage().startsWith("backend: nn-backend-"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" is closed; open a scope of an open backend, or close the scope with the"
                + " backend"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Tensor.ones(2, 2).matmul(Tensor.ones(2, 2)));
        scope.close();
        assertEquals(3f, Tensor.ones(3).sum().item());
        assertThrows(IllegalStateException.class, b::use);
    }

    @Test
    void defaultBackend_cannotBeClosed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backend.defaultBackend().close());
        assertEquals("backend: the default backend cannot be closed (it serves every thread outside a scope); close"
                + " the backends you build", e.getMessage());
        assertFalse(Backend.defaultBackend().isClosed());
    }

    @Test
    void builder_badSettings_areRefusedAndStartNoThread() {
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
                () -> Backend.builder().threads(0));
        assertEquals("backend: threads must be >= 1, got 0", threads.getMessage());
        int before = threadsNamed("nn-backend-").size();
        IllegalArgumentException tile = assertThrows(IllegalArgumentException.class,
                () -> Backend.builder().threads(3).tile("5x5").build());
        assertTrue(tile.getMessage().startsWith("gemm: tile must be auto, "), tile.getMessage());
        assertEquals(before, threadsNamed("nn-backend-").size());
        assertThrows(IllegalArgumentException.class, () -> Backend.builder().kernels("fast").build());
    }

    @Test
    void builder_tileAndKernels_areTheOnesAskedFor() {
        try (Backend scalar = Backend.builder().threads(1).kernels("scalar").build()) {
            assertFalse(scalar.vectorized());
            assertEquals("scalar", scalar.kernels().replaceAll("\\(.*", ""));
            String tall = "8x" + scalar.tile().replaceAll(".*x", "");
            try (Backend b = Backend.builder().threads(1).kernels("scalar").tile(tall).build()) {
                assertEquals(tall, b.tile());
            }
        }
    }

    @Test
    void scalarAndDefaultKernels_giveTheSameBits() {
        try (Backend scalar = Backend.builder().threads(2).kernels("scalar").build(); var scope = scalar.use()) {
            float[] onScalar = work();
            float[] onDefault;
            try (var back = Backend.defaultBackend().use()) {
                onDefault = work();
            }
            assertArrayEquals(onDefault, onScalar);
        }
    }
}
