package org.dermatrend.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.InflaterInputStream;
import org.dermatrend.cv.MatScope;
import org.dermatrend.cv.OpenCvNatives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * {@link MetadataStripper} on photos dressed with a camera's metadata (see {@link MetadataPhotos}), in
 * every format and orientation: the decoder's pixels are bit-identical, the orientation survives as
 * the only metadata, no planted value remains, and stripping twice changes nothing.
 */
class MetadataStripperTest {
    private final PhotoDecoder decoder = new PhotoDecoder(ConfigIntake.defaults());

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    // ------------------------------------------------------------ JPEG

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void jpegKeepsPixelsBlockMeansScanDataAndOrientationOnly(int orientation) {
        byte[] original;
        try (MatScope scope = new MatScope()) {
            Mat stored = scope.track(Orientation.fromUpright(scope.track(TestPhotos.arrow()), orientation));
            original = MetadataPhotos.cameraJpeg(TestPhotos.encode(".jpg", stored, Imgcodecs.IMWRITE_JPEG_QUALITY, 92), orientation);
        }
        MetadataStripper.Stripped s = stripChecked(original, ImageFormat.JPEG, orientation);
        assertEquals(ImageFormat.JPEG, s.format());
        assertSameBlockMeans(original, s.bytes());
        assertArrayEquals(fromFirstScan(original), fromFirstScan(s.bytes()), "scan data must be copied byte for byte");

        // Segments before the scan: JFIF without thumbnail, the orientation-only Exif, ICC, Adobe, then the encoder's tables.
        List<int[]> kept = segmentsBeforeScan(s.bytes());
        List<Integer> markers = new ArrayList<>();
        kept.forEach(seg -> markers.add(seg[0]));
        List<Integer> expected = new ArrayList<>(List.of(0xE0));
        if (orientation != 1) {
            expected.add(0xE1);
        }
        expected.addAll(List.of(0xE2, 0xEE));
        for (int[] seg : segmentsBeforeScan(original)) {
            if (seg[0] < 0xE0 || seg[0] > 0xEF && seg[0] != 0xFE) {
                expected.add(seg[0]);
            }
        }
        assertEquals(hex(expected), hex(markers));
        assertEquals(16, kept.get(0)[2], "JFIF APP0 without its thumbnail is 16 bytes long");
        if (orientation != 1) {
            int[] app1 = kept.get(1);
            byte[] payload = Arrays.copyOfRange(s.bytes(), app1[1] + 4, app1[1] + 2 + app1[2]);
            assertArrayEquals(MetadataPhotos.concat(MetadataPhotos.ascii("Exif\0\0"), TestPhotos.exifTiff(orientation)), payload);
        }
        assertEquals(1, count(s.bytes(), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}), "no embedded thumbnail JPEG is left");
        assertTrue(count(original, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}) >= 3, "the original carries thumbnails");
        assertTrue(indexOf(s.bytes(), MetadataPhotos.concat(MetadataPhotos.ascii("ICC_PROFILE\0"), new byte[] {1, 1},
                MetadataPhotos.iccProfile("RGB "))) > 0, "the ICC profile is kept as it was");
        assertEquals((byte) 0xD9, s.bytes()[s.bytes().length - 1], "ends with EOI, the trailer is gone");
        assertRemovedNames(s, "APP1 Exif", "APP1 XMP", "APP2 MPF", "APP13 Photoshop/IPTC", "COM comment", "APP0 JFIF thumbnail",
                "after the end-of-image marker");
    }

    @Test
    void progressiveGreyAndRestartJpegsKeepTheirScansAndBlockMeans() {
        try (MatScope scope = new MatScope()) {
            Mat colour = scope.track(TestPhotos.arrow());
            Mat grey = scope.mat();
            Imgproc.cvtColor(colour, grey, Imgproc.COLOR_BGR2GRAY);
            byte[][] encoded = {
                TestPhotos.encode(".jpg", colour, Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1),
                TestPhotos.encode(".jpg", grey, Imgcodecs.IMWRITE_JPEG_QUALITY, 90),
                TestPhotos.encode(".jpg", colour, Imgcodecs.IMWRITE_JPEG_RST_INTERVAL, 7),
                TestPhotos.encode(".jpg", colour, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444),
            };
            for (byte[] e : encoded) {
                byte[] original = MetadataPhotos.cameraJpeg(e, 6);
                MetadataStripper.Stripped s = stripChecked(original, ImageFormat.JPEG, 6);
                assertSameBlockMeans(original, s.bytes());
                assertArrayEquals(fromFirstScan(original), fromFirstScan(s.bytes()));
            }
            assertTrue(JpegBlockMeans.meanRgb(encoded[2], 0, 0, 640, 520).isPresent(), "the restart-interval JPEG is read from its DCs");
        }
    }

    /**
     * Without JFIF, APP14 Adobe with transform 0 tells the decoder the samples are RGB, not YCbCr: the
     * same scan data decodes to other pixels without it. The stripper must keep it.
     */
    @Test
    void adobeColourTransformIsKeptBecauseItDecidesThePixels() {
        byte[] encoded;
        try (MatScope scope = new MatScope()) {
            encoded = TestPhotos.encode(".jpg", scope.track(TestPhotos.arrow()), Imgcodecs.IMWRITE_JPEG_QUALITY, 92);
        }
        byte[] body = Arrays.copyOfRange(encoded, 2 + MetadataPhotos.jfifLength(encoded), encoded.length);
        byte[] withAdobe = MetadataPhotos.concat(new byte[] {(byte) 0xFF, (byte) 0xD8}, MetadataPhotos.adobeApp14(0),
                MetadataPhotos.segment(0xE1, MetadataPhotos.concat(MetadataPhotos.ascii("Exif\0\0"),
                        MetadataPhotos.cameraExif(3, false, MetadataPhotos.thumbnailJpeg()))), body);
        byte[] withoutAdobe = MetadataPhotos.concat(new byte[] {(byte) 0xFF, (byte) 0xD8}, body);
        assertNotEquals(0, differingSamples(withAdobe, withoutAdobe), "the test needs APP14 to change the pixels");
        assertFalse(Arrays.equals(JpegBlockMeans.meanRgb(withAdobe, 0, 0, 640, 520).orElseThrow(),
                JpegBlockMeans.meanRgb(withoutAdobe, 0, 0, 640, 520).orElseThrow()), "and the block means");
        MetadataStripper.Stripped s = stripChecked(withAdobe, ImageFormat.JPEG, 3);
        assertSameBlockMeans(withAdobe, s.bytes());
        assertTrue(indexOf(s.bytes(), MetadataPhotos.adobeApp14(0)) > 0);
    }

    // ------------------------------------------------------------ PNG

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void pngKeepsCriticalAndColourChunksAndOrientationOnly(int orientation) {
        byte[] original;
        try (MatScope scope = new MatScope()) {
            Mat stored = scope.track(Orientation.fromUpright(scope.track(TestPhotos.arrow()), orientation));
            original = MetadataPhotos.cameraPng(TestPhotos.encode(".png", stored), orientation);
        }
        MetadataStripper.Stripped s = stripChecked(original, ImageFormat.PNG, orientation);
        List<String> chunks = pngChunks(s.bytes());
        List<String> expected = new ArrayList<>(List.of("IHDR"));
        if (orientation != 1) {
            expected.add("eXIf");
        }
        expected.addAll(List.of("gAMA", "cHRM", "iCCP"));
        for (String c : pngChunks(original)) {
            if (c.equals("IDAT")) {
                expected.add(c);
            }
        }
        expected.add("IEND");
        assertEquals(expected, chunks);
        if (orientation != 1) {
            assertTrue(indexOf(s.bytes(), TestPhotos.pngChunk("eXIf", TestPhotos.exifTiff(orientation))) == 33,
                    "the orientation-only eXIf follows IHDR");
        }
        assertRemovedNames(s, "tEXt chunk", "zTXt chunk", "iTXt chunk", "tIME chunk", "eXIf chunk", "pHYs chunk", "after the IEND");
    }

    @Test
    void pngWithAlphaGreyAndSixteenBitsKeepsItsPixels() {
        try (MatScope scope = new MatScope()) {
            Mat bgra = scope.mat();
            Imgproc.cvtColor(scope.track(TestPhotos.arrow()), bgra, Imgproc.COLOR_BGR2BGRA);
            Imgproc.rectangle(bgra, new Point(0, 0), new Point(200, 519), new Scalar(0, 0, 0, 0), -1);
            Mat grey = scope.mat();
            Imgproc.cvtColor(scope.track(TestPhotos.arrow()), grey, Imgproc.COLOR_BGR2GRAY);
            Mat sixteen = scope.mat();
            scope.track(TestPhotos.arrow()).convertTo(sixteen, CvType.CV_16UC3, 257);
            for (Mat m : List.of(bgra, grey, sixteen)) {
                byte[] original = MetadataPhotos.cameraPng(TestPhotos.encode(".png", m), 8);
                stripChecked(original, ImageFormat.PNG, 8);
            }
        }
    }

    // ------------------------------------------------------------ WebP

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void webpKeepsImageChunksFixesFlagsAndKeepsOrientationOnly(int orientation) {
        byte[] original;
        int width;
        int height;
        try (MatScope scope = new MatScope()) {
            Mat stored = scope.track(Orientation.fromUpright(scope.track(TestPhotos.arrow()), orientation));
            byte[] encoded = TestPhotos.encode(".webp", stored, Imgcodecs.IMWRITE_WEBP_QUALITY, 95);
            assertEquals("VP8 ", new String(encoded, 12, 4, StandardCharsets.ISO_8859_1), "the encoder writes a simple lossy file");
            width = stored.cols();
            height = stored.rows();
            original = MetadataPhotos.cameraWebp(encoded, width, height, false, orientation);
        }
        MetadataStripper.Stripped s = stripChecked(original, ImageFormat.WEBP, orientation);
        List<String> expected = new ArrayList<>(List.of("VP8X", "ICCP", "VP8 "));
        if (orientation != 1) {
            expected.add("EXIF");
        }
        assertEquals(expected, riffChunks(s.bytes()));
        assertEquals(s.bytes().length - 8, le32(s.bytes(), 4), "RIFF size");
        int flags = s.bytes()[20] & 0xff;
        assertEquals(0x20 | (orientation != 1 ? 0x08 : 0), flags, "ICC flag kept, EXIF flag only with the EXIF chunk, XMP flag cleared");
        assertEquals(width - 1, le24(s.bytes(), 24));
        assertEquals(height - 1, le24(s.bytes(), 27));
        if (orientation != 1) {
            assertEquals(s.bytes().length - 34, indexOf(s.bytes(), MetadataPhotos.riffChunk("EXIF", TestPhotos.exifTiff(orientation))));
        }
        assertRemovedNames(s, "EXIF chunk", "XMP chunk", "ZZZZ chunk", "after the RIFF end");
    }

    @Test
    void losslessWebpWithAlphaKeepsItsPixelsAndAlphaFlag() {
        byte[] original;
        try (MatScope scope = new MatScope()) {
            Mat bgra = scope.mat();
            Imgproc.cvtColor(scope.track(Orientation.fromUpright(scope.track(TestPhotos.arrow()), 5)), bgra, Imgproc.COLOR_BGR2BGRA);
            Imgproc.rectangle(bgra, new Point(0, 0), new Point(100, 300), new Scalar(0, 0, 0, 0), -1);
            byte[] encoded = TestPhotos.encode(".webp", bgra, Imgcodecs.IMWRITE_WEBP_QUALITY, 101);
            assertEquals("VP8L", new String(encoded, 12, 4, StandardCharsets.ISO_8859_1));
            original = MetadataPhotos.cameraWebp(encoded, bgra.cols(), bgra.rows(), true, 5);
        }
        MetadataStripper.Stripped s = stripChecked(original, ImageFormat.WEBP, 5);
        assertEquals(List.of("VP8X", "ICCP", "VP8L", "EXIF"), riffChunks(s.bytes()));
        assertEquals(0x20 | 0x10 | 0x08, s.bytes()[20] & 0xff);
    }

    /** A simple-format file with an EXIF chunk appended (no VP8X): the decoder honours it, so must the stripper. */
    @Test
    void simpleWebpWithAnAppendedExifChunkGetsAnExtendedHeader() {
        for (boolean lossless : new boolean[] {false, true}) {
            byte[] original;
            try (MatScope scope = new MatScope()) {
                Mat stored = scope.track(Orientation.fromUpright(scope.track(TestPhotos.arrow()), 6));
                byte[] encoded = TestPhotos.encode(".webp", stored, Imgcodecs.IMWRITE_WEBP_QUALITY, lossless ? 101 : 90);
                original = MetadataPhotos.riff(Arrays.copyOfRange(encoded, 12, encoded.length),
                        MetadataPhotos.riffChunk("EXIF", MetadataPhotos.cameraExif(6, false, MetadataPhotos.thumbnailJpeg())));
            }
            MetadataStripper.Stripped s = stripChecked(original, ImageFormat.WEBP, 6);
            assertEquals(List.of("VP8X", lossless ? "VP8L" : "VP8 ", "EXIF"), riffChunks(s.bytes()));
            assertEquals(0x08, s.bytes()[20] & 0xff);
        }
    }

    // ------------------------------------------------------------ TIFF

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void tiffBecomesALosslessUprightPngWithItsIccProfile(int orientation) {
        byte[] original;
        byte[] icc = MetadataPhotos.iccProfile("RGB ");
        try (MatScope scope = new MatScope()) {
            Mat stored = scope.track(Orientation.fromUpright(scope.track(TestPhotos.arrow()), orientation));
            original = MetadataPhotos.cameraTiff(stored.cols(), stored.rows(), 3, 8, MetadataPhotos.tiffSamples(stored), orientation, icc);
        }
        MetadataStripper.Stripped s = stripChecked(original, ImageFormat.PNG, 1);
        assertEquals(1, s.orientation());
        assertEquals(List.of("IHDR", "iCCP", "IDAT", "IEND"), distinct(pngChunks(s.bytes())));
        assertArrayEquals(icc, iccpProfile(s.bytes()), "the TIFF's ICC profile moves to iCCP unchanged");
        assertRemovedNames(s, "TIFF tag Make (271)", "TIFF tag Artist (315)", "TIFF tag GPS IFD (34853)", "TIFF tag Exif IFD (34665)",
                "TIFF tag XMP (700)", "TIFF tag IPTC (33723)", "further TIFF directories", "re-encoded losslessly as PNG");
    }

    /**
     * 16-bit samples stay 16-bit in the PNG (the decoder scales both to 8 bits the same way); grey
     * stays grey, alpha stays alpha; grey with alpha, which OpenCV reads as grey alone, stays grey.
     */
    @ParameterizedTest
    @ValueSource(strings = {"grey8", "grey16", "greyAlpha8", "greyAlpha16", "rgb16", "rgba8", "rgba16"})
    void tiffDepthsAndChannelsSurviveTheReencoding(String kind) {
        int channels = kind.startsWith("greyAlpha") ? 2 : kind.startsWith("grey") ? 1 : kind.startsWith("rgba") ? 4 : 3;
        int bits = kind.endsWith("16") ? 16 : 8;
        byte[] original;
        try (MatScope scope = new MatScope()) {
            Mat arrow = scope.track(TestPhotos.arrow());
            Mat m = scope.mat();
            if (channels <= 2) {
                Imgproc.cvtColor(arrow, m, Imgproc.COLOR_BGR2GRAY);
            } else if (channels == 4) {
                Imgproc.cvtColor(arrow, m, Imgproc.COLOR_BGR2BGRA);
                Imgproc.rectangle(m, new Point(0, 0), new Point(150, 519), new Scalar(0, 0, 0, 0), -1);
            } else {
                arrow.copyTo(m);
            }
            if (channels == 2) {
                Mat alpha = scope.track(new Mat(520, 640, CvType.CV_8UC1, new Scalar(255)));
                Imgproc.rectangle(alpha, new Point(0, 0), new Point(150, 519), new Scalar(0), -1);
                Mat greyAlpha = scope.mat();
                Core.merge(List.of(m, alpha), greyAlpha);
                m = greyAlpha;
            }
            if (bits == 16) {
                // Low bytes that differ from the high ones, so that a scaled 8-bit copy could not pass for the original.
                Mat sixteen = scope.mat();
                m.convertTo(sixteen, CvType.makeType(CvType.CV_16U, m.channels()), 251, 37);
                m = sixteen;
            }
            Mat stored = scope.track(Orientation.fromUpright(m, 6));
            original = MetadataPhotos.cameraTiff(stored.cols(), stored.rows(), channels, bits, MetadataPhotos.tiffSamples(stored), 6,
                    MetadataPhotos.iccProfile(channels <= 2 ? "GRAY" : "RGB "));
        }
        MetadataStripper.Stripped s = stripChecked(original, ImageFormat.PNG, 1);
        if (channels != 2) {
            assertEquals(bits, s.bytes()[24], "PNG bit depth");
        }
        assertEquals(channels <= 2 ? 0 : channels == 3 ? 2 : 6, s.bytes()[25], "PNG colour type");
        assertEquals(List.of("IHDR", "iCCP", "IDAT", "IEND"), distinct(pngChunks(s.bytes())));
    }

    @Test
    void sixteenBitTiffFromTheEncoderAndItsLowBitsSurvive() {
        byte[] original;
        try (MatScope scope = new MatScope()) {
            Mat m = scope.mat();
            scope.track(TestPhotos.arrow()).convertTo(m, CvType.CV_16UC3, 251, 37);
            original = TestPhotos.encode(".tiff", m);
        }
        MetadataStripper.Stripped s = MetadataStripper.strip(original);
        assertEquals(ImageFormat.PNG, s.format());
        assertEquals(0, differingSamples(original, s.bytes()));
        assertArrayEquals(s.bytes(), MetadataStripper.strip(s.bytes()).bytes(), "idempotent");
        assertEquals(16, s.bytes()[24], "16-bit samples are not reduced");
        try (MatScope scope = new MatScope()) {
            Mat a = scope.track(Imgcodecs.imdecode(scope.track(new org.opencv.core.MatOfByte(original)), Imgcodecs.IMREAD_UNCHANGED));
            Mat b = scope.track(Imgcodecs.imdecode(scope.track(new org.opencv.core.MatOfByte(s.bytes())), Imgcodecs.IMREAD_UNCHANGED));
            assertEquals(a.type(), b.type());
            Mat diff = scope.mat();
            Core.absdiff(a, b, diff);
            assertEquals(0, Core.countNonZero(scope.track(diff.reshape(1))), "every 16-bit sample is equal");
        }
    }

    @Test
    void tiffIccProfileForAnotherColourSpaceIsDroppedAndSaidSo() {
        byte[] original;
        try (MatScope scope = new MatScope()) {
            Mat grey = scope.mat();
            Imgproc.cvtColor(scope.track(TestPhotos.arrow()), grey, Imgproc.COLOR_BGR2GRAY);
            original = MetadataPhotos.cameraTiff(640, 520, 1, 8, MetadataPhotos.tiffSamples(grey), 1, MetadataPhotos.iccProfile("RGB "));
        }
        MetadataStripper.Stripped s = stripChecked(original, ImageFormat.PNG, 1);
        assertEquals(List.of("IHDR", "IDAT", "IEND"), distinct(pngChunks(s.bytes())));
        assertRemovedNames(s, "TIFF ICC profile for colour space 'RGB '");
    }

    // ------------------------------------------------------------ every format

    @Test
    void photosWithoutMetadataComeBackUnchangedButForTheEncodersOwnExtras() {
        try (MatScope scope = new MatScope()) {
            Mat arrow = scope.track(TestPhotos.arrow());
            byte[] png = TestPhotos.encode(".png", arrow);
            assertArrayEquals(png, MetadataStripper.strip(png).bytes(), "an encoder's PNG has nothing to remove");
            byte[] webp = TestPhotos.encode(".webp", arrow);
            assertArrayEquals(webp, MetadataStripper.strip(webp).bytes(), "nor its WebP");
            byte[] jpeg = TestPhotos.encode(".jpg", arrow);
            MetadataStripper.Stripped s = MetadataStripper.strip(jpeg);
            assertArrayEquals(jpeg, s.bytes(), "nor its JPEG (JFIF without thumbnail)");
            assertEquals(List.of(), s.removed());
        }
    }

    @Test
    void refusedOrDamagedInputIsAClearIllegalArgument() {
        byte[] jpeg;
        try (MatScope scope = new MatScope()) {
            jpeg = MetadataPhotos.cameraJpeg(TestPhotos.encode(".jpg", scope.track(TestPhotos.arrow())), 6);
        }
        List<byte[]> bad = List.of(new byte[0], "Patient notes, not a photo".getBytes(StandardCharsets.UTF_8),
                Arrays.copyOf(jpeg, jpeg.length / 2), Arrays.copyOf(jpeg, 40));
        for (byte[] b : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetadataStripper.strip(b));
            assertTrue(e.getMessage().startsWith("Cannot remove the metadata"), e.getMessage());
        }
        // A VP8X shorter than its 10 bytes: the header walk reads past it into the next chunk and accepts it.
        byte[] webp;
        try (MatScope scope = new MatScope()) {
            webp = TestPhotos.encode(".webp", scope.track(TestPhotos.arrow()));
        }
        byte[] shortVp8x = MetadataPhotos.riff(MetadataPhotos.riffChunk("VP8X", new byte[] {0, 0, 0, 0}),
                Arrays.copyOfRange(webp, 12, webp.length));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetadataStripper.strip(shortVp8x));
        assertTrue(e.getMessage().contains("VP8X chunk of 4 bytes"), e.getMessage());
    }

    /**
     * Seeded random damage to metadata-rich photos of every format: the stripper returns or throws an
     * {@link IllegalArgumentException}, nothing else, and never hangs; what intake accepts and the
     * stripper strips is accepted again with the same upright size and, when the original decodes, the
     * same pixels.
     */
    @Test
    void damagedPhotosNeverHangAndOnlyEverThrowIllegalArgument() {
        List<byte[]> seeds = new ArrayList<>();
        try (MatScope scope = new MatScope()) {
            Mat stored = scope.track(Orientation.fromUpright(scope.track(TestPhotos.arrow()), 6));
            seeds.add(MetadataPhotos.cameraJpeg(TestPhotos.encode(".jpg", stored), 6));
            seeds.add(MetadataPhotos.cameraPng(TestPhotos.encode(".png", stored), 6));
            seeds.add(MetadataPhotos.cameraWebp(TestPhotos.encode(".webp", stored), stored.cols(), stored.rows(), false, 6));
            seeds.add(MetadataPhotos.cameraTiff(stored.cols(), stored.rows(), 3, 8, MetadataPhotos.tiffSamples(stored), 6,
                    MetadataPhotos.iccProfile("RGB ")));
        }
        SplittableRandom rng = new SplittableRandom(20261201);
        int[] outcomes = new int[3]; // stripped, refused, decoded and compared
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < 800; i++) {
                byte[] f = mutate(seeds.get(i % seeds.size()), rng);
                PhotoDecoder.Inspection inspection = decoder.inspect(f);
                MetadataStripper.Stripped s;
                try {
                    s = MetadataStripper.strip(f);
                } catch (IllegalArgumentException e) {
                    outcomes[1]++;
                    continue;
                } catch (RuntimeException e) {
                    throw new AssertionError("case " + i + " threw " + e, e);
                }
                outcomes[0]++;
                if (inspection.isRefused()) {
                    continue; // e.g. too many pixels: the stripper trusts intake's limits and does not check them again
                }
                PhotoDecoder.Inspection after = decoder.inspect(s.bytes());
                String at = "case " + i;
                assertFalse(after.isRefused(), () -> at + ": the stripped file is refused: " + after.refusal());
                assertEquals(inspection.header().uprightWidth(), after.header().uprightWidth(), "case " + i);
                assertEquals(inspection.header().uprightHeight(), after.header().uprightHeight(), "case " + i);
                if (i % 4 == 0 || i % 4 == 2) {
                    DecodeResult r = decoder.decode(f);
                    if (!r.isRefused()) {
                        r.photo().close();
                        assertEquals(0, differingSamples(f, s.bytes()), "case " + i + ": pixels changed");
                        outcomes[2]++;
                    }
                }
            }
        });
        System.out.printf("damaged photos: %d stripped (%d of them decoded and compared), %d refused%n", outcomes[0], outcomes[2],
                outcomes[1]);
        assertTrue(outcomes[0] > 100 && outcomes[1] > 100, "the damage should give both outcomes: " + Arrays.toString(outcomes));
        assertTrue(outcomes[2] > 20, "and photos that still decode: " + Arrays.toString(outcomes));
    }

    private static byte[] mutate(byte[] seed, SplittableRandom rng) {
        byte[] f = seed.clone();
        switch (rng.nextInt(4)) {
            case 0: // a few bytes anywhere in the metadata-dense start
                for (int k = 0, n = 1 + rng.nextInt(6); k < n; k++) {
                    f[8 + rng.nextInt(Math.min(f.length - 8, 4000))] = (byte) rng.nextInt(256);
                }
                return f;
            case 1: // truncation
                return Arrays.copyOf(f, 8 + rng.nextInt(f.length - 8));
            case 2: // a large value written over a length or offset field
                int at = 4 + rng.nextInt(Math.min(f.length - 8, 4000));
                f[at] = (byte) 0xFF;
                f[at + 1] = (byte) rng.nextInt(256);
                return f;
            default: // a byte anywhere
                f[8 + rng.nextInt(f.length - 8)] ^= (byte) (1 + rng.nextInt(255));
                return f;
        }
    }

    // ------------------------------------------------------------ checks

    /**
     * Strips, then checks what holds for every format: the stripped file is accepted by intake, decodes
     * to the same upright pixels, valid mask, size and greyscale flag, carries the expected orientation,
     * has none of the planted values (which the original had), is smaller, and strips to itself.
     */
    private MetadataStripper.Stripped stripChecked(byte[] original, ImageFormat format, int orientation) {
        MetadataStripper.Stripped s = MetadataStripper.strip(original);
        assertEquals(format, s.format());
        assertEquals(orientation, s.orientation());
        PhotoDecoder.Inspection inspection = decoder.inspect(s.bytes());
        assertFalse(inspection.isRefused(), () -> "the stripped file is refused: " + inspection.refusal());
        assertEquals(format, inspection.header().format());
        assertEquals(orientation, inspection.header().orientation(), "orientation as the decoder reads it");
        assertEquals(0, differingSamples(original, s.bytes()), "decoded pixels must be identical");
        assertTrue(s.bytes().length < original.length, "something was removed");
        String originalText = new String(original, StandardCharsets.ISO_8859_1);
        String text = new String(s.bytes(), StandardCharsets.ISO_8859_1);
        for (String planted : MetadataPhotos.PLANTED) {
            assertFalse(text.contains(planted), "'" + planted + "' survived");
            for (String removed : s.removed()) {
                assertFalse(removed.contains(planted), "the removal list repeats '" + planted + "'");
            }
        }
        assertTrue(originalText.contains(MetadataPhotos.SERIAL) || originalText.contains(MetadataPhotos.TEXT),
                "the original carries planted values");
        assertFalse(text.contains("GPS"), "no GPS text at all");
        if (orientation == 1) {
            assertFalse(text.contains("Exif") || text.contains("eXIf") || text.contains("EXIF"), "no EXIF block at orientation 1");
        }
        MetadataStripper.Stripped again = MetadataStripper.strip(s.bytes());
        assertArrayEquals(s.bytes(), again.bytes(), "stripping twice gives what stripping once gave");
        assertEquals(List.of(), again.removed());
        if (format == ImageFormat.PNG) {
            assertValidCrcs(s.bytes());
        }
        return s;
    }

    /** Number of differing 8-bit samples (BGR and valid mask) between the two files' decodings; size and flags must agree. */
    private long differingSamples(byte[] a, byte[] b) {
        DecodeResult ra = decoder.decode(a);
        DecodeResult rb = decoder.decode(b);
        assertFalse(ra.isRefused(), () -> "original refused: " + ra.refusal());
        assertFalse(rb.isRefused(), () -> "stripped refused: " + rb.refusal());
        try (DecodedPhoto pa = ra.photo(); DecodedPhoto pb = rb.photo(); MatScope scope = new MatScope()) {
            assertEquals(pa.width(), pb.width(), "upright width");
            assertEquals(pa.height(), pb.height(), "upright height");
            assertEquals(pa.greyscale(), pb.greyscale(), "greyscale flag");
            assertEquals(pa.validMask().isPresent(), pb.validMask().isPresent(), "valid mask");
            Mat diff = scope.mat();
            Core.absdiff(pa.bgr(), pb.bgr(), diff);
            long n = Core.countNonZero(scope.track(diff.reshape(1)));
            if (pa.validMask().isPresent()) {
                Mat maskDiff = scope.mat();
                Core.absdiff(pa.validMask().get(), pb.validMask().get(), maskDiff);
                n += Core.countNonZero(maskDiff);
            }
            return n;
        }
    }

    /** DC-coefficient means over the whole stored frame and three rectangles are exactly equal (or both absent). */
    private static void assertSameBlockMeans(byte[] original, byte[] stripped) {
        ImageHeader h;
        try {
            h = HeaderReader.read(original);
        } catch (RefusalException e) {
            throw new AssertionError(e.getMessage());
        }
        int w = h.storedWidth();
        int ht = h.storedHeight();
        int[][] rects = {{0, 0, w, ht}, {16, 16, w / 2, ht / 2}, {w / 3, ht / 4, w - 8, ht - 24}, {w / 2 - 40, ht / 2 - 40, w / 2 + 40, ht / 2 + 40}};
        for (int[] r : rects) {
            Optional<double[]> a = JpegBlockMeans.meanRgb(original, r[0], r[1], r[2], r[3]);
            Optional<double[]> b = JpegBlockMeans.meanRgb(stripped, r[0], r[1], r[2], r[3]);
            assertEquals(a.isPresent(), b.isPresent(), "block means present in both or neither, " + Arrays.toString(r));
            a.ifPresent(x -> assertArrayEquals(x, b.get(), 0.0, "block means over " + Arrays.toString(r)));
        }
    }

    private static void assertRemovedNames(MetadataStripper.Stripped s, String... fragments) {
        for (String f : fragments) {
            assertTrue(s.removed().stream().anyMatch(r -> r.contains(f)), "'" + f + "' missing from " + s.removed());
        }
    }

    /** {marker, offset of its 0xFF, segment length} for each marker segment up to and including the first SOS. */
    private static List<int[]> segmentsBeforeScan(byte[] d) {
        List<int[]> out = new ArrayList<>();
        int pos = 2;
        while (pos + 4 <= d.length) {
            if ((d[pos] & 0xff) != 0xFF) {
                fail("no marker at " + pos);
            }
            int marker = d[pos + 1] & 0xff;
            int len = (d[pos + 2] & 0xff) << 8 | d[pos + 3] & 0xff;
            out.add(new int[] {marker, pos, len});
            if (marker == 0xDA) {
                return out;
            }
            pos += 2 + len;
        }
        return fail("no scan");
    }

    /**
     * The bytes from the first SOS marker to the end of the first EOI after it: scans, the tables between
     * them and restarts (entropy-coded data cannot hold 0xFF 0xD9, and the tables here do not).
     */
    private static byte[] fromFirstScan(byte[] d) {
        List<int[]> segs = segmentsBeforeScan(d);
        int sos = segs.get(segs.size() - 1)[1];
        for (int i = sos; i + 1 < d.length; i++) {
            if ((d[i] & 0xff) == 0xFF && (d[i + 1] & 0xff) == 0xD9) {
                return Arrays.copyOfRange(d, sos, i + 2);
            }
        }
        return fail("no EOI");
    }

    private static List<String> pngChunks(byte[] d) {
        List<String> out = new ArrayList<>();
        int pos = 8;
        while (pos + 12 <= d.length) {
            int len = (int) be32(d, pos);
            String type = new String(d, pos + 4, 4, StandardCharsets.ISO_8859_1);
            out.add(type);
            pos += 12 + len;
            if (type.equals("IEND")) {
                break;
            }
        }
        return out;
    }

    private static void assertValidCrcs(byte[] d) {
        int pos = 8;
        while (pos + 12 <= d.length) {
            int len = (int) be32(d, pos);
            CRC32 crc = new CRC32();
            crc.update(d, pos + 4, 4 + len);
            assertEquals(crc.getValue(), be32(d, pos + 8 + len), "CRC of chunk at " + pos);
            pos += 12 + len;
        }
        assertEquals(d.length, pos, "the file ends with the last chunk");
    }

    /** The decompressed profile of the iCCP chunk. */
    private static byte[] iccpProfile(byte[] png) {
        int pos = 8;
        while (pos + 12 <= png.length) {
            int len = (int) be32(png, pos);
            if (new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1).equals("iCCP")) {
                int nul = pos + 8;
                while (png[nul] != 0) {
                    nul++;
                }
                assertEquals(0, png[nul + 1], "compression method");
                try (InflaterInputStream in = new InflaterInputStream(new java.io.ByteArrayInputStream(png, nul + 2, pos + 8 + len - nul - 2))) {
                    return in.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
            pos += 12 + len;
        }
        return fail("no iCCP chunk");
    }

    private static List<String> riffChunks(byte[] d) {
        List<String> out = new ArrayList<>();
        int pos = 12;
        while (pos + 8 <= d.length) {
            out.add(new String(d, pos, 4, StandardCharsets.ISO_8859_1));
            int size = (int) le32(d, pos + 4);
            pos += 8 + size + (size & 1);
        }
        assertEquals(d.length, pos, "chunks fill the RIFF exactly");
        return out;
    }

    private static List<String> distinct(List<String> l) {
        return l.stream().distinct().toList();
    }

    private static int count(byte[] d, byte[] pattern) {
        int n = 0;
        for (int i = indexOf(d, pattern, 0); i >= 0; i = indexOf(d, pattern, i + 1)) {
            n++;
        }
        return n;
    }

    private static int indexOf(byte[] d, byte[] pattern) {
        return indexOf(d, pattern, 0);
    }

    private static int indexOf(byte[] d, byte[] pattern, int from) {
        outer:
        for (int i = from; i + pattern.length <= d.length; i++) {
            for (int k = 0; k < pattern.length; k++) {
                if (d[i + k] != pattern[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long be32(byte[] d, int at) {
        return (d[at] & 0xffL) << 24 | (d[at + 1] & 0xff) << 16 | (d[at + 2] & 0xff) << 8 | d[at + 3] & 0xff;
    }

    private static long le32(byte[] d, int at) {
        return (d[at] & 0xff) | (d[at + 1] & 0xff) << 8 | (d[at + 2] & 0xff) << 16 | (d[at + 3] & 0xffL) << 24;
    }

    private static int le24(byte[] d, int at) {
        return (d[at] & 0xff) | (d[at + 1] & 0xff) << 8 | (d[at + 2] & 0xff) << 16;
    }

    private static String hex(List<Integer> markers) {
        StringBuilder sb = new StringBuilder();
        markers.forEach(m -> sb.append(Integer.toHexString(m)).append(' '));
        return sb.toString();
    }
}
