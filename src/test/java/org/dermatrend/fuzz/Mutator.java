package org.dermatrend.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

/**
 * A seeded mutator of valid image files: bit flips, byte runs overwritten, truncation, duplicated or
 * deleted spans, huge declared sizes in JPEG/PNG headers, a self-referencing EXIF block, and a
 * foreign format's magic. The same seed gives the same input, so a failure is replayed from its seed.
 */
public final class Mutator {
    private final Random rng;

    Mutator(long seed) {
        rng = new Random(seed);
    }

    /** What was done, for the failure message. */
    public record Mutation(byte[] bytes, String description) {
    }

    Mutation mutate(byte[] valid) {
        int kind = rng.nextInt(10);
        byte[] b = valid.clone();
        switch (kind) {
            case 0 -> {
                int flips = 1 + rng.nextInt(16);
                for (int i = 0; i < flips; i++) {
                    int at = rng.nextInt(b.length);
                    b[at] ^= (byte) (1 << rng.nextInt(8));
                }
                return new Mutation(b, flips + " bit flips");
            }
            case 1 -> {
                int at = rng.nextInt(Math.min(b.length, 4096));
                int len = 1 + rng.nextInt(64);
                byte v = (byte) (rng.nextBoolean() ? 0xFF : rng.nextInt(256));
                Arrays.fill(b, at, Math.min(b.length, at + len), v);
                return new Mutation(b, len + " header bytes at " + at + " set to " + (v & 0xFF));
            }
            case 2 -> {
                int len = rng.nextInt(b.length);
                return new Mutation(Arrays.copyOf(b, len), "truncated to " + len + " bytes");
            }
            case 3 -> {
                int from = rng.nextInt(b.length);
                int len = Math.min(b.length - from, 1 + rng.nextInt(2048));
                int to = rng.nextInt(b.length);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(b, 0, to);
                out.write(b, from, len);
                out.write(b, to, b.length - to);
                return new Mutation(out.toByteArray(), len + " bytes from " + from + " duplicated at " + to);
            }
            case 4 -> {
                int from = rng.nextInt(b.length);
                int len = Math.min(b.length - from, 1 + rng.nextInt(4096));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(b, 0, from);
                out.write(b, from + len, b.length - from - len);
                return new Mutation(out.toByteArray(), len + " bytes deleted at " + from);
            }
            case 5 -> {
                return new Mutation(hugeDimensions(b), "huge declared dimensions");
            }
            case 6 -> {
                return new Mutation(nestedExif(b), "self-referencing EXIF IFD");
            }
            case 7 -> {
                byte[][] magics = {{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
                    {'I', 'I', 42, 0}, {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'}, {'G', 'I', 'F', '8', '9', 'a'}};
                byte[] m = magics[rng.nextInt(magics.length)];
                System.arraycopy(m, 0, b, 0, Math.min(m.length, b.length));
                return new Mutation(b, "magic replaced by another format's");
            }
            case 8 -> {
                byte[] noise = new byte[rng.nextInt(200_000)];
                rng.nextBytes(noise);
                return new Mutation(noise, noise.length + " random bytes");
            }
            default -> {
                int cuts = 1 + rng.nextInt(4);
                for (int i = 0; i < cuts; i++) {
                    int at = rng.nextInt(b.length);
                    b[at] = (byte) rng.nextInt(256);
                }
                return new Mutation(Arrays.copyOf(b, Math.max(1, b.length - rng.nextInt(Math.max(1, b.length / 3)))),
                        cuts + " bytes changed and the end cut");
            }
        }
    }

    /** The first JPEG SOF or PNG IHDR declares 65 535 × 65 535 (the PNG CRC is recomputed so only the size is wrong). */
    private byte[] hugeDimensions(byte[] b) {
        if (b.length > 24 && (b[0] & 0xFF) == 0x89 && b[1] == 'P') {
            ByteBuffer.wrap(b, 16, 8).putInt(0x7FFFFFF0 - rng.nextInt(1000)).putInt(0xFFFF);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(b, 12, 17);
            ByteBuffer.wrap(b, 29, 4).putInt((int) crc.getValue());
            return b;
        }
        for (int i = 2; i + 9 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) >= 0xC0 && (b[i + 1] & 0xFF) <= 0xC2) {
                b[i + 5] = (byte) 0xFF;
                b[i + 6] = (byte) 0xFF;
                b[i + 7] = (byte) 0xFF;
                b[i + 8] = (byte) 0xFF;
                return b;
            }
        }
        return b;
    }

    /** A JPEG with an APP1 EXIF whose IFD0 points at itself as its next IFD and as an Exif sub-IFD. */
    private byte[] nestedExif(byte[] b) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return b;
        }
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) (1 + rng.nextInt(12))).putShort((short) 0);
        tiff.putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(8);
        tiff.putInt(8);
        byte[] payload = new byte[6 + tiff.capacity()];
        System.arraycopy("Exif\0\0".getBytes(), 0, payload, 0, 6);
        System.arraycopy(tiff.array(), 0, payload, 6, tiff.capacity());
        return Jpegs.withSegment(b, 0xE1, payload);
    }
}
