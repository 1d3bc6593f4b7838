package org.dermatrend.service;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.dermatrend.store.RecordEdits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows an erasure once its records are gone: the photo bytes no record needs are removed from the
 * store, and whatever keeps derived copies (the report cache) drops them. A removal that fails (a full or
 * read-only disk) stays listed and is retried at the next erasure and at start: the erasure itself has
 * happened (the records are gone and the API answers 404), only its last step waits.
 */
public final class Erasures {
    private static final Logger LOG = LoggerFactory.getLogger(Erasures.class);

    private final RecordEdits edits;
    private final List<Consumer<RecordEdits.Erased>> listeners = new CopyOnWriteArrayList<>();

    public Erasures(RecordEdits edits) {
        this.edits = edits;
    }

    /** Called after every erasure with what it removed (ids only). */
    public void onErased(Consumer<RecordEdits.Erased> listener) {
        listeners.add(listener);
    }

    RecordEdits.Erased after(RecordEdits.Erased erased) {
        for (Consumer<RecordEdits.Erased> l : listeners) {
            l.accept(erased);
        }
        finish();
        return erased;
    }

    /** Removes the bytes of erasures not finished yet (an earlier crash or failure); run at start. */
    public int finish() {
        try {
            return edits.finishErasures();
        } catch (IOException | RuntimeException e) {
            LOG.warn("erased photos' bytes could not all be removed from the store yet (retried at the next erasure and "
                    + "at start): {}", SafeLog.describe(e));
            return 0;
        }
    }
}
