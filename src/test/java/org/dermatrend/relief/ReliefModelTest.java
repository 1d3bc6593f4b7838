package org.dermatrend.relief;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dermatrend.cv.OpenCvNatives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class ReliefModelTest {
    private static final Path SHIPPED = Path.of("models", "scar-relief");

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    @Test
    void theShippedWeightsLoadFromTheJarAndFromTheFolderWithTheSameChecksum() throws Exception {
        String expected = Files.readString(SHIPPED.resolve(ReliefModel.CHECKSUM_FILE)).trim().split("\\s+")[0];
        try (ReliefModel packaged = ReliefModel.loadPackaged(); ReliefModel folder = ReliefModel.load(SHIPPED)) {
            assertEquals(expected, packaged.sha256());
            assertEquals(expected, folder.sha256());
            assertEquals(expected, ReliefModel.sha256(Files.readAllBytes(SHIPPED.resolve(ReliefModel.WEIGHTS_FILE))));
        }
        String card = Files.readString(SHIPPED.resolve("README.md"));
        assertTrue(card.contains(expected), "the model card states the weights' sha256");
    }

    @Test
    void damagedWeightsAreRefusedWithAMessageThatSaysWhatToDo(@TempDir Path dir) throws Exception {
        byte[] weights = Files.readAllBytes(SHIPPED.resolve(ReliefModel.WEIGHTS_FILE));
        weights[weights.length / 2] ^= 1;
        Files.write(dir.resolve(ReliefModel.WEIGHTS_FILE), weights);
        Files.copy(SHIPPED.resolve(ReliefModel.CHECKSUM_FILE), dir.resolve(ReliefModel.CHECKSUM_FILE));
        ReliefModel.ModelLoadException e = assertThrows(ReliefModel.ModelLoadException.class, () -> ReliefModel.load(dir));
        assertTrue(e.getMessage().contains("do not match their checksum") && e.getMessage().contains("retrain"), e.getMessage());
    }

    @Test
    void aMissingFolderSaysHowToMakeOne(@TempDir Path dir) {
        ReliefModel.ModelLoadException e = assertThrows(ReliefModel.ModelLoadException.class,
                () -> ReliefModel.load(dir.resolve("nothing")));
        assertTrue(e.getMessage().contains("train scar-relief"), e.getMessage());
    }

    @Test
    void tiledInferenceAgreesWithOnePassAndHasNoSeams() {
        // A shading image with a few dark pits, wider than one tile: the blended tiles must match the
        // network run on the whole image at once (up to the small context a tile edge loses).
        Mat linear = new Mat(320, 448, CvType.CV_32FC3, new Scalar(0.3, 0.35, 0.5));
        for (int k = 0; k < 6; k++) {
            Mat pit = linear.submat(40 + 45 * k, 52 + 45 * k, 30 + 70 * k, 42 + 70 * k);
            pit.setTo(new Scalar(0.15, 0.17, 0.3));
            pit.release();
        }
        Mat shading = ReliefInput.shading(linear);
        try (ReliefModel model = ReliefModel.loadPackaged()) {
            Mat whole = new ReliefEstimator(model, 448, 0).depthMm(shading);
            Mat tiled = new ReliefEstimator(model, 128, 32).depthMm(shading);
            Mat diff = new Mat();
            org.opencv.core.Core.absdiff(whole, tiled, diff);
            double mean = org.opencv.core.Core.mean(diff).val[0];
            double peak = org.opencv.core.Core.minMaxLoc(whole).maxVal;
            assertEquals(shading.size(), tiled.size());
            assertTrue(mean < 0.01, "mean difference " + mean + " mm (deepest " + peak + " mm)");

            // Tiles without skin are not run and answer flat; tiles with skin answer as before.
            Mat skin = Mat.zeros(shading.size(), CvType.CV_8UC1);
            skin.colRange(0, 100).setTo(new Scalar(255));
            Mat masked = new ReliefEstimator(model, 128, 32).depthMm(shading, skin);
            assertEquals(0.0, org.opencv.core.Core.minMaxLoc(masked.colRange(300, 448)).maxVal, "no skin, no tile, flat");
            Mat left = new Mat();
            org.opencv.core.Core.absdiff(masked.colRange(0, 90), tiled.colRange(0, 90), left);
            assertTrue(org.opencv.core.Core.minMaxLoc(left).maxVal < 1e-5, "tiles over skin unchanged");
            skin.release();
            masked.release();
            left.release();
            for (Mat m : new Mat[] {whole, tiled, diff}) {
                m.release();
            }
        } finally {
            linear.release();
            shading.release();
        }
    }

    @Test
    void theLeanForwardPassAnswersExactlyWhatDjlsPredictorAnswers() throws Exception {
        // ReliefNet.infer frees each layer's output as it goes; it must compute the very same numbers.
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        int w = 96;
        int h = 64;
        float[] chw = new float[3 * w * h];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (float) (0.2 * r.nextGaussian());
        }
        ReliefTile tile = new ReliefTile(chw, w, h);
        try (ReliefModel model = ReliefModel.loadPackaged();
             ai.djl.inference.Predictor<ReliefTile, float[]> predictor = model.newPredictor();
             ReliefModel.Inference lean = model.newInference()) {
            float[] expected = predictor.predict(tile);
            float[] actual = lean.depthMm(tile);
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
            assertTrue(java.util.stream.IntStream.range(0, expected.length).anyMatch(i -> expected[i] > 0), "a non-trivial answer");
            org.junit.jupiter.api.Assertions.assertArrayEquals(actual, lean.depthMm(tile), "and again, with the same inference");
        }
    }
}
