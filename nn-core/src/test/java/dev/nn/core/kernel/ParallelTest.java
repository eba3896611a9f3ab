package dev.nn.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pool's team jobs, which thread runs which task, and the barrier team members wait at. */
class ParallelTest {

    @Test
    void forEach_eachThreadRunsItsOwnRunOfTasks_everyCall() {
        Parallel pool = new Parallel(2);
        for (int round = 0; round < 100; round++) {
            // Tasks t and t + 4 meet at the barrier, so neither thread can finish its run and take
            // the other's: the caller must run 0-3 and the worker 4-7, in every call.
            CyclicBarrier pairs = new CyclicBarrier(2);
            Thread[] ranOn = new Thread[8];
            pool.forEach(8, t -> {
                ranOn[t] = Thread.currentThread();
                meet(pairs);
            });
            for (int t = 0; t < 8; t++) {
                assertEquals(t < 4, ranOn[t] == Thread.currentThread(), "round " + round + ", task " + t
                        + " ran on " + ranOn[t].getName());
            }
        }
    }

    @Test
    void forEach_aThreadDoneWithItsRun_takesWhatIsLeftOfAnother() {
        Parallel pool = new Parallel(2);
        Thread caller = Thread.currentThread();
        Thread[] ranOn = new Thread[4];
        pool.forEach(4, t -> {
            ranOn[t] = Thread.currentThread();
            if (Thread.currentThread() != caller) {
                sleep(200);   // the worker's run is [2, 4): it holds task 2 (or none) this long
            }
        });
        assertSame(caller, ranOn[0]);
        assertSame(caller, ranOn[1]);
        assertSame(caller, ranOn[3], "the caller took the worker's last task");
    }

    private static void meet(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new AssertionError("the other task never came", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void team_membersOnThreadsOfTheirOwn_mayWaitForEachOther() {
        Parallel pool = new Parallel(3);
        for (int round = 0; round < 50; round++) {
            SpinBarrier barrier = new SpinBarrier();
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            AtomicInteger sizes = new AtomicInteger();
            pool.team(3, (member, size) -> {
                threads.add(Thread.currentThread());
                sizes.addAndGet(size);
                for (int i = 0; i < 5; i++) {
                    barrier.await(size);
                }
            });
            assertEquals(3, threads.size(), "round " + round);
            assertEquals(9, sizes.get());
        }
    }

    @Test
    void team_sizeIsAtMostWantedAndThreads() {
        Parallel pool = new Parallel(3);
        AtomicInteger members = new AtomicInteger();
        pool.team(2, (member, size) -> {
            assertEquals(2, size);
            members.incrementAndGet();
        });
        assertEquals(2, members.get());
        new Parallel(2).team(5, (member, size) -> assertEquals(2, size));
        new Parallel(1).team(2, (member, size) -> assertEquals(1, size));
    }

    @Test
    void team_fromInsideATask_runsAloneOnItsCaller() {
        Parallel pool = new Parallel(2);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        pool.forEach(2, t -> pool.team(2, (member, size) -> seen.add(t + ":" + member + "/" + size)));
        assertEquals(Set.of("0:0/1", "1:0/1"), seen);
    }

    @Test
    void team_aMemberFails_othersStopWaiting_andItsExceptionIsThrown() {
        Parallel pool = new Parallel(2);
        SpinBarrier barrier = new SpinBarrier();
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> pool.team(2, (member, size) -> {
            try {
                if (member == 1) {
                    throw boom;
                }
                barrier.await(size);
            } catch (RuntimeException e) {
                barrier.fail(e);
                throw e;
            }
        }));
        // Whichever was recorded first: the failure itself, or the waiter's, which carries it.
        assertTrue(thrown == boom || thrown.getCause() == boom, "thrown: " + thrown);
        // The pool is free again.
        AtomicInteger members = new AtomicInteger();
        pool.team(2, (member, size) -> members.incrementAndGet());
        assertEquals(2, members.get());
    }

    @Test
    void spinBarrier_failedWhileWaiting_throwsWithTheCause() {
        SpinBarrier barrier = new SpinBarrier();
        Error cause = new OutOfMemoryError("no room");
        barrier.fail(cause);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> barrier.await(2));
        assertSame(cause, e.getCause());
        assertEquals("gemm: another thread of the product failed: java.lang.OutOfMemoryError: no room", e.getMessage());
    }
}
