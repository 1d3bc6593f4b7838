package org.dermatrend.decode;

/**
 * Reads the orientation tag (0x0112) from a TIFF-structured EXIF block. Damaged EXIF never refuses a
 * photo: the answer is then 1 (as stored), the same as a photo without EXIF.
 */
final class ExifOrientation {
    private static final int TAG_ORIENTATION = 0x0112;
    private static final int MAX_ENTRIES = 4096;

    private ExifOrientation() {
    }

    /**
     * @param data   the bytes holding the block
     * @param start  offset of the TIFF header ("II*\0" or "MM\0*") inside {@code data}
     * @param length bytes available from {@code start}
     * @return orientation 1..8
     */
    static int read(byte[] data, int start, int length) {
        if (start < 0 || length < 8 || (long) start + length > data.length) {
            return 1;
        }
        ByteReader r = new ByteReader(data, start, length);
        try {
            boolean little;
            if (r.u8(0) == 'I' && r.u8(1) == 'I') {
                little = true;
            } else if (r.u8(0) == 'M' && r.u8(1) == 'M') {
                little = false;
            } else {
                return 1;
            }
            if (r.u16(2, little) != 42) {
                return 1;
            }
            long ifd = r.u32(4, little);
            int entries = r.u16((int) ifd, little);
            if (entries > MAX_ENTRIES) {
                return 1;
            }
            for (int i = 0; i < entries; i++) {
                int e = (int) ifd + 2 + 12 * i;
                if (r.u16(e, little) == TAG_ORIENTATION) {
                    int value = r.u16(e + 8, little);
                    return value >= 1 && value <= 8 ? value : 1;
                }
            }
        } catch (IndexOutOfBoundsException e) {
            return 1;
        }
        return 1;
    }
}
