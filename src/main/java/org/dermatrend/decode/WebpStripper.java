package org.dermatrend.decode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The WebP part of {@link MetadataStripper}: walks the RIFF chunks as {@link HeaderReader} does, keeps
 * the image chunks, corrects the VP8X flags, appends an orientation-only EXIF chunk when the
 * orientation is not 1, and writes a new RIFF size. Every chunk is written with its pad byte (0).
 */
final class WebpStripper {
    private static final ImageFormat F = ImageFormat.WEBP;
    private static final Set<String> KEPT = Set.of("ICCP", "ANIM", "ANMF", "ALPH", "VP8 ", "VP8L");
    private static final int FLAG_ALPHA = 0x10;
    private static final int FLAG_EXIF = 0x08;
    private static final int FLAG_XMP = 0x04;
    private static final int VP8X_SIZE = 10;

    private WebpStripper() {
    }

    static byte[] strip(byte[] d, ImageHeader header, List<String> removed) {
        ByteReader r = new ByteReader(d);
        long riffEnd = 8 + r.u32(4, true);
        if (riffEnd > d.length) {
            throw MetadataStripper.damaged(F, "the RIFF size says " + riffEnd + " bytes, the file has " + d.length);
        }
        int orientation = header.orientation();
        int exifFlag = orientation != 1 ? FLAG_EXIF : 0;
        ByteArrayOutputStream chunks = new ByteArrayOutputStream(d.length);
        boolean extended = false;
        long pos = 12;
        while (pos + 8 <= riffEnd) {
            long size = r.u32(pos + 4, true);
            long data = pos + 8;
            if (data + size > riffEnd) {
                throw MetadataStripper.damaged(F, "chunk at byte " + pos + " of " + size + " bytes runs past the RIFF end");
            }
            String fourcc = new String(d, (int) pos, 4, StandardCharsets.ISO_8859_1);
            if (fourcc.equals("VP8X")) {
                if (size < VP8X_SIZE) {
                    throw MetadataStripper.damaged(F, "VP8X chunk of " + size + " bytes, shorter than its 10");
                }
                extended = true;
                byte[] vp8x = new byte[(int) size];
                System.arraycopy(d, (int) data, vp8x, 0, (int) size);
                vp8x[0] = (byte) (vp8x[0] & ~(FLAG_EXIF | FLAG_XMP) | exifFlag);
                chunk(chunks, fourcc, vp8x);
            } else if (KEPT.contains(fourcc)) {
                chunk(chunks, fourcc, d, (int) data, (int) size);
            } else if (!(fourcc.equals("EXIF") && MetadataStripper.isOrientationOnlyExif(d, data, size, orientation))) {
                removed.add(fourcc.replaceAll("[^\\x20-\\x7e]", "?").trim() + " chunk, " + (8 + size + (size & 1)) + " bytes");
            }
            pos = data + size + (size & 1);
        }
        if (pos < riffEnd) {
            removed.add("a partial chunk header at the RIFF end, " + (riffEnd - pos) + " bytes");
        }
        if (riffEnd < d.length) {
            removed.add("data after the RIFF end, " + (d.length - riffEnd) + " bytes");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(chunks.size() + 64);
        body.writeBytes("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        if (orientation != 1 && !extended) {
            // A simple-format file carries no flags: the EXIF chunk needs the extended header to be valid.
            byte[] vp8x = new byte[VP8X_SIZE];
            vp8x[0] = (byte) (FLAG_EXIF | (header.channels() == 4 ? FLAG_ALPHA : 0));
            putU24le(vp8x, 4, header.storedWidth() - 1);
            putU24le(vp8x, 7, header.storedHeight() - 1);
            chunk(body, "VP8X", vp8x);
        }
        body.writeBytes(chunks.toByteArray());
        if (orientation != 1) {
            chunk(body, "EXIF", MetadataStripper.orientationOnlyExif(orientation));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 8);
        out.writeBytes("RIFF".getBytes(StandardCharsets.ISO_8859_1));
        byte[] size = new byte[4];
        putU32le(size, body.size());
        out.writeBytes(size);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String fourcc, byte[] data) {
        chunk(out, fourcc, data, 0, data.length);
    }

    private static void chunk(ByteArrayOutputStream out, String fourcc, byte[] d, int from, int size) {
        out.writeBytes(fourcc.getBytes(StandardCharsets.ISO_8859_1));
        byte[] le = new byte[4];
        putU32le(le, size);
        out.writeBytes(le);
        out.write(d, from, size);
        if ((size & 1) != 0) {
            out.write(0);
        }
    }

    private static void putU32le(byte[] b, long v) {
        b[0] = (byte) v;
        b[1] = (byte) (v >> 8);
        b[2] = (byte) (v >> 16);
        b[3] = (byte) (v >> 24);
    }

    private static void putU24le(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
    }
}
