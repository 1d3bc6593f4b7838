package org.dermatrend.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.dermatrend.store.AnalysisQueue;
import org.dermatrend.domain.Records.Analysis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed pool of threads that take analyses from the persisted queue. Each thread claims a job with
 * a lease, runs it, and records the outcome; it sleeps until {@link #wake()} or the poll interval
 * (jobs queued by another process sharing the database are found by polling). {@link #close()} stops
 * the threads and puts the jobs they held back in the queue for the next start.
 *
 * <p>Logs carry analysis ids and failure codes only: never photo bytes or patient references.
 */
public final class AnalysisWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisWorkers.class);

    /** How the pool is sized and how long a claimed job is held before it counts as abandoned. */
    public record Settings(int threads, Duration lease, int maxAttempts, Duration pollInterval) {
        public Settings {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("analysis workers must be 1 to 64, got " + threads);
            }
            if (lease.toSeconds() < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("lease must be at least 1 s and attempts at least 1");
            }
        }

        public static Settings defaults(int threads) {
            return new Settings(threads, Duration.ofMinutes(10), 3, Duration.ofSeconds(2));
        }
    }

    private final AnalysisQueue queue;
    private final AnalysisRunner runner;
    private final Settings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final EventLog events;
    private final String processName = "p-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Thread> threads = new ArrayList<>();
    private final Wakeup wakeup = new Wakeup();
    private volatile boolean stopping;
    private volatile Runnable afterEach = () -> { };

    public AnalysisWorkers(AnalysisQueue queue, AnalysisRunner runner, Settings settings, Clock clock, MeterRegistry meters,
                           EventLog events) {
        this.events = events;
        this.queue = queue;
        this.runner = runner;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
    }

    public synchronized void start() {
        if (!threads.isEmpty()) {
            return;
        }
        for (int i = 0; i < settings.threads(); i++) {
            String name = processName + "-w" + i;
            Thread t = new Thread(() -> loop(name), "analysis-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Runs {@code r} after each analysis is recorded (the webhook dispatcher is woken so, its event being due). */
    public void afterEach(Runnable r) {
        this.afterEach = r;
    }

    /** Tells idle workers that a job was queued. */
    public void wake() {
        wakeup.wake();
    }

    private void loop(String worker) {
        while (!stopping) {
            Optional<Analysis> job;
            try {
                queue.failExhausted(clock.instant(), settings.maxAttempts());
                job = queue.claim(worker, clock.instant(), settings.lease(), settings.maxAttempts());
            } catch (RuntimeException e) {
                LOG.warn("analysis worker {} cannot reach the queue: {}", worker, SafeLog.describe(e));
                job = Optional.empty();
            }
            if (job.isEmpty()) {
                idle();
                continue;
            }
            process(worker, job.get());
        }
    }

    private void process(String worker, Analysis job) {
        long start = System.nanoTime();
        String code;
        try {
            AnalysisRunner.Outcome outcome = runner.run(job);
            code = outcome.done() ? "done" : outcome.failureCode();
            boolean kept = outcome.done()
                    ? queue.complete(job.id(), worker, outcome.json(), clock.instant())
                    : queue.fail(job.id(), worker, outcome.failureCode(), outcome.message(), outcome.json(), clock.instant());
            if (!kept) {
                LOG.warn("analysis {} outlived its lease; another worker has it", job.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (AnalysisRunner.StoreUnavailable e) {
            // Left running: its lease runs out and it is claimed again, as if this worker had died (at most the attempt
            // limit, then abandoned), so a store outage delays analyses instead of failing them.
            code = "store_unavailable";
            LOG.warn("analysis {}: the photo store did not answer ({}); tried again after its lease", job.id(), SafeLog.describe(e));
        } catch (AnalysisRunner.Gone e) {
            // Erased meanwhile. Its own photo gone: its analysis rows went with it, nothing to record. Its
            // baseline gone: the erasure queued a new analysis of the photo, which supersedes this one.
            code = "erased";
            LOG.info("{}", e.getMessage());
            try {
                queue.fail(job.id(), worker, "baseline_changed", "A photo this analysis needed was erased while it ran; a new "
                        + "analysis of the photo is queued.", "{\"code\":\"baseline_changed\"}", clock.instant());
            } catch (RuntimeException again) {
                LOG.warn("analysis {}: cannot record the failure: {}", job.id(), SafeLog.describe(again));
            }
        } catch (Exception | Error e) {
            code = "internal_error";
            LOG.error("analysis {} failed unexpectedly: {}", job.id(), SafeLog.describe(e));
            try {
                queue.fail(job.id(), worker, "internal_error", "The analysis stopped on an internal error; report the analysis id "
                        + job.id() + ".", "{\"code\":\"internal_error\"}", clock.instant());
            } catch (RuntimeException again) {
                LOG.warn("analysis {}: cannot record the failure: {}", job.id(), SafeLog.describe(again));
            }
            if (e instanceof Error err && !(e instanceof AssertionError)) {
                throw err;
            }
        }
        afterEach.run();
        events.analysis(job.id(), job.clinicId(), job.attempts(), code, (System.nanoTime() - start) / 1e6);
        Timer.builder("dermatrend.analysis.duration").description("Wall time of an analysis, by outcome")
                .tag("outcome", code.equals("done") ? "done" : "failed").register(meters)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        if (!code.equals("done")) {
            Counter.builder("dermatrend.analysis.failures").description("Analyses that failed, by code")
                    .tag("code", code).register(meters).increment();
        }
    }

    private void idle() {
        if (!stopping && !wakeup.await(settings.pollInterval())) {
            stopping = true;
        }
    }

    /** Stops the workers, waiting up to 30 s for running analyses, and re-queues what they held. */
    @Override
    public synchronized void close() {
        stopping = true;
        wake();
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Thread t : threads) {
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        for (int i = 0; i < threads.size(); i++) {
            try {
                queue.release(processName + "-w" + i);
            } catch (RuntimeException e) {
                LOG.warn("cannot put running analyses back in the queue: {}", SafeLog.describe(e));
            }
        }
        threads.clear();
    }
}
