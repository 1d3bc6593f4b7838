package org.dermatrend.eval;

import org.dermatrend.cv.PixelRect;
import org.dermatrend.synth.PhantomTruth;

/**
 * One phantom of an evaluation: its file bytes, its truth, and how it is to be scored.
 *
 * @param suite   pores, tones, redness, lighting or repeatability
 * @param group   cases compared with each other (one skin's re-renders, one series)
 * @param name    file name stem
 * @param image   the photo's bytes as a client would upload them
 * @param truth   the renderer's truth
 * @param roi     region to score (repeatability: the same skin in every re-render), or {@code null}
 */
public record EvalCase(String suite, String group, String name, byte[] image, PhantomTruth truth, PixelRect roi) {
}
