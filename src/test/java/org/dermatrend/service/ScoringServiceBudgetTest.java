package org.dermatrend.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dermatrend.analysis.Services;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.prepare.PhotoContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Work is admitted by the pixels it decodes, from one budget shared by the workers and the synchronous endpoints. */
class ScoringServiceBudgetTest {
    private static Services services;
    private static byte[] demo; // 1000×750: 0.75 MP

    @BeforeAll
    static void open() throws Exception {
        services = Services.create(ConfigIntake.defaults());
        demo = Files.readAllBytes(Path.of("datasets/demo/session-1.jpg"));
    }

    @AfterAll
    static void close() {
        services.close();
    }

    /** A worker on {@code pool} holding {@code pixels} of the budget until released. */
    private record Holding(CountDownLatch done, Future<?> worker) {
        static Holding start(ExecutorService pool, ScoringService scoring, long pixels) throws InterruptedException {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            Future<?> worker = pool.submit(() -> scoring.asWorker(pixels, () -> {
                holding.countDown();
                return await(done);
            }));
            assertTrue(holding.await(10, TimeUnit.SECONDS), "the worker took its pixels");
            return new Holding(done, worker);
        }

        void release() throws Exception {
            done.countDown();
            worker.get(10, TimeUnit.SECONDS);
        }
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void aWorkerHoldsItsPixelsWhileItWorksAndLargerWorkTakesTheWholeBudget() throws Exception {
        ScoringService scoring = new ScoringService(services.analyzer(), 24_000_000L, 2_000_000L, 100);
        assertEquals(2_000_000L, scoring.freePixels());
        assertEquals(500_000L, (long) scoring.asWorker(1_500_000L, scoring::freePixels));
        assertEquals(0L, (long) scoring.asWorker(50_000_000L, scoring::freePixels), "larger than the budget: runs alone");
        assertEquals(2_000_000L, scoring.freePixels(), "given back");
        assertThrows(java.io.IOException.class, () -> scoring.asWorker(1_000_000L, () -> {
            throw new java.io.IOException("the store failed");
        }));
        assertEquals(2_000_000L, scoring.freePixels(), "given back on failure too");
    }

    @Test
    void aSynchronousScoreWaitsForPixelsThenGetsA503AndRunsBesideSmallWork() throws Exception {
        ScoringService scoring = new ScoringService(services.analyzer(), 24_000_000L, 2_000_000L, 300);
        PhotoContext context = new PhotoContext(OptionalDouble.of(0.025), java.util.Optional.empty(), java.util.Optional.empty());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // A worker holds 1.5 MP: the demo photo's 0.75 MP do not fit beside it.
            Holding worker = Holding.start(pool, scoring, 1_500_000L);
            Failure f = assertThrows(Failure.class, () -> scoring.score("demo", demo, context, false));
            assertEquals(Failure.Kind.OVERLOADED, f.kind());
            worker.release();
            // A worker with 1 MP leaves room for the 0.75 MP score.
            Holding small = Holding.start(pool, scoring, 1_000_000L);
            try {
                scoring.score("demo", demo, context, false);
            } catch (Failure ran) {
                assertTrue(ran.kind() != Failure.Kind.OVERLOADED, "it was admitted, whatever the photo's verdict: " + ran.getMessage());
            }
            small.release();
            assertEquals(2_000_000L, scoring.freePixels());
        } finally {
            pool.shutdownNow();
        }
    }
}
