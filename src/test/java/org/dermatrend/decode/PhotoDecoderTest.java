package org.dermatrend.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.DataBuffer;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.dermatrend.cv.OpenCvNatives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

class PhotoDecoderTest {
    private final PhotoDecoder decoder = new PhotoDecoder(ConfigIntake.defaults());

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    // ------------------------------------------------------------ orientation, every format

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void jpegExifOrientationIsApplied(int orientation) {
        assertUpright(orientation, stored -> TestPhotos.jpegWithOrientation(
                TestPhotos.encode(".jpg", stored, Imgcodecs.IMWRITE_JPEG_QUALITY, 95), orientation), ImageFormat.JPEG);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void pngExifOrientationIsApplied(int orientation) {
        assertUpright(orientation, stored -> TestPhotos.pngWithOrientation(TestPhotos.encode(".png", stored), orientation),
                ImageFormat.PNG);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void tiffOrientationTagIsApplied(int orientation) {
        assertUpright(orientation, stored -> TestPhotos.tiff(stored.cols(), stored.rows(), 3, 8, TestPhotos.rgbBytes(stored),
                orientation), ImageFormat.TIFF);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void webpExifOrientationIsApplied(int orientation) {
        assertUpright(orientation, stored -> TestPhotos.webpWithOrientation(
                TestPhotos.encode(".webp", stored, Imgcodecs.IMWRITE_WEBP_QUALITY, 95), stored.cols(), stored.rows(), orientation),
                ImageFormat.WEBP);
    }

    /** Stores the upright arrow as a camera would under {@code orientation}, decodes, and compares. */
    private void assertUpright(int orientation, java.util.function.Function<Mat, byte[]> writer, ImageFormat format) {
        Mat upright = TestPhotos.arrow();
        Mat stored = Orientation.fromUpright(upright, orientation);
        byte[] file = writer.apply(stored);
        DecodeResult r = decoder.decode(file);
        assertFalse(r.isRefused(), () -> "refused: " + (r.isRefused() ? r.refusal() : ""));
        try (DecodedPhoto photo = r.photo()) {
            assertEquals(format, photo.header().format());
            assertEquals(orientation, photo.header().orientation());
            assertEquals(640, photo.width(), "upright width");
            assertEquals(520, photo.height(), "upright height");
            Mat diff = new Mat();
            Core.absdiff(photo.bgr(), upright, diff);
            double meanDiff = Core.mean(diff).val[0];
            diff.release();
            assertTrue(meanDiff < 4, "decoded picture differs from the upright original by " + meanDiff);
            // The arrow's head (top) is dark and its foot region beside the shaft is light; the red mark is top-right.
            assertTrue(photo.bgr().get(120, 320)[0] < 80, "arrow head should be at the top");
            assertTrue(photo.bgr().get(470, 320)[0] > 180, "below the shaft should be background");
            double[] mark = photo.bgr().get(50, 590);
            assertTrue(mark[2] > 180 && mark[0] < 90, "red mark should be top-right, got " + Arrays.toString(mark));
        } finally {
            upright.release();
            stored.release();
        }
    }

    // ------------------------------------------------------------ depths, channels, alpha

    @Test
    void sixteenBitPngAndTiffAreScaledToEightBits() {
        Mat m16 = new Mat(600, 700, CvType.CV_16UC3, new Scalar(1000 * 257 / 1000, 100 * 257, 200 * 257));
        byte[] png = TestPhotos.encode(".png", m16);
        byte[] tif = TestPhotos.encode(".tiff", m16);
        for (byte[] file : new byte[][] {png, tif}) {
            DecodeResult r = decoder.decode(file);
            try (DecodedPhoto p = r.photo()) {
                assertEquals(16, p.header().bitsPerSample());
                assertEquals(CvType.CV_8UC3, p.bgr().type());
                double[] px = p.bgr().get(10, 10);
                assertEquals(1, px[0], 1);
                assertEquals(100, px[1], 1);
                assertEquals(200, px[2], 1);
            }
        }
        m16.release();
    }

    @Test
    void greyscaleBecomesThreeEqualChannelsAndIsFlagged() {
        Mat grey = new Mat(600, 600, CvType.CV_8UC1, new Scalar(120));
        for (String ext : new String[] {".png", ".jpg", ".tiff"}) {
            try (DecodedPhoto p = decoder.decode(TestPhotos.encode(ext, grey)).photo()) {
                assertTrue(p.greyscale(), ext);
                double[] px = p.bgr().get(5, 5);
                assertEquals(px[0], px[1], 0.01, ext);
                assertEquals(px[1], px[2], 0.01, ext);
            }
        }
        grey.release();
    }

    @Test
    void alphaBecomesTheValidMask() {
        Mat bgra = new Mat(600, 600, CvType.CV_8UC4, new Scalar(50, 100, 150, 255));
        Imgproc.rectangle(bgra, new org.opencv.core.Point(0, 0), new org.opencv.core.Point(299, 599), new Scalar(0, 0, 0, 0), -1);
        try (DecodedPhoto p = decoder.decode(TestPhotos.encode(".png", bgra)).photo()) {
            Mat valid = p.validMask().orElseThrow();
            assertEquals(300 * 600, Core.countNonZero(valid));
            assertEquals(0, valid.get(10, 10)[0]);
            assertEquals(255, valid.get(10, 400)[0]);
        }
        bgra.release();
    }

    @Test
    void cmykJpegIsRefusedWithAReason() throws Exception {
        WritableRaster raster = Raster.createWritableRaster(
                new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, 600, 600, 4, 2400, new int[] {0, 1, 2, 3}), null);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        }
        writer.dispose();
        DecodeResult r = decoder.decode(bytes.toByteArray());
        assertTrue(r.isRefused());
        assertEquals(RefusalCode.UNSUPPORTED_FORMAT, r.refusal().code());
        assertTrue(r.refusal().message().contains("CMYK"), r.refusal().message());
    }

    // ------------------------------------------------------------ hostile and broken input

    @Test
    void decompressionBombIsRefusedFromItsHeaderInMilliseconds() {
        byte[] bomb = TestPhotos.pngBomb(30000);
        assertTrue(bomb.length < 1_000_000, "the bomb should be small on disk, is " + bomb.length);
        long t0 = System.nanoTime();
        DecodeResult r = decoder.decode(bomb);
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("30000x30000 PNG bomb (%d bytes) refused in %.2f ms%n", bomb.length, ms);
        assertTrue(r.isRefused());
        assertEquals(RefusalCode.IMAGE_TOO_LARGE, r.refusal().code());
        assertTrue(r.refusal().message().contains("30000 x 30000"), r.refusal().message());
        // A generous bound: decoding it would take seconds and 900 MB; refusing takes about a millisecond.
        assertTrue(ms < 500, "refusal took " + ms + " ms");
    }

    @Test
    void jpegDeclaringHugeDimensionsIsRefused() {
        Mat m = new Mat(600, 600, CvType.CV_8UC3, new Scalar(90, 120, 200));
        byte[] jpeg = TestPhotos.encode(".jpg", m);
        m.release();
        for (int i = 2; i < jpeg.length - 9; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xC0) {
                jpeg[i + 5] = (byte) 0xEA; // height 60000
                jpeg[i + 6] = (byte) 0x60;
                jpeg[i + 7] = (byte) 0xEA; // width 60000
                jpeg[i + 8] = (byte) 0x60;
                break;
            }
        }
        DecodeResult r = decoder.decode(jpeg);
        assertEquals(RefusalCode.IMAGE_TOO_LARGE, r.refusal().code());
    }

    @Test
    void byteLimitIsEnforcedBeforeParsing() {
        PhotoDecoder small = new PhotoDecoder(ConfigIntake.defaults().withMaxBytes(1000));
        DecodeResult r = small.decode(new byte[1001]);
        assertEquals(RefusalCode.IMAGE_TOO_LARGE, r.refusal().code());
    }

    @Test
    void pixelLimitIsConfigurable() {
        PhotoDecoder strict = new PhotoDecoder(ConfigIntake.defaults().withMaxPixels(300_000));
        Mat m = new Mat(600, 700, CvType.CV_8UC3, new Scalar(90, 120, 200));
        DecodeResult r = strict.decode(TestPhotos.encode(".png", m));
        m.release();
        assertEquals(RefusalCode.IMAGE_TOO_LARGE, r.refusal().code());
    }

    @ParameterizedTest
    @ValueSource(strings = {".jpg", ".png", ".tiff", ".webp"})
    void truncatedFilesAreRefusedAsCorrupt(String ext) {
        Mat m = TestPhotos.arrow();
        byte[] full = TestPhotos.encode(ext, m);
        m.release();
        assertFalse(decoder.decode(full).isRefused(), "the complete file decodes");
        for (double keep : new double[] {0.3, 0.6, 0.95}) {
            byte[] cut = Arrays.copyOf(full, (int) (full.length * keep));
            long t0 = System.nanoTime();
            DecodeResult r = decoder.decode(cut);
            assertTrue(r.isRefused(), ext + " cut to " + keep + " was accepted");
            assertEquals(RefusalCode.CORRUPT_IMAGE, r.refusal().code(), r.refusal().message());
            assertTrue((System.nanoTime() - t0) / 1e6 < 2000, "refusal should be quick");
        }
    }

    @Test
    void emptyFileIsRefused() {
        DecodeResult r = decoder.decode(new byte[0]);
        assertEquals(RefusalCode.CORRUPT_IMAGE, r.refusal().code());
        assertTrue(r.refusal().message().contains("empty"));
    }

    @Test
    void textFileNamedJpgIsRefusedAsNotAnImage() {
        DecodeResult r = decoder.decode("Patient notes: see chart.\nNot a photo.\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(RefusalCode.UNSUPPORTED_FORMAT, r.refusal().code());
        assertTrue(r.refusal().message().contains("text"), r.refusal().message());
    }

    @Test
    void otherFormatsAreNamed() {
        DecodeResult gif = decoder.decode("GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(RefusalCode.UNSUPPORTED_FORMAT, gif.refusal().code());
        assertTrue(gif.refusal().message().contains("GIF"));
    }

    @Test
    void damagedPngChecksumIsRefused() {
        Mat m = TestPhotos.arrow();
        byte[] png = TestPhotos.encode(".png", m);
        m.release();
        png[png.length / 2] ^= 0x5A;
        DecodeResult r = decoder.decode(png);
        assertEquals(RefusalCode.CORRUPT_IMAGE, r.refusal().code());
    }

    @Test
    void smallImagesAreRefusedAsTooSmall() {
        Mat m = new Mat(400, 900, CvType.CV_8UC3, new Scalar(90, 120, 200));
        DecodeResult r = decoder.decode(TestPhotos.encode(".jpg", m));
        m.release();
        assertEquals(RefusalCode.IMAGE_TOO_SMALL, r.refusal().code());
        assertTrue(r.refusal().message().contains("512"));
    }

    @Test
    void randomGarbageAfterAValidSignatureNeverThrows() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(42);
        Mat m = TestPhotos.arrow();
        byte[][] seeds = {TestPhotos.encode(".jpg", m), TestPhotos.encode(".png", m), TestPhotos.encode(".tiff", m),
            TestPhotos.encode(".webp", m)};
        m.release();
        for (int i = 0; i < 200; i++) {
            byte[] f = seeds[i % 4].clone();
            int flips = 1 + rng.nextInt(20);
            for (int k = 0; k < flips; k++) {
                int at = 8 + rng.nextInt(Math.min(f.length - 8, 400));
                f[at] = (byte) rng.nextInt(256);
            }
            DecodeResult r = decoder.decode(f);
            if (!r.isRefused()) {
                r.photo().close();
            }
        }
    }
}
