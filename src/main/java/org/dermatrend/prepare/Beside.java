package org.dermatrend.prepare;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one stage of an analysis on another core while the calling thread runs the next ones: the scar relief
 * beside pores and redness, a follow-up's preparation beside its baseline's. The command line, which analyses
 * one photo at a time, has a core to spare; the service runs one analysis per core already, and uses
 * {@link #NONE}, which runs the stage in the caller when it is joined, exactly as if there were no such thing.
 *
 * <p>Work handed here must not itself wait for work handed here (a small pool would wait for itself). Thread-safe.
 */
public final class Beside implements AutoCloseable {
    /** No threads: {@link #start}ed work runs in the caller, when joined. */
    public static final Beside NONE = new Beside(null);

    private final ExecutorService pool;

    private Beside(ExecutorService pool) {
        this.pool = pool;
    }

    /**
     * {@code threads} daemon threads, made when first needed and kept until {@link #close}; 0 is {@link #NONE}.
     */
    public static Beside threads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 or more, got " + threads);
        }
        return threads == 0 ? NONE : new Beside(Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "analysis-beside");
            t.setDaemon(true);
            return t;
        }));
    }

    /** Whether work runs on another thread (else in the caller, at {@link Task#join}). */
    public boolean parallel() {
        return pool != null;
    }

    /**
     * Starts {@code work}, which times its own stages in the timer it is given. The caller must {@link Task#join}
     * or {@link Task#discard} the task before it releases anything the work reads.
     */
    public <T> Task<T> start(Function<StageTimer, T> work) {
        if (pool == null) {
            return new Task<>(work, null, null);
        }
        StageTimer own = new StageTimer();
        return new Task<>(null, own, pool.submit(() -> {
            own.restart();
            return work.apply(own);
        }));
    }

    /** Lets the threads end once the work handed to them is done; later {@link #start}s are refused. */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    /** A stage started by {@link #start}. */
    public static final class Task<T> {
        private final Function<StageTimer, T> inline;
        private final StageTimer own;
        private final Future<T> future;
        private boolean done;

        private Task(Function<StageTimer, T> inline, StageTimer own, Future<T> future) {
            this.inline = inline;
            this.own = own;
            this.future = future;
        }

        /**
         * The work's result, once it is done. Its stages go into {@code timer}: run in the caller, as laps; run
         * beside, as {@link StageTimer#beside} entries, and the time the caller then waited for it as the lap
         * {@code wait}. Waits through interrupts (the work reads pixels the caller owns; they must outlive it) and
         * re-asserts the interrupt afterwards. The work's exception is thrown here.
         */
        public T join(StageTimer timer) {
            if (done) {
                throw new IllegalStateException("the task was already joined or discarded");
            }
            done = true;
            if (future == null) {
                timer.restart();
                return inline.apply(timer);
            }
            try {
                return awaitUninterruptibly(future);
            } finally {
                timer.lap("wait");
                own.ordered().forEach(timer::beside);
            }
        }

        /**
         * Waits for work that is no longer wanted (the caller failed) and closes its result with {@code close}, if
         * it made one; its failure, if it failed, is dropped (the caller's is the one that matters).
         */
        public void discard(Consumer<T> close) {
            if (done) {
                return;
            }
            done = true;
            if (future == null) {
                return; // never started
            }
            T result;
            try {
                result = awaitUninterruptibly(future);
            } catch (RuntimeException | Error e) {
                return;
            }
            if (result != null) {
                close.accept(result);
            }
        }

        private static <T> T awaitUninterruptibly(Future<T> future) {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return future.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        if (cause instanceof RuntimeException r) {
                            throw r;
                        }
                        if (cause instanceof Error err) {
                            throw err;
                        }
                        throw new IllegalStateException(cause);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
