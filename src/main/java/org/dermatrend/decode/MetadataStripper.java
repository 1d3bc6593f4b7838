package org.dermatrend.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Removes the metadata of a photo (GPS position, camera make, model and serial number, times, XMP,
 * IPTC, comments, thumbnails) so that a patient photo can be stored as a medical record without them,
 * while the pixels that {@link PhotoDecoder} decodes stay exactly the same: the upright BGR pixels,
 * the valid mask, and the upright width and height of the stripped file equal the original's, bit
 * for bit, and the stripped file passes {@link PhotoDecoder#inspect} as the original did (but for
 * the byte limit, which a TIFF's PNG can exceed: see {@link #strip}).
 *
 * <p>The one piece of metadata that decides pixels, the EXIF orientation (tag 0x0112, read by
 * {@link HeaderReader} exactly as the decoder reads it), is written back as a minimal block holding
 * that tag alone (a little-endian TIFF header and one IFD0 entry, 26 bytes), and no block at all
 * when the orientation is 1.
 *
 * <p>What each format keeps; everything else is removed:
 * <table>
 * <caption>kept per format</caption>
 * <tr><th>format</th><th>kept</th><th>removed (examples)</th></tr>
 * <tr><td>JPEG</td>
 *     <td>SOI, the first APP0 JFIF header (without its thumbnail), an orientation-only APP1 Exif,
 *     APP2 ICC_PROFILE (every part), APP14 Adobe (it tells the decoder the colour transform: dropping it
 *     can change pixels), and every non-APP marker in its original order and bytes: DQT, DHT, DRI, SOFn,
 *     SOS with its entropy-coded data byte for byte (no re-encoding), RSTn, DNL, EOI</td>
 *     <td>APP1 (Exif with its GPS IFD and thumbnail, XMP, extended XMP), APP0 JFXX thumbnails, APP2 other
 *     than ICC (MPF, FlashPix), APP3–APP13 (IPTC/Photoshop APP13), APP15, COM, and any data after EOI
 *     (appended images or videos)</td></tr>
 * <tr><td>PNG</td>
 *     <td>IHDR, an orientation-only eXIf right after it, PLTE, IDAT, IEND, tRNS, gAMA, cHRM, sRGB,
 *     iCCP, sBIT, and any unknown critical chunk, each copied with its CRC</td>
 *     <td>tEXt, zTXt, iTXt (XMP), tIME, eXIf, pHYs, bKGD and every other ancillary chunk (APNG frames
 *     too: the decoder reads only the default image), and any data after IEND</td></tr>
 * <tr><td>WebP</td>
 *     <td>VP8X (its EXIF and XMP flags corrected), ICCP, ANIM, ANMF, ALPH, VP8, VP8L, and an
 *     orientation-only EXIF chunk last; the RIFF size is recomputed. A simple-format file (no VP8X)
 *     that needs the EXIF chunk gets a VP8X header with the canvas size and alpha flag of its
 *     bitstream</td>
 *     <td>EXIF, XMP and every unknown chunk, and any data after the RIFF size</td></tr>
 * <tr><td>TIFF</td>
 *     <td>the pixels only, <b>re-encoded losslessly as PNG</b> ({@link Stripped#format()} is then
 *     {@code PNG}): OpenCV's TIFF reader output turned upright as {@link PhotoDecoder} does, at its own
 *     depth (16-bit samples stay 16-bit), channel count and alpha, so the PNG decodes to the same pixels;
 *     the TIFF's ICC profile (tag 34675) becomes an iCCP chunk when it matches the PNG's colour
 *     type</td>
 *     <td>every TIFF tag (Make, Model, DateTime, Artist, the Exif and GPS IFDs, XMP, IPTC, Photoshop),
 *     further directories (pages, thumbnails)</td></tr>
 * </table>
 *
 * <p>Colour profiles are kept on purpose: they say what the stored colour values mean, which a
 * redness measurement needs. A photo's profile is a standard or device profile: its text is a
 * description and copyright (such as "sRGB IEC61966-2.1", or a phone maker's display profile name)
 * and its date the profile's creation date, not the photo's; nothing about the patient, the place or
 * the time the photo was taken. The JFIF header keeps its pixel density (dots per inch, or an aspect
 * ratio).
 *
 * <p>Pure and thread-safe: no state, no I/O. JPEG, PNG and WebP are rewritten from their container
 * structure alone; TIFF decodes pixels with OpenCV, so its natives must be loaded
 * ({@code OpenCvNatives.load()}), as for {@link PhotoDecoder#decode(byte[])}. Meant for bytes that
 * {@link PhotoDecoder#inspect} accepted (which checks the pixel limit before a TIFF is decoded here).
 * Stripping is idempotent: stripping the result again gives the same bytes.
 */
public final class MetadataStripper {
    private MetadataStripper() {
    }

    /**
     * The stripped photo. A record compares arrays by identity: compare {@code bytes} with
     * {@link Arrays#equals(byte[], byte[])}.
     *
     * @param bytes       the stripped file, a new array owned by the caller
     * @param format      the format of {@code bytes}: the original's, except {@code PNG} for a TIFF
     * @param orientation the EXIF orientation (1..8) written in {@code bytes}: the original's, or 1 when
     *                    none is written (orientation 1, or a TIFF whose pixels were turned upright)
     * @param removed     what was removed, one short description each (kind and size in bytes, such as
     *                    {@code "APP1 Exif segment, 12345 bytes"}), for logs: never the metadata's content
     */
    public record Stripped(byte[] bytes, ImageFormat format, int orientation, List<String> removed) {
        public Stripped {
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(format, "format");
            removed = List.copyOf(removed);
        }
    }

    /**
     * Returns the photo without its metadata (see the class comment for what is kept per format).
     *
     * <p>JPEG, PNG and WebP never grow by more than 60 bytes (the orientation block, and for a simple
     * WebP the VP8X header it needs), and take milliseconds. A TIFF's PNG can be larger than the TIFF
     * (one that was JPEG-compressed, or 16-bit noise), even larger than {@link ConfigIntake#maxBytes()},
     * and takes seconds for a large photo (5 to 7 s for 12 megapixels, 8- or 16-bit, measured on a
     * busy 2-core machine): check the stripped size against the limit before storing it.
     *
     * @param bytes a JPEG, PNG, WebP or TIFF file that {@link PhotoDecoder#inspect} accepts; not modified
     * @return the stripped file, its format, the orientation it carries and what was removed
     * @throws IllegalArgumentException when the bytes are not a photo intake accepts or their structure
     *                                  is damaged; the message says what was wrong
     */
    public static Stripped strip(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        ImageHeader header;
        try {
            header = HeaderReader.read(bytes);
        } catch (RefusalException e) {
            throw new IllegalArgumentException("Cannot remove the metadata of a photo that intake refuses: " + e.getMessage(), e);
        }
        List<String> removed = new ArrayList<>();
        int orientation = header.orientation();
        try {
            switch (header.format()) {
                case JPEG:
                    return new Stripped(JpegStripper.strip(bytes, orientation, removed), ImageFormat.JPEG, orientation, removed);
                case PNG:
                    return new Stripped(PngStripper.strip(bytes, orientation, removed), ImageFormat.PNG, orientation, removed);
                case WEBP:
                    return new Stripped(WebpStripper.strip(bytes, header, removed), ImageFormat.WEBP, orientation, removed);
                default:
                    return new Stripped(TiffStripper.toPng(bytes, header, removed), ImageFormat.PNG, 1, removed);
            }
        } catch (IndexOutOfBoundsException e) {
            throw damaged(header.format(), "a structure runs past the end of the file (" + e.getMessage() + ")");
        }
    }

    /** The exception for a file whose structure is damaged in a way the header walk did not catch. */
    static IllegalArgumentException damaged(ImageFormat format, String what) {
        return new IllegalArgumentException("Cannot remove the metadata of the " + format.label() + " file: " + what + ".");
    }

    /**
     * Whether {@code length} bytes of {@code d} from {@code from} are exactly the block
     * {@link #orientationOnlyExif} writes for {@code orientation}: a block the stripper wrote before, which
     * it replaces by the same bytes and does not report as removed.
     */
    static boolean isOrientationOnlyExif(byte[] d, long from, long length, int orientation) {
        if (orientation == 1 || length != 26) {
            return false;
        }
        byte[] block = orientationOnlyExif(orientation);
        return Arrays.equals(d, (int) from, (int) from + 26, block, 0, 26);
    }

    /**
     * A TIFF-structured EXIF block holding only the orientation tag: "II", 42, IFD0 at offset 8 with one
     * SHORT entry 0x0112, no next IFD. 26 bytes; {@link ExifOrientation#read} reads it back.
     */
    static byte[] orientationOnlyExif(int orientation) {
        if (orientation < 2 || orientation > 8) {
            throw new IllegalArgumentException("an orientation-only EXIF block is written for orientations 2..8, not " + orientation);
        }
        return new byte[] {
            'I', 'I', 42, 0, 8, 0, 0, 0, // TIFF header, little-endian, IFD0 at 8
            1, 0, // one entry
            0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0, // 0x0112 SHORT x1 = orientation
            0, 0, 0, 0, // no next IFD
        };
    }
}
