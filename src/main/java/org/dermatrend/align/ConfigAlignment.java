package org.dermatrend.align;

/**
 * Settings of {@link Aligner}. Sizes are in pixels of the working copies named; thresholds were set
 * on phantom pairs with seeds below 1 000 and checked on the evaluation in docs/metrics.md §8.
 *
 * @param featureLongSidePx    long side of the copies the coarse search and consensus run on (default
 *                             800): pores are 2–8 px there at 0.025–0.01 mm/px originals
 * @param maxFeatures          SIFT keypoints kept per image when the SIFT consensus runs (default 4000)
 * @param descriptorScale      SIFT descriptors are taken over this many times a keypoint's size
 *                             (default 6): one pore looks like any other, the pattern around it does not
 * @param maxRotationDeg       follow-up rotations searched, ±this (default 30°)
 * @param searchLongSidePx     long side of the copies the rotation-and-zoom grid is searched on
 *                             (default 256; then refined on a copy twice that size)
 * @param searchAngleStepDeg   rotation step of that grid (default 3°)
 * @param searchLogScaleStep   zoom step of that grid, natural log (default 0.045, i.e. 4.6 %)
 * @param ratio                Lowe's ratio test between the best and second-best match (default 0.8)
 * @param ransacThresholdPx    USAC/MAGSAC inlier threshold of the SIFT consensus (default 2.5 px)
 * @param ransacMaxIterations  RANSAC/USAC iteration cap (default 2 000); their random generators have a
 *                             fixed state, so the same photos always give the same transform
 * @param minInliers           fewer consensus pairs than this and the pair is refused (default 15;
 *                             unrelated skin reached at most 11 in the evaluation)
 * @param minInlierShare       nor if fewer than this share of the pairs agree (default 0.3)
 * @param eccLongSidePx        long side of the copies the fine fit (and ECC) run on (default 2400;
 *                             on 12 MP pairs 1600 gave a median corner error of 0.48 px in 0.56 s,
 *                             2400 0.34 px in 0.88 s, 3200 0.34 px in 1.9 s);
 *                             photos with a shorter long side are refined at full resolution
 * @param eccIterations        ECC iteration cap per level (default 50)
 * @param minBlobPairs         the fine fit on dark-blob centroids replaces ECC's transform when at least
 *                             this many blobs pair up consistently (default 20)
 * @param minEccCorrelation    the refined alignment's ECC correlation of structure must reach this
 *                             (default 0.45; related close-ups read 0.83–0.98, whole
 *                             faces 0.75, unrelated pairs at most 0.07)
 * @param minOverlapFraction   the share of the baseline frame the follow-up must cover (default 0.3)
 * @param maxLinearScale       follow-up to baseline zoom searched and allowed, 1/x..x (default 1.35)
 * @param maxRefineShiftFraction the fine fit may move the corners by at most this share of the baseline's
 *                             diagonal (at least 8 px) on average from the consensus (default 0.01);
 *                             more means it slid off
 */
public record ConfigAlignment(int featureLongSidePx, int maxFeatures, double descriptorScale, double maxRotationDeg,
                              int searchLongSidePx, double searchAngleStepDeg, double searchLogScaleStep, double ratio, double ransacThresholdPx,
                              int ransacMaxIterations, int minInliers, double minInlierShare, int eccLongSidePx,
                              int eccIterations, int minBlobPairs, double minEccCorrelation, double minOverlapFraction,
                              double maxLinearScale, double maxRefineShiftFraction) {

    public ConfigAlignment {
        require(featureLongSidePx >= 200 && featureLongSidePx <= 8000, "featureLongSidePx must be in 200..8000");
        require(maxFeatures >= 100, "maxFeatures must be at least 100");
        require(descriptorScale >= 1 && descriptorScale <= 20, "descriptorScale must be in 1..20");
        require(maxRotationDeg >= 0 && maxRotationDeg <= 180, "maxRotationDeg must be in 0..180");
        require(searchLongSidePx >= 64 && searchLongSidePx <= 2048, "searchLongSidePx must be in 64..2048");
        require(searchAngleStepDeg > 0 && searchAngleStepDeg <= 15, "searchAngleStepDeg must be in (0, 15]");
        require(searchLogScaleStep > 0 && searchLogScaleStep <= 0.2, "searchLogScaleStep must be in (0, 0.2]");
        require(ratio > 0 && ratio < 1, "ratio must be in (0, 1)");
        require(ransacThresholdPx > 0 && ransacThresholdPx <= 20, "ransacThresholdPx must be in (0, 20]");
        require(ransacMaxIterations >= 100, "ransacMaxIterations must be at least 100");
        require(minInliers >= 8, "minInliers must be at least 8 (a homography needs 4 and chance agrees with a few)");
        require(minInlierShare >= 0 && minInlierShare < 1, "minInlierShare must be in [0, 1)");
        require(eccLongSidePx >= 200, "eccLongSidePx must be at least 200");
        require(eccIterations >= 1, "eccIterations must be at least 1");
        require(minBlobPairs >= 8, "minBlobPairs must be at least 8");
        require(minEccCorrelation > 0 && minEccCorrelation < 1, "minEccCorrelation must be in (0, 1)");
        require(minOverlapFraction > 0 && minOverlapFraction <= 1, "minOverlapFraction must be in (0, 1]");
        require(maxLinearScale > 1, "maxLinearScale must be above 1");
        require(maxRefineShiftFraction > 0, "maxRefineShiftFraction must be positive");
    }

    public static ConfigAlignment defaults() {
        return new ConfigAlignment(800, 4000, 6, 30, 256, 3, 0.045, 0.8, 2.5, 2_000, 15, 0.3, 2400, 50, 20, 0.45, 0.3, 1.35, 0.01);
    }

    /** A copy with another {@code featureLongSidePx}: long side of the copies the coarse search and consensus run on, pixels. */
    public ConfigAlignment withFeatureLongSidePx(int featureLongSidePx) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code maxFeatures}: SIFT keypoints kept per image. */
    public ConfigAlignment withMaxFeatures(int maxFeatures) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code descriptorScale}: extent of a SIFT descriptor, in multiples of its keypoint's size. */
    public ConfigAlignment withDescriptorScale(double descriptorScale) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code maxRotationDeg}: follow-up rotations searched, ± degrees. */
    public ConfigAlignment withMaxRotationDeg(double maxRotationDeg) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /**
     * A copy with another {@code searchLongSidePx}: long side of the copies the rotation-and-zoom grid is searched on, pixels.
     */
    public ConfigAlignment withSearchLongSidePx(int searchLongSidePx) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code searchAngleStepDeg}: rotation step of the search grid, degrees. */
    public ConfigAlignment withSearchAngleStepDeg(double searchAngleStepDeg) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code searchLogScaleStep}: zoom step of the search grid, natural log. */
    public ConfigAlignment withSearchLogScaleStep(double searchLogScaleStep) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code ratio}: Lowe's ratio between the best and second-best match, (0, 1). */
    public ConfigAlignment withRatio(double ratio) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code ransacThresholdPx}: inlier threshold of the SIFT consensus, pixels. */
    public ConfigAlignment withRansacThresholdPx(double ransacThresholdPx) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code ransacMaxIterations}: RANSAC/USAC iteration cap. */
    public ConfigAlignment withRansacMaxIterations(int ransacMaxIterations) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code minInliers}: fewest consensus pairs accepted. */
    public ConfigAlignment withMinInliers(int minInliers) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code minInlierShare}: least share of the pairs that must agree, [0, 1). */
    public ConfigAlignment withMinInlierShare(double minInlierShare) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code eccLongSidePx}: long side of the copies the fine fit (and ECC) run on, pixels. */
    public ConfigAlignment withEccLongSidePx(int eccLongSidePx) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code eccIterations}: ECC iteration cap per level. */
    public ConfigAlignment withEccIterations(int eccIterations) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code minBlobPairs}: dark-blob pairs at which the blob fit replaces ECC's transform. */
    public ConfigAlignment withMinBlobPairs(int minBlobPairs) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code minEccCorrelation}: least ECC correlation of structure of the refined alignment, (0, 1). */
    public ConfigAlignment withMinEccCorrelation(double minEccCorrelation) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code minOverlapFraction}: least share of the baseline frame the follow-up must cover, (0, 1]. */
    public ConfigAlignment withMinOverlapFraction(double minOverlapFraction) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /** A copy with another {@code maxLinearScale}: largest follow-up to baseline zoom searched and allowed, 1/x..x (above 1). */
    public ConfigAlignment withMaxLinearScale(double maxLinearScale) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    /**
     * A copy with another {@code maxRefineShiftFraction}: largest mean corner move of the fine fit from the
     * consensus, share of the baseline's diagonal.
     */
    public ConfigAlignment withMaxRefineShiftFraction(double maxRefineShiftFraction) {
        return new ConfigAlignment(featureLongSidePx, maxFeatures, descriptorScale, maxRotationDeg, searchLongSidePx,
                searchAngleStepDeg, searchLogScaleStep, ratio, ransacThresholdPx, ransacMaxIterations, minInliers,
                minInlierShare, eccLongSidePx, eccIterations, minBlobPairs, minEccCorrelation, minOverlapFraction,
                maxLinearScale, maxRefineShiftFraction);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
