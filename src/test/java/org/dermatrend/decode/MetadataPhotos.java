package org.dermatrend.decode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Photo files carrying the metadata a camera or phone writes (EXIF with GPS and Exif IFDs and a
 * thumbnail, XMP, IPTC, comments, text chunks), built byte by byte for {@link MetadataStripperTest}.
 * Each planted value is one of {@link #PLANTED}, so a test can check that none survives.
 */
final class MetadataPhotos {
    static final String GPS = "GPS-PLANTED-51.5074N";
    static final String SERIAL = "SN-123456789";
    static final String MAKE = "Canon-PLANTED";
    static final String ARTIST = "Dr. Jane Roe";
    static final String TIME = "2026:11:30 10:11:12";
    static final String XMP = "XMP-PLANTED-PatientName";
    static final String COMMENT = "COM-PLANTED patient Jane Doe 1970-01-01";
    static final String IPTC = "IPTC-PLANTED-caption";
    static final String TEXT = "TEXT-PLANTED chart 4711";
    static final String TRAILER = "TRAILER-PLANTED";
    static final String THUMB = "JFIFTHUMB-PLANTED!"; // 18 bytes: a 6 x 1 RGB JFIF thumbnail
    /** Every planted value, and markers of whole metadata kinds. */
    static final List<String> PLANTED = List.of(GPS, SERIAL, MAKE, ARTIST, TIME, XMP, COMMENT, IPTC, TEXT, TRAILER, THUMB,
            "http://ns.adobe.com/xap/1.0/", "<x:xmpmeta", "Photoshop 3.0", "8BIM");

    private MetadataPhotos() {
    }

    // ------------------------------------------------------------ TIFF structures

    /** One TIFF directory: entries (written sorted by tag), sub-directories, blobs and a next directory. */
    static final class Ifd {
        private final List<Entry> entries = new ArrayList<>();
        Ifd next;

        Ifd ascii(int tag, String s) {
            byte[] b = (s + "\0").getBytes(StandardCharsets.ISO_8859_1);
            entries.add(new Entry(tag, 2, b.length, b, null, null));
            return this;
        }

        Ifd shorts(int tag, int... v) {
            entries.add(new Entry(tag, 3, v.length, null, v, null));
            return this;
        }

        Ifd longs(int tag, int... v) {
            entries.add(new Entry(tag, 4, v.length, null, v, null));
            return this;
        }

        /** RATIONAL values as numerator, denominator pairs. */
        Ifd rationals(int tag, int... numDen) {
            entries.add(new Entry(tag, 5, numDen.length / 2, null, numDen, null));
            return this;
        }

        Ifd bytes(int tag, int type, byte[] b) {
            entries.add(new Entry(tag, type, b.length, b, null, null));
            return this;
        }

        /** A LONG entry holding the offset of {@code child}, written elsewhere in the block. */
        Ifd sub(int tag, Ifd child) {
            entries.add(new Entry(tag, 4, 1, null, null, child));
            return this;
        }

        /** An offset tag pointing at {@code data} and a length tag giving its size (strips, JPEG thumbnails). */
        Ifd blob(int offsetTag, int lengthTag, byte[] data) {
            entries.add(new Entry(offsetTag, 4, 1, data, null, null));
            entries.add(new Entry(lengthTag, 4, 1, null, new int[] {data.length}, null));
            return this;
        }
    }

    /** type 2/1/7 with {@code raw}; 3/4/5 with {@code values}; a blob is type 4 with {@code raw} and count 1. */
    private record Entry(int tag, int type, int count, byte[] raw, int[] values, Ifd child) {
        boolean isBlob() {
            return type == 4 && raw != null;
        }

        int size() {
            switch (type) {
                case 3: return 2 * count;
                case 4: return 4 * count;
                case 5: return 8 * count;
                default: return count;
            }
        }
    }

    /** A whole TIFF-structured block ("II*\0" or "MM\0*") with {@code ifd0} at offset 8. */
    static byte[] tiffBlock(Ifd ifd0, boolean little) {
        ByteBuffer b = ByteBuffer.allocate(16 << 20).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        b.put((byte) (little ? 'I' : 'M')).put((byte) (little ? 'I' : 'M')).putShort((short) 42).putInt(8);
        writeIfd(b, ifd0);
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    private static int writeIfd(ByteBuffer b, Ifd ifd) {
        List<Entry> sorted = new ArrayList<>(ifd.entries);
        sorted.sort(Comparator.comparingInt(Entry::tag));
        int at = b.position();
        int n = sorted.size();
        b.position(at + 2 + 12 * n + 4);
        int[] pointers = new int[n];
        for (int i = 0; i < n; i++) {
            Entry e = sorted.get(i);
            if (e.child() != null) {
                pointers[i] = writeIfd(b, e.child());
            } else if (e.isBlob()) {
                pointers[i] = b.position();
                b.put(e.raw());
            } else if (e.size() > 4) {
                pointers[i] = b.position();
                putValues(b, e);
            }
            if ((b.position() & 1) != 0) {
                b.put((byte) 0);
            }
        }
        int next = ifd.next == null ? 0 : writeIfd(b, ifd.next);
        int end = b.position();
        b.position(at);
        b.putShort((short) n);
        for (int i = 0; i < n; i++) {
            Entry e = sorted.get(i);
            b.putShort((short) e.tag()).putShort((short) e.type()).putInt(e.count());
            if (e.child() != null || e.isBlob() || e.size() > 4) {
                b.putInt(pointers[i]);
            } else {
                int start = b.position();
                putValues(b, e);
                while (b.position() < start + 4) {
                    b.put((byte) 0);
                }
            }
        }
        b.putInt(next);
        b.position(end);
        return at;
    }

    private static void putValues(ByteBuffer b, Entry e) {
        if (e.raw() != null) {
            b.put(e.raw());
            return;
        }
        for (int v : e.values()) {
            if (e.type() == 3) {
                b.putShort((short) v);
            } else {
                b.putInt(v);
            }
        }
    }

    /**
     * A camera's EXIF block: IFD0 with Make, Model, Orientation, DateTime, Artist; an Exif IFD with
     * DateTimeOriginal, BodySerialNumber and a UserComment; a GPS IFD with latitude, longitude and a
     * processing method; IFD1 with a JPEG thumbnail.
     */
    static byte[] cameraExif(int orientation, boolean little, byte[] thumbnailJpeg) {
        Ifd exif = new Ifd().ascii(0x9003, TIME).ascii(0xA431, SERIAL)
                .bytes(0x9286, 7, ("ASCII\0\0\0" + TEXT).getBytes(StandardCharsets.ISO_8859_1));
        Ifd gps = new Ifd().bytes(0x0000, 1, new byte[] {2, 3, 0, 0}).ascii(0x0001, "N").rationals(0x0002, 51, 1, 30, 1, 2664, 100)
                .ascii(0x0003, "W").rationals(0x0004, 0, 1, 7, 1, 3960, 100)
                .bytes(0x001B, 7, ("ASCII\0\0\0" + GPS).getBytes(StandardCharsets.ISO_8859_1));
        Ifd ifd1 = new Ifd().shorts(0x0103, 6).blob(0x0201, 0x0202, thumbnailJpeg);
        Ifd ifd0 = new Ifd().ascii(0x010F, MAKE).ascii(0x0110, "EOS R5").shorts(0x0112, orientation).ascii(0x0132, TIME)
                .ascii(0x013B, ARTIST).sub(0x8769, exif).sub(0x8825, gps);
        ifd0.next = ifd1;
        return tiffBlock(ifd0, little);
    }

    /** A small JPEG that stands for a camera's thumbnail (it has its own SOI). */
    static byte[] thumbnailJpeg() {
        Mat m = new Mat(120, 160, CvType.CV_8UC3, new Scalar(40, 90, 200));
        byte[] jpeg = TestPhotos.encode(".jpg", m, Imgcodecs.IMWRITE_JPEG_QUALITY, 70);
        m.release();
        return jpeg;
    }

    static byte[] xmpPacket() {
        return ("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                + "<rdf:Description xmlns:dc=\"http://purl.org/dc/elements/1.1/\" dc:creator=\"" + XMP + "\"/>"
                + "</rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>").getBytes(StandardCharsets.UTF_8);
    }

    /** A Photoshop image resource block (8BIM 0x0404) holding one IPTC caption (2:120). */
    static byte[] photoshopIptc() {
        byte[] caption = IPTC.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer iptc = ByteBuffer.allocate(5 + caption.length + 1);
        iptc.put((byte) 0x1C).put((byte) 2).put((byte) 120).putShort((short) caption.length).put(caption);
        int iptcLen = 5 + caption.length;
        ByteBuffer b = ByteBuffer.allocate(14 + 12 + iptcLen + 1);
        b.put("Photoshop 3.0\0".getBytes(StandardCharsets.ISO_8859_1));
        b.put("8BIM".getBytes(StandardCharsets.ISO_8859_1)).putShort((short) 0x0404).putShort((short) 0).putInt(iptcLen);
        b.put(iptc.array(), 0, iptcLen);
        return java.util.Arrays.copyOf(b.array(), b.position() + (iptcLen & 1));
    }

    /** The JDK's own ICC profile for the colour space "RGB " (sRGB) or "GRAY" (linear grey), a few kilobytes with tags. */
    static byte[] iccProfile(String space) {
        int cs = space.equals("GRAY") ? java.awt.color.ColorSpace.CS_GRAY : java.awt.color.ColorSpace.CS_sRGB;
        byte[] profile = java.awt.color.ICC_Profile.getInstance(cs).getData();
        if (!new String(profile, 16, 4, StandardCharsets.ISO_8859_1).equals(space)) {
            throw new IllegalStateException("the JDK's profile is not for " + space);
        }
        return profile;
    }

    // ------------------------------------------------------------ JPEG

    static byte[] segment(int marker, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(marker);
        out.write(payload.length + 2 >> 8);
        out.write(payload.length + 2 & 0xff);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** APP14 Adobe: version 100, no flags, the given colour transform (0 RGB or CMYK, 1 YCbCr). */
    static byte[] adobeApp14(int transform) {
        return segment(0xEE, concat(ascii("Adobe"), new byte[] {0, 100, 0, 0, 0, 0, (byte) transform}));
    }

    /** The length of the encoder's leading APP0 JFIF segment (marker included), 0 when it has none. */
    static int jfifLength(byte[] jpeg) {
        if ((jpeg[3] & 0xff) != 0xE0) {
            return 0;
        }
        return 2 + ((jpeg[4] & 0xff) << 8 | jpeg[5] & 0xff);
    }

    /**
     * An encoder's JPEG dressed as a camera's: JFIF with a thumbnail, EXIF (GPS, serial, thumbnail,
     * {@code orientation}), XMP, an ICC profile, MPF, IPTC, Adobe, a comment, and a trailer after EOI.
     */
    static byte[] cameraJpeg(byte[] encoded, int orientation) {
        int jfif = jfifLength(encoded);
        byte[] jfifWithThumb = concat(ascii("JFIF\0"), new byte[] {1, 2, 0, 0, 1, 0, 1, 6, 1}, ascii(THUMB));
        byte[] tables = java.util.Arrays.copyOfRange(encoded, 2 + jfif, encoded.length);
        return concat(new byte[] {(byte) 0xFF, (byte) 0xD8},
                segment(0xE0, jfifWithThumb),
                segment(0xE1, concat(ascii("Exif\0\0"), cameraExif(orientation, false, thumbnailJpeg()))),
                segment(0xE1, concat(ascii("http://ns.adobe.com/xap/1.0/\0"), xmpPacket())),
                segment(0xE2, concat(ascii("ICC_PROFILE\0"), new byte[] {1, 1}, iccProfile("RGB "))),
                segment(0xE2, concat(ascii("MPF\0"), ascii("MM\0*\0\0\0\b" + TRAILER))),
                segment(0xED, photoshopIptc()),
                adobeApp14(1),
                segment(0xFE, ascii(COMMENT)),
                tables,
                ascii(TRAILER), thumbnailJpeg());
    }

    // ------------------------------------------------------------ PNG

    static byte[] deflate(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * An encoder's PNG with a camera's EXIF in eXIf, text chunks (tEXt, zTXt, iTXt XMP) before and
     * after the image data, tIME, pHYs, the colour chunks gAMA, cHRM and iCCP, and a trailer after IEND.
     */
    static byte[] cameraPng(byte[] encoded, int orientation) {
        int afterHeader = 8 + 25;
        int iend = encoded.length - 12;
        return concat(java.util.Arrays.copyOf(encoded, afterHeader),
                TestPhotos.pngChunk("tEXt", ascii("Author\0" + ARTIST)),
                TestPhotos.pngChunk("gAMA", new byte[] {0, 0, (byte) 0xB1, (byte) 0x8F}),
                TestPhotos.pngChunk("cHRM", cHRM()),
                TestPhotos.pngChunk("iCCP", concat(ascii("ICC profile\0\0"), deflate(iccProfile(encoded[25] == 0 ? "GRAY" : "RGB ")))),
                TestPhotos.pngChunk("eXIf", cameraExif(orientation, true, thumbnailJpeg())),
                TestPhotos.pngChunk("iTXt", concat(ascii("XML:com.adobe.xmp\0\0\0\0\0"), xmpPacket())),
                TestPhotos.pngChunk("zTXt", concat(ascii("Description\0\0"), deflate(ascii(GPS + " " + SERIAL)))),
                TestPhotos.pngChunk("pHYs", new byte[] {0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1}),
                java.util.Arrays.copyOfRange(encoded, afterHeader, iend),
                TestPhotos.pngChunk("tIME", new byte[] {0x07, (byte) 0xEA, 11, 30, 10, 11, 12}),
                TestPhotos.pngChunk("tEXt", ascii("Comment\0" + TEXT + " " + GPS)),
                java.util.Arrays.copyOfRange(encoded, iend, encoded.length),
                ascii(TRAILER));
    }

    private static byte[] cHRM() {
        ByteBuffer b = ByteBuffer.allocate(32);
        for (int v : new int[] {31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000}) {
            b.putInt(v);
        }
        return b.array();
    }

    // ------------------------------------------------------------ WebP

    static byte[] riffChunk(String fourcc, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + data.length + (data.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii(fourcc)).putInt(data.length).put(data);
        return b.array();
    }

    static byte[] riff(byte[]... chunks) {
        byte[] body = concat(chunks);
        ByteBuffer b = ByteBuffer.allocate(12 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(4 + body.length).put(ascii("WEBP")).put(body);
        return b.array();
    }

    static byte[] vp8x(int flags, int width, int height) {
        return riffChunk("VP8X", new byte[] {(byte) flags, 0, 0, 0, (byte) (width - 1), (byte) (width - 1 >> 8), (byte) (width - 1 >> 16),
            (byte) (height - 1), (byte) (height - 1 >> 8), (byte) (height - 1 >> 16)});
    }

    /**
     * An encoder's simple WebP (one VP8 or VP8L chunk) in the extended format with an ICC profile,
     * a camera's EXIF, XMP, an unknown chunk, and a trailer after the RIFF end.
     */
    static byte[] cameraWebp(byte[] encoded, int width, int height, boolean alpha, int orientation) {
        byte[] bitstream = java.util.Arrays.copyOfRange(encoded, 12, encoded.length);
        byte[] exif = cameraExif(orientation, true, thumbnailJpeg());
        return concat(riff(vp8x(0x20 | 0x08 | 0x04 | (alpha ? 0x10 : 0), width, height),
                riffChunk("ICCP", iccProfile("RGB ")),
                bitstream,
                riffChunk("EXIF", exif),
                riffChunk("XMP ", xmpPacket()),
                riffChunk("ZZZZ", ascii(COMMENT + "!"))),
                ascii(TRAILER));
    }

    // ------------------------------------------------------------ TIFF

    /**
     * An uncompressed little-endian TIFF as a scanner or camera writes it: image tags plus Make, Model,
     * DateTime, Artist, ImageDescription, XMP, IPTC, an Exif IFD with the serial, a GPS IFD, an ICC
     * profile ({@code icc}, or none) and a second directory with a thumbnail. {@code data} holds the
     * samples interleaved in R, G, B(, A) or grey(, A) order, 16-bit samples little-endian.
     */
    static byte[] cameraTiff(int width, int height, int channels, int bits, byte[] data, int orientation, byte[] icc) {
        int[] bitsPerSample = new int[channels];
        java.util.Arrays.fill(bitsPerSample, bits);
        Ifd ifd0 = new Ifd().longs(256, width).longs(257, height).shorts(258, bitsPerSample).shorts(259, 1)
                .shorts(262, channels >= 3 ? 2 : 1).blob(273, 279, data).shorts(274, orientation).shorts(277, channels)
                .longs(278, height).shorts(284, 1)
                .ascii(270, "Lesion, left cheek; " + GPS).ascii(271, MAKE).ascii(272, "EOS R5").ascii(305, "Firmware 1.0")
                .ascii(306, TIME).ascii(315, ARTIST).bytes(700, 1, xmpPacket()).bytes(33723, 7, java.util.Arrays.copyOfRange(photoshopIptc(), 26, photoshopIptc().length))
                .sub(34665, new Ifd().ascii(0xA431, SERIAL).ascii(0x9003, TIME))
                .sub(34853, new Ifd().ascii(0x0001, "N").rationals(0x0002, 51, 1, 30, 1, 2664, 100)
                        .bytes(0x001B, 7, ("ASCII\0\0\0" + GPS).getBytes(StandardCharsets.ISO_8859_1)));
        if (channels == 2 || channels == 4) {
            ifd0.shorts(338, 2);
        }
        if (icc != null) {
            ifd0.bytes(34675, 7, icc);
        }
        byte[] thumb = new byte[8 * 8 * 3];
        java.util.Arrays.fill(thumb, (byte) 0x55);
        ifd0.next = new Ifd().longs(254, 1).longs(256, 8).longs(257, 8).shorts(258, 8, 8, 8).shorts(259, 1).shorts(262, 2)
                .blob(273, 279, thumb).shorts(277, 3).longs(278, 8).ascii(305, TRAILER);
        return tiffBlock(ifd0, true);
    }

    /** Interleaved samples of a Mat for {@link #cameraTiff}: BGR(A) to RGB(A), 16-bit little-endian. */
    static byte[] tiffSamples(Mat m) {
        int channels = m.channels();
        int n = (int) m.total() * channels;
        if (m.depth() == CvType.CV_8U) {
            byte[] px = new byte[n];
            m.get(0, 0, px);
            swapRedBlue(px, channels);
            return px;
        }
        short[] px = new short[n];
        m.get(0, 0, px);
        ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i += channels) {
            for (int c = 0; c < channels; c++) {
                int from = channels >= 3 && c < 3 ? i + 2 - c : i + c;
                b.putShort(px[from]);
            }
        }
        return b.array();
    }

    private static void swapRedBlue(byte[] px, int channels) {
        if (channels < 3) {
            return;
        }
        for (int i = 0; i < px.length; i += channels) {
            byte t = px[i];
            px[i] = px[i + 2];
            px[i + 2] = t;
        }
    }
}
