package org.dermatrend.fuzz;

import java.io.ByteArrayOutputStream;

/** Test helpers that splice marker segments into a JPEG right after its SOI. */
public final class Jpegs {
    private Jpegs() {
    }

    /**
     * The JPEG with a segment {@code FF marker} holding {@code payload} inserted after SOI (APP1 is
     * 0xE1, COM 0xFE).
     */
    public static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(marker);
        int len = payload.length + 2;
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.writeBytes(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
