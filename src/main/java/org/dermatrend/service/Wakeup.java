package org.dermatrend.service;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How an idle pool thread sleeps until there may be work: {@link #await} returns when {@link #wake} is called or the
 * poll interval passes (work written by another process is found by polling). A wake while no thread waits is kept
 * for the next wait, so work that arrived during a claim is not left for the next poll.
 */
final class Wakeup {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean woken;

    void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code poll}, unless woken since the last wait.
     *
     * @return false when the thread was interrupted (its pool is stopping)
     */
    boolean await(Duration poll) {
        lock.lock();
        try {
            if (!woken) {
                signal.await(poll.toMillis(), TimeUnit.MILLISECONDS);
            }
            woken = false;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
