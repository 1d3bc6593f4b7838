package org.dermatrend.synth;

import org.opencv.core.Mat;

/**
 * A rendered phantom: the photo exactly as its file holds it, the true height map and the truth.
 * Owns its Mats: close it.
 */
public final class Phantom implements AutoCloseable {
    private final Mat bgr;
    private final Mat heightMm;
    private final Mat skinTruth;
    private final byte[] encoded;
    private final String extension;
    private final PhantomTruth truth;

    Phantom(Mat bgr, Mat heightMm, Mat skinTruth, byte[] encoded, String extension, PhantomTruth truth) {
        this.bgr = bgr;
        this.heightMm = heightMm;
        this.skinTruth = skinTruth;
        this.encoded = encoded;
        this.extension = extension;
        this.truth = truth;
    }

    /** The photo, {@code CV_8UC3} BGR, identical to what decoding {@link #encoded()} gives. */
    public Mat bgr() {
        return bgr;
    }

    /** True surface height in mm ({@code CV_32FC1}); 0 is the mean skin surface, pits are negative. */
    public Mat heightMm() {
        return heightMm;
    }

    /** {@code CV_8UC1}, 255 where the pixel shows skin (not backdrop, card or hair). */
    public Mat skinTruth() {
        return skinTruth;
    }

    /** The image file's bytes (JPEG or PNG). */
    public byte[] encoded() {
        return encoded.clone();
    }

    /** {@code ".jpg"} or {@code ".png"}. */
    public String extension() {
        return extension;
    }

    public PhantomTruth truth() {
        return truth;
    }

    @Override
    public void close() {
        bgr.release();
        heightMm.release();
        skinTruth.release();
    }
}
