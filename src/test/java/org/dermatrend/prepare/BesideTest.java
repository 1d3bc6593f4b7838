package org.dermatrend.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Work run beside the caller: its result, its timing, its failure, and waiting for it when the caller fails. */
class BesideTest {
    @Test
    void withoutThreadsTheWorkRunsInTheCallerAtJoinAndLapsItsStages() {
        StageTimer timer = new StageTimer();
        AtomicReference<Thread> ran = new AtomicReference<>();
        Beside.Task<String> task = Beside.NONE.start(t -> {
            ran.set(Thread.currentThread());
            t.lap("work");
            return "done";
        });
        assertEquals(null, ran.get(), "nothing runs before the join");
        assertEquals("done", task.join(timer));
        assertEquals(Thread.currentThread(), ran.get());
        assertTrue(timer.millis().containsKey("work"));
        assertFalse(timer.summary().contains("beside"), timer.summary());
    }

    @Test
    void withAThreadTheWorkRunsElsewhereAndCountsBesideTheTotal() throws Exception {
        try (Beside beside = Beside.threads(1)) {
            StageTimer timer = new StageTimer();
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Thread> ran = new AtomicReference<>();
            Beside.Task<Integer> task = beside.start(t -> {
                ran.set(Thread.currentThread());
                started.countDown();
                t.lap("work");
                return 42;
            });
            assertTrue(started.await(10, TimeUnit.SECONDS), "the work starts without a join");
            timer.lap("mine");
            assertEquals(42, task.join(timer));
            assertNotEquals(Thread.currentThread(), ran.get());
            assertTrue(timer.millis().keySet().containsAll(java.util.Set.of("mine", "wait", "work")), timer.millis().toString());
            assertTrue(timer.summary().contains("; beside them: work "), timer.summary());
        }
    }

    @Test
    void theWorksFailureIsThrownAtJoinAndAJoinIsOnce() {
        try (Beside beside = Beside.threads(1)) {
            Beside.Task<String> task = beside.start(t -> {
                throw new IllegalArgumentException("bad photo");
            });
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> task.join(new StageTimer()));
            assertEquals("bad photo", e.getMessage());
            assertThrows(IllegalStateException.class, () -> task.join(new StageTimer()));
        }
    }

    @Test
    void discardWaitsForTheWorkAndClosesWhatItMade() throws Exception {
        try (Beside beside = Beside.threads(1)) {
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<String> closed = new AtomicReference<>();
            Beside.Task<String> task = beside.start(t -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "result";
            });
            Thread releaser = new Thread(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                release.countDown();
            });
            releaser.start();
            Thread.currentThread().interrupt(); // an interrupted caller still waits: the work reads what it owns
            task.discard(closed::set);
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
            assertEquals("result", closed.get());
            releaser.join();
        }
    }
}
