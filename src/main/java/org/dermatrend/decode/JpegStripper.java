package org.dermatrend.decode;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The JPEG part of {@link MetadataStripper}: a walk of the marker segments, the same walk as
 * {@link HeaderReader}'s, that copies the segments the decoder needs and drops the rest. Scan data is
 * copied byte for byte, from the end of each SOS header to the next marker that is not a restart.
 *
 * <p>Output order: SOI, the first JFIF APP0 (thumbnail removed), an orientation-only APP1 Exif when
 * the orientation is not 1, then every other kept segment in its original order, ending with EOI.
 */
final class JpegStripper {
    private static final ImageFormat F = ImageFormat.JPEG;
    /** JFIF APP0 up to and including the thumbnail size: "JFIF\0", version 2, units 1, density 4, thumbnail 2. */
    private static final int JFIF_HEADER = 14;

    private JpegStripper() {
    }

    static byte[] strip(byte[] d, int orientation, List<String> removed) {
        ByteReader r = new ByteReader(d);
        ByteArrayOutputStream rest = new ByteArrayOutputStream(d.length);
        byte[] jfif = null;
        long pos = 2;
        while (true) {
            if (r.u8(pos) != 0xFF) {
                throw MetadataStripper.damaged(F, "expected a marker at byte " + pos);
            }
            while (r.u8(pos) == 0xFF) {
                pos++;
            }
            int marker = r.u8(pos++);
            if (marker == 0xD9) {
                rest.write(0xFF);
                rest.write(0xD9);
                break;
            }
            if (marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
                rest.write(0xFF);
                rest.write(marker);
                continue;
            }
            if (marker == 0xD8 || marker == 0x00) {
                throw MetadataStripper.damaged(F, "unexpected marker 0x" + Integer.toHexString(marker) + " at byte " + (pos - 1));
            }
            int len = r.u16(pos, false);
            if (len < 2 || !r.has(pos, len)) {
                throw MetadataStripper.damaged(F, "segment length " + len + " at byte " + pos + " runs past the end of the file");
            }
            long seg = pos + 2;
            int segLen = len - 2;
            if (marker == 0xE0 && jfif == null && segLen >= JFIF_HEADER && r.ascii(seg, "JFIF\0")) {
                jfif = jfifWithoutThumbnail(d, (int) seg);
                if (segLen > JFIF_HEADER) {
                    removed.add("APP0 JFIF thumbnail, " + (segLen - JFIF_HEADER) + " bytes");
                }
            } else if (keeps(marker, r, seg)) {
                rest.write(0xFF);
                rest.write(marker);
                rest.write(d, (int) pos, len);
            } else if (!(marker == 0xE1 && r.ascii(seg, "Exif\0\0")
                    && MetadataStripper.isOrientationOnlyExif(d, seg + 6, segLen - 6, orientation))) {
                removed.add(name(marker, r, seg) + ", " + (len + 2) + " bytes");
            }
            pos += len;
            if (marker == 0xDA) {
                long end = HeaderReader.skipEntropyCoded(r, pos);
                rest.write(d, (int) pos, (int) (end - pos));
                pos = end;
            }
        }
        if (pos < d.length) {
            removed.add("data after the end-of-image marker (appended images, videos or trailers), " + (d.length - pos) + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(rest.size() + 64);
        out.write(0xFF);
        out.write(0xD8);
        if (jfif != null) {
            segment(out, 0xE0, jfif);
        }
        if (orientation != 1) {
            byte[] tiff = MetadataStripper.orientationOnlyExif(orientation);
            byte[] app1 = new byte[6 + tiff.length];
            System.arraycopy(new byte[] {'E', 'x', 'i', 'f', 0, 0}, 0, app1, 0, 6);
            System.arraycopy(tiff, 0, app1, 6, tiff.length);
            segment(out, 0xE1, app1);
        }
        out.writeBytes(rest.toByteArray());
        return out.toByteArray();
    }

    /**
     * Whether a segment that is not the JFIF header stays: every marker that is not APPn or COM (tables,
     * frame, scan, restart interval, ...), APP2 ICC_PROFILE and APP14 Adobe.
     */
    private static boolean keeps(int marker, ByteReader r, long seg) {
        if (marker == 0xFE) {
            return false;
        }
        if (marker < 0xE0 || marker > 0xEF) {
            return true;
        }
        return marker == 0xE2 && r.ascii(seg, "ICC_PROFILE\0") || marker == 0xEE && r.ascii(seg, "Adobe");
    }

    /** The JFIF APP0 payload with the thumbnail size set to 0 x 0 and no thumbnail pixels. */
    private static byte[] jfifWithoutThumbnail(byte[] d, int seg) {
        byte[] out = new byte[JFIF_HEADER];
        System.arraycopy(d, seg, out, 0, JFIF_HEADER - 2);
        return out;
    }

    private static void segment(ByteArrayOutputStream out, int marker, byte[] payload) {
        int len = payload.length + 2;
        out.write(0xFF);
        out.write(marker);
        out.write(len >> 8);
        out.write(len & 0xff);
        out.writeBytes(payload);
    }

    /** A log-safe name for a removed segment: its marker and, for well-known identifiers, what it holds. */
    private static String name(int marker, ByteReader r, long seg) {
        if (marker == 0xFE) {
            return "COM comment segment";
        }
        String app = "APP" + (marker - 0xE0);
        String[][] known = {
            {"Exif\0", "Exif"}, {"http://ns.adobe.com/xap/1.0/\0", "XMP"}, {"http://ns.adobe.com/xmp/extension/\0", "extended XMP"},
            {"Photoshop 3.0\0", "Photoshop/IPTC"}, {"MPF\0", "MPF (further images)"}, {"FPXR\0", "FlashPix"},
            {"JFXX\0", "JFIF extension (thumbnail)"}, {"JFIF\0", "JFIF (a second one)"}, {"Ducky", "Ducky"},
        };
        for (String[] k : known) {
            if (r.ascii(seg, k[0])) {
                return app + " " + k[1] + " segment";
            }
        }
        return app + " segment";
    }
}
