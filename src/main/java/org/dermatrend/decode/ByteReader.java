package org.dermatrend.decode;

/**
 * Bounds-checked reads of unsigned integers from a window of a byte array. Every read outside the
 * window throws {@link IndexOutOfBoundsException}, which parsers turn into "truncated" or "damaged".
 */
final class ByteReader {
    private final byte[] data;
    private final int start;
    private final int length;

    ByteReader(byte[] data, int start, int length) {
        this.data = data;
        this.start = start;
        this.length = length;
    }

    ByteReader(byte[] data) {
        this(data, 0, data.length);
    }

    /** The whole underlying array (the window starts at offset 0 for the readers made by {@link HeaderReader}). */
    byte[] array() {
        return data;
    }

    int length() {
        return length;
    }

    int u8(long pos) {
        if (pos < 0 || pos >= length) {
            throw new IndexOutOfBoundsException("offset " + pos + " outside " + length + " bytes");
        }
        return data[start + (int) pos] & 0xff;
    }

    int u16(long pos, boolean little) {
        int a = u8(pos);
        int b = u8(pos + 1);
        return little ? a | b << 8 : a << 8 | b;
    }

    int u24le(long pos) {
        return u8(pos) | u8(pos + 1) << 8 | u8(pos + 2) << 16;
    }

    long u32(long pos, boolean little) {
        long a = u16(pos, little);
        long b = u16(pos + 2, little);
        return little ? a | b << 16 : a << 16 | b;
    }

    /** True when {@code count} bytes from {@code pos} lie inside the window. */
    boolean has(long pos, long count) {
        return pos >= 0 && count >= 0 && pos + count <= length;
    }

    /** Whether the 4 bytes at {@code pos} spell {@code ascii}. */
    boolean ascii(long pos, String ascii) {
        if (!has(pos, ascii.length())) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (u8(pos + i) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
