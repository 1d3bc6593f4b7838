package org.dermatrend.decode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Builds photo files byte by byte for intake tests: EXIF orientation in each container, a minimal
 * TIFF writer, and hostile files (bombs, truncations).
 */
public final class TestPhotos {
    private TestPhotos() {
    }

    /**
     * An upright test picture, 640×520 (not square, so a wrong axis swap changes its shape): a black
     * arrow pointing up in the middle and a red square in the top-right corner (catches mirroring).
     */
    static Mat arrow() {
        Mat m = new Mat(520, 640, CvType.CV_8UC3, new Scalar(235, 235, 235));
        MatOfPoint head = new MatOfPoint(new Point(320, 60), new Point(230, 200), new Point(410, 200));
        Imgproc.fillPoly(m, java.util.List.of(head), new Scalar(20, 20, 20));
        Imgproc.rectangle(m, new Point(295, 200), new Point(345, 440), new Scalar(20, 20, 20), -1);
        Imgproc.rectangle(m, new Point(560, 20), new Point(620, 80), new Scalar(30, 30, 220), -1);
        head.release();
        return m;
    }

    public static byte[] encode(String ext, Mat m, int... params) {
        MatOfByte buf = new MatOfByte();
        MatOfInt p = new MatOfInt(params);
        try {
            if (!Imgcodecs.imencode(ext, m, buf, p)) {
                throw new IllegalStateException("encode failed " + ext);
            }
            return buf.toArray();
        } finally {
            buf.release();
            p.release();
        }
    }

    /** A little-endian TIFF block holding only the orientation tag. */
    static byte[] exifTiff(int orientation) {
        ByteBuffer b = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) 1);
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    public static byte[] jpegWithOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = exifTiff(orientation);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE1);
        int len = 2 + 6 + tiff.length;
        out.write(len >> 8);
        out.write(len & 0xff);
        out.writeBytes("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    static byte[] pngChunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        b.put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Inserts an eXIf chunk right after IHDR (8 + 25 bytes into the file). */
    static byte[] pngWithOrientation(byte[] png, int orientation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        out.writeBytes(pngChunk("eXIf", exifTiff(orientation)));
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    /** Wraps a simple WebP (VP8 or VP8L chunk) in the extended format with an EXIF chunk. */
    static byte[] webpWithOrientation(byte[] webp, int width, int height, int orientation) {
        byte[] exif = exifTiff(orientation);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes("VP8X".getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(le32(10));
        body.writeBytes(new byte[] {0x08, 0, 0, 0});
        body.writeBytes(le24(width - 1));
        body.writeBytes(le24(height - 1));
        body.write(webp, 12, webp.length - 12);
        body.writeBytes("EXIF".getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(le32(exif.length));
        body.writeBytes(exif);
        byte[] b = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(le32(b.length));
        out.writeBytes(b);
        return out.toByteArray();
    }

    /**
     * A baseline uncompressed little-endian TIFF. {@code samples} are interleaved in R, G, B(, A)
     * order (or grey), {@code bits} 8 or 16; {@code data} holds them (16-bit little-endian).
     */
    static byte[] tiff(int width, int height, int channels, int bits, byte[] data, int orientation) {
        int entries = channels == 4 ? 12 : 11;
        int ifd = 8;
        int ifdSize = 2 + 12 * entries + 4;
        int bitsOffset = ifd + ifdSize;
        int dataOffset = bitsOffset + 2 * channels;
        ByteBuffer b = ByteBuffer.allocate(dataOffset + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        b.putShort((short) entries);
        entry(b, 256, 4, 1, width);
        entry(b, 257, 4, 1, height);
        if (channels <= 2) {
            b.putShort((short) 258).putShort((short) 3).putInt(channels).putShort((short) bits)
                    .putShort((short) (channels == 2 ? bits : 0));
        } else {
            entry(b, 258, 3, channels, bitsOffset);
        }
        entry(b, 259, 3, 1, 1);
        entry(b, 262, 3, 1, channels >= 3 ? 2 : 1);
        entry(b, 273, 4, 1, dataOffset);
        entry(b, 274, 3, 1, orientation);
        entry(b, 277, 3, 1, channels);
        entry(b, 278, 4, 1, height);
        entry(b, 279, 4, 1, data.length);
        entry(b, 284, 3, 1, 1);
        if (channels == 4) {
            entry(b, 338, 3, 1, 2);
        }
        b.putInt(0);
        for (int c = 0; c < channels; c++) {
            b.putShort((short) bits);
        }
        b.put(data);
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3 && count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }

    /** 8-bit interleaved RGB of a BGR Mat, for {@link #tiff}. */
    static byte[] rgbBytes(Mat bgr) {
        byte[] px = new byte[(int) bgr.total() * 3];
        bgr.get(0, 0, px);
        for (int i = 0; i < px.length; i += 3) {
            byte t = px[i];
            px[i] = px[i + 2];
            px[i + 2] = t;
        }
        return px;
    }

    /**
     * A decompression bomb: a valid 1-bit greyscale PNG of {@code side}×{@code side} zero pixels,
     * about 110 KB on disk for 30000×30000 (900 megapixels once decoded).
     */
    static byte[] pngBomb(int side) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(side).putInt(side).put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        out.writeBytes(pngChunk("IHDR", ihdr.array()));
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] row = new byte[1 + (side + 7) / 8];
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        for (int y = 0; y < side; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                int n = deflater.deflate(buf);
                idat.write(buf, 0, n);
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            int n = deflater.deflate(buf);
            idat.write(buf, 0, n);
        }
        deflater.end();
        out.writeBytes(pngChunk("IDAT", idat.toByteArray()));
        out.writeBytes(pngChunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    private static byte[] le24(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16)};
    }
}
