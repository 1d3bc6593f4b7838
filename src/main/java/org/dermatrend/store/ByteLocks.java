package org.dermatrend.store;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** This process's locks on a clinic's digest: 64 stripes, so unrelated digests rarely wait for each other. */
final class ByteLocks {
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    ByteLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    <T> T locked(String clinicId, String sha, Supplier<T> action) {
        ReentrantLock lock = stripes[Math.floorMod((clinicId + sha).hashCode(), stripes.length)];
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
