package org.dermatrend.decode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The PNG part of {@link MetadataStripper}: copies the critical and colour chunks, each with its CRC,
 * up to IEND, and writes an orientation-only eXIf right after IHDR when the orientation is not 1.
 */
final class PngStripper {
    private static final ImageFormat F = ImageFormat.PNG;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    /** Ancillary chunks that say how to read the samples; every other ancillary chunk is removed. */
    private static final Set<String> COLOUR = Set.of("tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT");

    private PngStripper() {
    }

    static byte[] strip(byte[] d, int orientation, List<String> removed) {
        ByteReader r = new ByteReader(d);
        ByteArrayOutputStream out = new ByteArrayOutputStream(d.length + 40);
        out.writeBytes(SIGNATURE);
        boolean headerSeen = false;
        long pos = SIGNATURE.length;
        while (true) {
            if (!r.has(pos, 12)) {
                throw MetadataStripper.damaged(F, "chunk at byte " + pos + " runs past the end of the file");
            }
            long len = r.u32(pos, false);
            if (len > Integer.MAX_VALUE - 12 || !r.has(pos, 12 + len)) {
                throw MetadataStripper.damaged(F, "chunk length " + len + " at byte " + pos + " runs past the end of the file");
            }
            String type = new String(d, (int) pos + 4, 4, StandardCharsets.ISO_8859_1);
            int total = 12 + (int) len;
            if (type.equals("IHDR") && !headerSeen) {
                headerSeen = true;
                out.write(d, (int) pos, total);
                if (orientation != 1) {
                    out.writeBytes(chunk("eXIf", MetadataStripper.orientationOnlyExif(orientation)));
                }
            } else if (keeps(type)) {
                out.write(d, (int) pos, total);
            } else if (!(type.equals("eXIf") && MetadataStripper.isOrientationOnlyExif(d, pos + 8, len, orientation))) {
                removed.add(printable(type) + " chunk, " + total + " bytes");
            }
            pos += total;
            if (type.equals("IEND")) {
                break;
            }
        }
        if (pos < d.length) {
            removed.add("data after the IEND chunk, " + (d.length - pos) + " bytes");
        }
        return out.toByteArray();
    }

    /** Critical chunks (first letter upper case: IHDR, PLTE, IDAT, IEND and any other) and the colour chunks. */
    private static boolean keeps(String type) {
        return (type.charAt(0) & 0x20) == 0 || COLOUR.contains(type);
    }

    /** A complete chunk: length, type, data and CRC-32 over type and data. */
    static byte[] chunk(String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[12 + data.length];
        putU32(out, 0, data.length);
        System.arraycopy(t, 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(out, 4, 4 + data.length);
        putU32(out, 8 + data.length, crc.getValue());
        return out;
    }

    private static void putU32(byte[] b, int at, long v) {
        b[at] = (byte) (v >> 24);
        b[at + 1] = (byte) (v >> 16);
        b[at + 2] = (byte) (v >> 8);
        b[at + 3] = (byte) v;
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
