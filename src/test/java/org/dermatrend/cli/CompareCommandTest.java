package org.dermatrend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dermatrend.align.Homography;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare} as a clinic runs it, on the committed phantom pairs whose transforms are known. */
class CompareCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SET = Path.of("datasets/phantoms/alignment").toAbsolutePath();

    /** Runs the command line, returning exit status and standard output. */
    private static Object[] run(String... args) {
        Cli.Result r = Cli.run(args);
        return new Object[] {r.status(), r.out()};
    }

    /** The true afterToBefore of a committed pair, from pairs.csv. */
    private static Homography truth(String name) throws Exception {
        for (String line : Files.readAllLines(SET.resolve("pairs.csv"))) {
            if (line.startsWith(name + ",")) {
                String[] c = line.split(",");
                double[] h = new double[9];
                for (int i = 0; i < 9; i++) {
                    h[i] = Double.parseDouble(c[2 + i]);
                }
                return Homography.of(h);
            }
        }
        throw new AssertionError(name + " not in pairs.csv");
    }

    @Test
    void aPairGivesTheTransformBothScoresOnTheSharedRegionAndTheChange(@TempDir Path out) throws Exception {
        Object[] r = run("compare", "--json", "--mm-per-px", "0.025", "--out-dir", out.toString(),
                SET.resolve("phantom-30002-before.jpg").toString(), SET.resolve("phantom-30002-after.jpg").toString());
        JsonNode line = JSON.readTree((String) r[1]);
        JsonNode a = line.get("alignment");
        assertTrue(a.get("ok").asBoolean(), a.toString());
        assertTrue(a.get("reason").isNull());
        double[] h = new double[9];
        for (int i = 0; i < 9; i++) {
            h[i] = a.get("afterToBefore").get(i).asDouble();
        }
        double error = Homography.of(h).cornerErrorPx(truth("phantom-30002"), 960, 720);
        assertTrue(error < 1.5, "corner error " + error + " px");
        for (String field : new String[] {"inliers", "rmsErrorPx", "eccCorrelation", "overlapFraction", "regionBefore", "regionAfter"}) {
            assertNotNull(a.get(field), field);
        }
        // Both scores, the follow-up's scale carried through the transform's zoom (0.95 here).
        assertEquals(0.025, line.get("before").get("image").get("mmPerPx").asDouble(), 1e-12);
        double afterMm = line.get("after").get("image").get("mmPerPx").asDouble();
        assertEquals(0.025 * 0.95, afterMm, 0.001);
        JsonNode change = line.get("change").get("pores.meanDiameterMm");
        for (String field : new String[] {"before", "after", "absolute", "percent"}) {
            assertNotNull(change.get(field), field);
        }
        assertEquals(change.get("after").asDouble() - change.get("before").asDouble(), change.get("absolute").asDouble(), 1e-3);
        // Same skin, same pores: the counts on the shared region agree.
        JsonNode count = line.get("change").get("pores.count");
        assertEquals(count.get("before").asDouble(), count.get("after").asDouble(), 0.1 * count.get("before").asDouble());
        assertFalse(line.get("change").has("pores.meanDiameterPx"), "pixel sizes differ between the photos: not compared");
        assertTrue(line.get("notes").get(0).asText().startsWith("colour_not_calibrated"));
        for (String picture : List.of("after-in-before", "side-by-side", "checkerboard", "difference")) {
            assertTrue(Files.size(out.resolve("phantom-30002-before__phantom-30002-after." + picture + ".png")) > 1000, picture);
        }
    }

    @Test
    void theTransformIsBetweenUprightFramesWhateverTheExifOrientation(@TempDir Path dir) throws Exception {
        // The follow-up stored as a camera held sideways would store it (EXIF orientation 6: stored
        // pixels turned 90°, to be turned back on display); the answer must not change.
        org.dermatrend.cv.OpenCvNatives.load();
        org.opencv.core.Mat upright = org.opencv.imgcodecs.Imgcodecs.imread(SET.resolve("phantom-30004-after.jpg").toString());
        org.opencv.core.Mat stored = org.dermatrend.decode.Orientation.fromUpright(upright, 6);
        byte[] jpeg = org.dermatrend.decode.TestPhotos.jpegWithOrientation(
                org.dermatrend.decode.TestPhotos.encode(".jpg", stored, org.opencv.imgcodecs.Imgcodecs.IMWRITE_JPEG_QUALITY, 95), 6);
        upright.release();
        stored.release();
        Path sideways = Files.write(dir.resolve("sideways.jpg"), jpeg);
        Object[] r = run("compare", "--json", SET.resolve("phantom-30004-before.jpg").toString(), sideways.toString());
        JsonNode a = JSON.readTree((String) r[1]).get("alignment");
        assertTrue(a.get("ok").asBoolean(), a.toString());
        double[] h = new double[9];
        for (int i = 0; i < 9; i++) {
            h[i] = a.get("afterToBefore").get(i).asDouble();
        }
        double error = Homography.of(h).cornerErrorPx(truth("phantom-30004"), 960, 720);
        assertTrue(error < 1.5, "corner error " + error + " px in the upright frames");
    }

    @Test
    void differentSkinIsRefusedWithExitStatus3AndNoTransform() throws Exception {
        Object[] r = run("compare", "--json", SET.resolve("unrelated-phantom-30501-vs-30502-before.jpg").toString(),
                SET.resolve("unrelated-phantom-30501-vs-30502-after.jpg").toString());
        assertEquals(3, r[0]);
        JsonNode line = JSON.readTree((String) r[1]);
        JsonNode a = line.get("alignment");
        assertFalse(a.get("ok").asBoolean());
        assertFalse(a.get("reason").asText().isEmpty());
        assertTrue(a.get("afterToBefore").isNull());
        assertNull(line.get("change"));
        assertNull(line.get("before"));
    }

    @Test
    void aPairsFileGivesOneLinePerPairInOrderAndARefusedPhotoDoesNotStopTheOthers(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("pairs.csv");
        Files.writeString(csv, String.join("\n",
                "before,after",
                SET.resolve("unrelated-phantom-30503-vs-30504-before.jpg") + "," + SET.resolve("unrelated-phantom-30503-vs-30504-after.jpg"),
                SET.resolve("phantom-30004-before.jpg") + ",missing.jpg",
                SET.resolve("phantom-30004-before.jpg") + "," + SET.resolve("phantom-30004-after.jpg")) + "\n");
        Object[] r = run("compare", "--json", "--pairs", csv.toString());
        assertEquals(1, r[0], "a refused photo wins the exit status");
        String[] lines = ((String) r[1]).strip().split("\n");
        assertEquals(3, lines.length);
        assertFalse(JSON.readTree(lines[0]).get("alignment").get("ok").asBoolean());
        assertEquals("corrupt_image", JSON.readTree(lines[1]).get("error").get("code").asText());
        assertTrue(JSON.readTree(lines[2]).get("alignment").get("ok").asBoolean());
        assertTrue(JSON.readTree(lines[2]).get("afterFile").asText().endsWith("phantom-30004-after.jpg"));
    }

    @Test
    void badRequestsAreRefusedWithAReason(@TempDir Path dir) throws Exception {
        assertEquals(2, run("compare", SET.resolve("phantom-30004-before.jpg").toString())[0], "one photo only");
        Path noHeader = Files.writeString(dir.resolve("p.csv"), "a.jpg,b.jpg\n");
        assertEquals(2, run("compare", "--pairs", noHeader.toString())[0], "a CSV without its header");
        Object[] r = run("compare", "--json", "--roi", "900,700,300,300", SET.resolve("phantom-30004-before.jpg").toString(),
                SET.resolve("phantom-30004-after.jpg").toString());
        assertEquals(2, r[0], "a rectangle outside the photo is bad usage");
        assertEquals("roi_outside_image", JSON.readTree((String) r[1]).get("error").get("code").asText());
    }
}
