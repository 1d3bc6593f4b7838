package org.dermatrend.cv;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;

/**
 * Owns native {@link Mat}s made inside a block and releases them all when the block ends, on every
 * path, exceptions included (the role DJL's {@code NDManager} plays for NDArrays).
 *
 * <pre>{@code
 * try (MatScope scope = new MatScope()) {
 *     Mat grey = scope.track(new Mat());
 *     ...
 *     return scope.keep(result);   // handed to the caller, who now owns it
 * }
 * }</pre>
 */
public final class MatScope implements AutoCloseable {
    private final List<Mat> owned = new ArrayList<>();

    /** Takes ownership of {@code mat}; returns it for chaining. */
    public <T extends Mat> T track(T mat) {
        owned.add(mat);
        return mat;
    }

    /** A new empty {@code Mat} owned by this scope. */
    public Mat mat() {
        return track(new Mat());
    }

    /** Gives up ownership of {@code mat}, so that it survives {@link #close()}; the caller must release it. */
    public <T extends Mat> T keep(T mat) {
        owned.removeIf(m -> m == mat);
        return mat;
    }

    /**
     * Frees {@code mats}' pixels now, before the scope ends, once nothing reads them: a stage that makes many
     * working images then holds only those still in use. They stay tracked (releasing twice is harmless).
     */
    public void releaseNow(Mat... mats) {
        for (Mat m : mats) {
            m.release();
        }
    }

    @Override
    public void close() {
        for (Mat m : owned) {
            m.release();
        }
        owned.clear();
    }
}
