package org.dermatrend.eval;

import org.dermatrend.align.Homography;
import org.opencv.core.Mat;

/**
 * A before/after pair with a known truth: {@code afterToBefore} is what the aligner must recover,
 * or null when the two photos show different skin and must be refused.
 *
 * @param name          identifies the pair in reports
 * @param kind          {@code phantom}, {@code real}, {@code real-small} (a view under intake's 512-px
 *                      minimum, reported apart) or {@code unrelated}
 * @param before        upright {@code CV_8UC3}; owned by the pair
 * @param after         upright {@code CV_8UC3}; owned by the pair
 * @param afterValid    {@code CV_8UC1}, 255 where after shows the scene (not the black outside); owned
 * @param afterToBefore the true transform, null for an unrelated pair
 * @param description   the transform and photometric change in words, for the report
 */
public record AlignmentPair(String name, String kind, Mat before, Mat after, Mat afterValid, Homography afterToBefore,
                            String description) implements AutoCloseable {

    public boolean related() {
        return afterToBefore != null;
    }

    @Override
    public void close() {
        before.release();
        after.release();
        if (afterValid != null) {
            afterValid.release();
        }
    }
}
