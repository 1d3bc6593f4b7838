package org.dermatrend.decode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import org.dermatrend.cv.MatScope;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The TIFF part of {@link MetadataStripper}. TIFF keeps its metadata in the same directory as the
 * tags that lay out the pixels (and libtiff reads many tags that change them: photometric, predictor,
 * YCbCr subsampling, JPEG tables, colour map, extra samples, fill order), so rather than rewrite a
 * TIFF that must decode to the same pixels through every such path, the pixels OpenCV decodes are
 * re-encoded losslessly as PNG.
 *
 * <p>Lossless by construction: the PNG holds exactly the {@code Mat} that {@link PhotoDecoder} gets
 * from {@code imdecode(IMREAD_UNCHANGED)}, turned upright by the same rule, at its own depth (8 or 16
 * bits, so a 16-bit TIFF stays 16-bit) and channel count (1 grey, 3 colour, 4 colour and alpha; OpenCV
 * reads grey with alpha as grey alone). Decoding the PNG then gives the same {@code Mat}, hence the same
 * 8-bit pixels and valid mask, with orientation 1. What can differ is the header: a palette TIFF
 * (one sample per pixel, which the header calls grey) becomes a colour PNG, its real content.
 */
final class TiffStripper {
    private static final ImageFormat F = ImageFormat.TIFF;
    private static final int MAX_ENTRIES = 4096;
    private static final int TAG_ICC_PROFILE = 34675;
    /** Metadata tags named in the removal list when present; every tag is removed all the same. */
    private static final Map<Integer, String> NAMED = Map.ofEntries(
            Map.entry(269, "DocumentName"), Map.entry(270, "ImageDescription"), Map.entry(271, "Make"), Map.entry(272, "Model"),
            Map.entry(285, "PageName"), Map.entry(305, "Software"), Map.entry(306, "DateTime"), Map.entry(315, "Artist"),
            Map.entry(316, "HostComputer"), Map.entry(700, "XMP"), Map.entry(33432, "Copyright"), Map.entry(33723, "IPTC"),
            Map.entry(34377, "Photoshop"), Map.entry(34665, "Exif IFD"), Map.entry(34853, "GPS IFD"),
            Map.entry(37510, "UserComment"), Map.entry(42016, "ImageUniqueID"), Map.entry(42033, "BodySerialNumber"),
            Map.entry(50706, "DNGVersion"), Map.entry(50708, "UniqueCameraModel"));

    private TiffStripper() {
    }

    static byte[] toPng(byte[] d, ImageHeader header, List<String> removed) {
        byte[] png;
        try (MatScope scope = new MatScope()) {
            MatOfByte buffer = scope.track(new MatOfByte(d));
            Mat raw = scope.track(Imgcodecs.imdecode(buffer, Imgcodecs.IMREAD_UNCHANGED));
            // The rule of PhotoDecoder.decodePixels: OpenCV's TIFF reader turns the pixels upright itself,
            // except when it returns them unswapped although the tag swaps the axes; then we turn them.
            int orientation = header.orientation();
            boolean swappedByDecoder = header.swapsAxes() && raw.cols() == header.storedHeight() && raw.rows() == header.storedWidth();
            if (swappedByDecoder || !header.swapsAxes()) {
                orientation = 1;
            }
            boolean sizeOk = orientation == 1
                    ? raw.cols() == header.uprightWidth() && raw.rows() == header.uprightHeight()
                    : raw.cols() == header.storedWidth() && raw.rows() == header.storedHeight();
            if (raw.empty() || !sizeOk) {
                throw MetadataStripper.damaged(F, "its image data cannot be decoded");
            }
            int depth = raw.depth();
            int channels = raw.channels();
            if (depth != CvType.CV_8U && depth != CvType.CV_16U || channels != 1 && channels != 3 && channels != 4) {
                throw MetadataStripper.damaged(F, "it decodes to OpenCV type " + CvType.typeToString(raw.type())
                        + ", which has no lossless PNG form (expected 8- or 16-bit grey, colour or colour with alpha)");
            }
            Mat upright = scope.track(Orientation.toUpright(raw, orientation));
            MatOfByte encoded = scope.track(new MatOfByte());
            // Run-length deflate after libpng's adaptive row filters: on 12 megapixels of noisy 8-bit colour, 17 % smaller
            // than OpenCV's default (one row filter, level 1) in twice its time; level 6 with the default strategy took
            // 5 times as long for 12 % less (3.6 s, 1.8 s and 18 s measured on a busy 2-core machine).
            MatOfInt params = scope.track(new MatOfInt(Imgcodecs.IMWRITE_PNG_COMPRESSION, 1,
                    Imgcodecs.IMWRITE_PNG_STRATEGY, Imgcodecs.IMWRITE_PNG_STRATEGY_RLE));
            if (!Imgcodecs.imencode(".png", upright, encoded, params)) {
                throw new IllegalStateException("OpenCV could not encode a " + CvType.typeToString(upright.type()) + " image as PNG");
            }
            png = encoded.toArray();
        }
        ByteReader r = new ByteReader(d);
        boolean little = r.u8(0) == 'I';
        long ifd = r.u32(4, little);
        int entries = r.u16(ifd, little);
        if (entries > MAX_ENTRIES || !r.has(ifd + 2, 12L * entries)) {
            throw MetadataStripper.damaged(F, "its first directory runs past the end of the file");
        }
        byte[] icc = null;
        for (int i = 0; i < entries; i++) {
            long e = ifd + 2 + 12L * i;
            int tag = r.u16(e, little);
            if (NAMED.containsKey(tag)) {
                removed.add("TIFF tag " + NAMED.get(tag) + " (" + tag + ")");
            }
            if (tag == TAG_ICC_PROFILE) {
                icc = iccProfile(r, e, little, png, removed);
            }
        }
        long nextIfd = ifd + 2 + 12L * entries;
        if (r.has(nextIfd, 4) && r.u32(nextIfd, little) != 0) {
            removed.add("further TIFF directories (pages or thumbnails)");
        }
        removed.add("TIFF container with " + entries + " tags, " + d.length + " bytes (the pixels were re-encoded losslessly as PNG)");
        if (icc != null) {
            png = withIccp(png, icc);
        }
        // Whatever the encoder wrote besides the image chunks goes too, so stripping the PNG again changes nothing.
        return PngStripper.strip(png, 1, new ArrayList<>());
    }

    /**
     * The ICC profile of tag 34675 (BYTE or UNDEFINED values), or {@code null} when it is damaged or its
     * colour space does not match the PNG's colour type (which a PNG reader would reject anyway).
     */
    private static byte[] iccProfile(ByteReader r, long e, boolean little, byte[] png, List<String> removed) {
        int type = r.u16(e + 2, little);
        long count = r.u32(e + 4, little);
        long at = count <= 4 ? e + 8 : r.u32(e + 8, little);
        if (type != 1 && type != 7 || count < 132 || count > Integer.MAX_VALUE || !r.has(at, count)) {
            removed.add("TIFF ICC profile (damaged: type " + type + ", " + count + " bytes)");
            return null;
        }
        byte[] profile = new byte[(int) count];
        System.arraycopy(r.array(), (int) at, profile, 0, profile.length);
        int colourType = png[25];
        String space = new String(profile, 16, 4, StandardCharsets.ISO_8859_1);
        boolean grey = colourType == 0 || colourType == 4;
        if (!(grey ? space.equals("GRAY") : space.equals("RGB "))) {
            removed.add("TIFF ICC profile for colour space '" + space.replaceAll("[^\\x20-\\x7e]", "?") + "', which does not fit a "
                    + (grey ? "grey" : "colour") + " PNG, " + count + " bytes");
            return null;
        }
        return profile;
    }

    /** The PNG with an iCCP chunk ("ICC profile", deflate-compressed profile) right after IHDR. */
    private static byte[] withIccp(byte[] png, byte[] profile) {
        ByteArrayOutputStream data = new ByteArrayOutputStream(profile.length / 2 + 32);
        data.writeBytes("ICC profile".getBytes(StandardCharsets.ISO_8859_1));
        data.write(0); // end of the name
        data.write(0); // compression method 0: zlib deflate
        try (DeflaterOutputStream z = new DeflaterOutputStream(data)) {
            z.write(profile);
        } catch (IOException e) {
            throw new IllegalStateException("compressing in memory cannot fail", e);
        }
        int afterHeader = 8 + 25;
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + data.size() + 12);
        out.write(png, 0, afterHeader);
        out.writeBytes(PngStripper.chunk("iCCP", data.toByteArray()));
        out.write(png, afterHeader, png.length - afterHeader);
        return out.toByteArray();
    }
}
