package org.dermatrend.decode;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Recognises a photo's format from its first bytes and walks its container structure without
 * decoding pixels: dimensions, sample depth, channels, EXIF orientation, and whether the file is
 * complete. The walk is what catches a truncated JPEG, which OpenCV's decoder would otherwise fill
 * with grey and return as if nothing had happened.
 *
 * <p>Every loop advances through the data and every read is bounds-checked, so hostile input ends
 * in a {@link RefusalException}, never a hang or an unchecked exception.
 */
final class HeaderReader {
    private static final int MAX_TIFF_ENTRIES = 4096;

    private HeaderReader() {
    }

    /** The format the bytes start with, or {@code null} when they are none of ours. */
    static ImageFormat sniff(byte[] d) {
        ByteReader r = new ByteReader(d);
        if (r.has(0, 3) && r.u8(0) == 0xFF && r.u8(1) == 0xD8 && r.u8(2) == 0xFF) {
            return ImageFormat.JPEG;
        }
        if (r.has(0, 8) && r.u8(0) == 0x89 && r.ascii(1, "PNG") && r.u8(4) == 0x0D && r.u8(5) == 0x0A
                && r.u8(6) == 0x1A && r.u8(7) == 0x0A) {
            return ImageFormat.PNG;
        }
        if (r.has(0, 4) && (r.ascii(0, "II") && r.u8(2) == 42 && r.u8(3) == 0
                || r.ascii(0, "MM") && r.u8(2) == 0 && r.u8(3) == 42)) {
            return ImageFormat.TIFF;
        }
        if (r.ascii(0, "RIFF") && r.ascii(8, "WEBP")) {
            return ImageFormat.WEBP;
        }
        return null;
    }

    /** A short description of bytes that are not a supported image, for the refusal message. */
    static String describeUnknown(byte[] d) {
        ByteReader r = new ByteReader(d);
        if (r.ascii(0, "GIF8")) {
            return "a GIF image";
        }
        if (r.ascii(0, "BM")) {
            return "a BMP image";
        }
        if (r.ascii(4, "ftyp")) {
            return "a HEIF/HEIC or MP4 file";
        }
        if (r.ascii(0, "%PDF")) {
            return "a PDF document";
        }
        if (r.ascii(0, "PK")) {
            return "a ZIP archive";
        }
        if (r.has(0, 4) && (r.ascii(0, "II") && r.u8(2) == 43 || r.ascii(0, "MM") && r.u8(3) == 43)) {
            return "a BigTIFF file";
        }
        int n = Math.min(d.length, 64);
        int printable = 0;
        for (int i = 0; i < n; i++) {
            int c = d[i] & 0xff;
            if (c == '\n' || c == '\r' || c == '\t' || c >= 0x20 && c < 0x7f || c >= 0x80) {
                printable++;
            }
        }
        if (n > 0 && printable == n) {
            return "text, not an image";
        }
        return "not an image we recognise";
    }

    /**
     * Parses the header and checks the structure of the whole file.
     *
     * @throws RefusalException {@code unsupported_format} or {@code corrupt_image} with a message
     */
    static ImageHeader read(byte[] d) throws RefusalException {
        ImageFormat format = sniff(d);
        if (format == null) {
            throw new RefusalException(RefusalCode.UNSUPPORTED_FORMAT,
                    "The file is " + describeUnknown(d) + ". Upload a JPEG, PNG, TIFF or WebP photo.");
        }
        try {
            switch (format) {
                case JPEG:
                    return readJpeg(new ByteReader(d));
                case PNG:
                    return readPng(d, new ByteReader(d));
                case TIFF:
                    return readTiff(new ByteReader(d));
                default:
                    return readWebp(new ByteReader(d));
            }
        } catch (IndexOutOfBoundsException e) {
            throw RefusalException.truncated(format);
        }
    }

    // ---------------------------------------------------------------- JPEG

    private static ImageHeader readJpeg(ByteReader r) throws RefusalException {
        ImageFormat f = ImageFormat.JPEG;
        long pos = 2;
        int width = -1;
        int height = -1;
        int precision = 0;
        int components = 0;
        int orientation = 1;
        boolean exifSeen = false;
        while (true) {
            if (r.u8(pos) != 0xFF) {
                throw RefusalException.corrupt(f, "expected a marker at byte " + pos);
            }
            while (r.u8(pos) == 0xFF) {
                pos++;
            }
            int marker = r.u8(pos++);
            if (marker == 0xD9) {
                break;
            }
            if (marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
                continue;
            }
            if (marker == 0xD8 || marker == 0x00) {
                throw RefusalException.corrupt(f, "unexpected marker 0x" + Integer.toHexString(marker) + " at byte " + (pos - 1));
            }
            int len = r.u16(pos, false);
            if (len < 2) {
                throw RefusalException.corrupt(f, "segment length " + len + " at byte " + pos);
            }
            if (!r.has(pos, len)) {
                throw RefusalException.truncated(f);
            }
            long seg = pos + 2;
            int segLen = len - 2;
            if (marker == 0xE1 && !exifSeen && segLen > 6 && r.ascii(seg, "Exif") && r.u8(seg + 4) == 0 && r.u8(seg + 5) == 0) {
                exifSeen = true;
                orientation = ExifOrientation.read(dataOf(r), (int) seg + 6, segLen - 6);
            }
            if (isStartOfFrame(marker)) {
                if (segLen < 6) {
                    throw RefusalException.corrupt(f, "frame header too short");
                }
                precision = r.u8(seg);
                height = r.u16(seg + 1, false);
                width = r.u16(seg + 3, false);
                components = r.u8(seg + 5);
                if (marker == 0xC3 || marker == 0xC7 || marker == 0xCB || marker == 0xCF) {
                    throw new RefusalException(RefusalCode.UNSUPPORTED_FORMAT,
                            "The JPEG uses lossless coding, which photos from cameras and phones do not. Save it as PNG or TIFF instead.");
                }
            }
            pos += len;
            if (marker == 0xDA) {
                if (width < 0) {
                    throw RefusalException.corrupt(f, "image data starts before the frame header");
                }
                pos = skipEntropyCoded(r, pos);
            }
        }
        if (width < 0) {
            throw RefusalException.corrupt(f, "no frame header (SOF) before the end marker");
        }
        if (width == 0 || height == 0) {
            throw new RefusalException(RefusalCode.UNSUPPORTED_FORMAT,
                    "The JPEG does not state its size in the frame header (DNL variant). Re-save it with an ordinary JPEG encoder.");
        }
        if (precision != 8) {
            throw new RefusalException(RefusalCode.UNSUPPORTED_FORMAT,
                    "The JPEG has " + precision + "-bit samples; only 8-bit JPEG is supported. Save 16-bit photos as PNG or TIFF.");
        }
        if (components == 4) {
            throw new RefusalException(RefusalCode.UNSUPPORTED_FORMAT,
                    "The JPEG is in CMYK (print) colour, whose colours cannot be measured without its print profile. "
                            + "Export the photo as an sRGB JPEG or PNG.");
        }
        if (components != 1 && components != 3) {
            throw new RefusalException(RefusalCode.UNSUPPORTED_FORMAT,
                    "The JPEG has " + components + " colour components; only greyscale (1) and colour (3) are supported.");
        }
        return new ImageHeader(f, width, height, 8, components, orientation);
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /**
     * Skips entropy-coded scan data (stuffed bytes and restart markers included); returns the position of the
     * 0xFF that starts the next marker. Fill bytes before that marker are part of the data skipped.
     */
    static long skipEntropyCoded(ByteReader r, long pos) {
        while (true) {
            if (r.u8(pos) != 0xFF) {
                pos++;
                continue;
            }
            int next = r.u8(pos + 1);
            if (next == 0x00 || next >= 0xD0 && next <= 0xD7) {
                pos += 2;
            } else if (next == 0xFF) {
                pos++;
            } else {
                return pos;
            }
        }
    }

    // ---------------------------------------------------------------- PNG

    private static ImageHeader readPng(byte[] d, ByteReader r) throws RefusalException {
        ImageFormat f = ImageFormat.PNG;
        long pos = 8;
        int width = -1;
        int height = -1;
        int bitDepth = 0;
        int channels = 0;
        int orientation = 1;
        boolean idat = false;
        CRC32 crc = new CRC32();
        while (true) {
            if (!r.has(pos, 8)) {
                throw RefusalException.truncated(f);
            }
            long len = r.u32(pos, false);
            if (len > Integer.MAX_VALUE) {
                throw RefusalException.corrupt(f, "chunk length " + len + " at byte " + pos);
            }
            String type = new String(d, (int) pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (!r.has(pos + 8, len + 4)) {
                throw RefusalException.truncated(f);
            }
            if (width < 0 && !type.equals("IHDR")) {
                throw RefusalException.corrupt(f, "the first chunk is '" + printable(type) + "', not the IHDR header");
            }
            crc.reset();
            crc.update(d, (int) pos + 4, (int) len + 4);
            if (crc.getValue() != r.u32(pos + 8 + len, false)) {
                throw RefusalException.corrupt(f, "checksum mismatch in chunk '" + printable(type) + "' at byte " + pos);
            }
            long data = pos + 8;
            switch (type) {
                case "IHDR":
                    if (len != 13) {
                        throw RefusalException.corrupt(f, "IHDR chunk of " + len + " bytes");
                    }
                    width = (int) Math.min(Integer.MAX_VALUE, r.u32(data, false));
                    height = (int) Math.min(Integer.MAX_VALUE, r.u32(data + 4, false));
                    bitDepth = r.u8(data + 8);
                    channels = pngChannels(r.u8(data + 9));
                    if (width == 0 || height == 0 || channels == 0) {
                        throw RefusalException.corrupt(f, "impossible header (" + width + "x" + height + ", colour type " + r.u8(data + 9) + ")");
                    }
                    break;
                case "eXIf":
                    orientation = ExifOrientation.read(d, (int) data, (int) len);
                    break;
                case "IDAT":
                    idat = true;
                    break;
                default:
                    break;
            }
            pos += 12 + len;
            if (type.equals("IEND")) {
                break;
            }
        }
        if (!idat) {
            throw RefusalException.corrupt(f, "no image data (IDAT) chunk");
        }
        return new ImageHeader(f, width, height, bitDepth, channels, orientation);
    }

    private static int pngChannels(int colourType) {
        switch (colourType) {
            case 0:
                return 1;
            case 2:
            case 3:
                return 3;
            case 4:
                return 2;
            case 6:
                return 4;
            default:
                return 0;
        }
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    // ---------------------------------------------------------------- TIFF

    private static ImageHeader readTiff(ByteReader r) throws RefusalException {
        ImageFormat f = ImageFormat.TIFF;
        boolean little = r.u8(0) == 'I';
        long ifd = r.u32(4, little);
        if (!r.has(ifd, 2)) {
            throw RefusalException.truncated(f);
        }
        int entries = r.u16(ifd, little);
        if (entries == 0 || entries > MAX_TIFF_ENTRIES) {
            throw RefusalException.corrupt(f, entries + " entries in the first directory");
        }
        if (!r.has(ifd + 2, 12L * entries)) {
            throw RefusalException.truncated(f);
        }
        long width = -1;
        long height = -1;
        long bits = 1;
        long samples = 1;
        long photometric = -1;
        long sampleFormat = 1;
        int orientation = 1;
        long[] offsets = null;
        long[] counts = null;
        for (int i = 0; i < entries; i++) {
            long e = ifd + 2 + 12L * i;
            int tag = r.u16(e, little);
            switch (tag) {
                case 256:
                    width = tiffValues(r, e, little, 1)[0];
                    break;
                case 257:
                    height = tiffValues(r, e, little, 1)[0];
                    break;
                case 258:
                    bits = tiffValues(r, e, little, 16)[0];
                    break;
                case 262:
                    photometric = tiffValues(r, e, little, 1)[0];
                    break;
                case 274:
                    long o = tiffValues(r, e, little, 1)[0];
                    orientation = o >= 1 && o <= 8 ? (int) o : 1;
                    break;
                case 277:
                    samples = tiffValues(r, e, little, 1)[0];
                    break;
                case 339:
                    sampleFormat = tiffValues(r, e, little, 16)[0];
                    break;
                case 273:
                case 324:
                    offsets = tiffValues(r, e, little, Integer.MAX_VALUE);
                    break;
                case 279:
                case 325:
                    counts = tiffValues(r, e, little, Integer.MAX_VALUE);
                    break;
                default:
                    break;
            }
        }
        if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw RefusalException.corrupt(f, "missing or impossible image size");
        }
        if (offsets == null || counts == null || offsets.length != counts.length) {
            throw RefusalException.corrupt(f, "missing or inconsistent strip/tile tables");
        }
        for (int i = 0; i < offsets.length; i++) {
            if (!r.has(offsets[i], counts[i])) {
                throw RefusalException.truncated(f);
            }
        }
        if (photometric == 5) {
            throw new RefusalException(RefusalCode.UNSUPPORTED_FORMAT,
                    "The TIFF is in CMYK (print) colour, whose colours cannot be measured without its print profile. Export it as sRGB.");
        }
        if (sampleFormat == 3) {
            throw new RefusalException(RefusalCode.UNSUPPORTED_FORMAT,
                    "The TIFF has floating-point samples; photos must have 8- or 16-bit integer samples.");
        }
        if (bits != 1 && bits != 8 && bits != 16) {
            throw new RefusalException(RefusalCode.UNSUPPORTED_FORMAT,
                    "The TIFF has " + bits + "-bit samples; only 8- and 16-bit photos are supported.");
        }
        if (samples < 1 || samples > 4) {
            throw new RefusalException(RefusalCode.UNSUPPORTED_FORMAT,
                    "The TIFF has " + samples + " samples per pixel; only greyscale, RGB and RGBA are supported.");
        }
        return new ImageHeader(f, (int) width, (int) height, (int) bits, (int) samples, orientation);
    }

    /** Reads up to {@code max} SHORT or LONG values of the IFD entry at {@code e}. */
    private static long[] tiffValues(ByteReader r, long e, boolean little, int max) throws RefusalException {
        int type = r.u16(e + 2, little);
        long count = r.u32(e + 4, little);
        int size;
        if (type == 3) {
            size = 2;
        } else if (type == 4) {
            size = 4;
        } else {
            throw RefusalException.corrupt(ImageFormat.TIFF, "tag " + r.u16(e, little) + " has type " + type);
        }
        if (count < 1 || count > r.length() / size) {
            throw RefusalException.corrupt(ImageFormat.TIFF, "tag " + r.u16(e, little) + " has " + count + " values");
        }
        long at = count * size <= 4 ? e + 8 : r.u32(e + 8, little);
        if (!r.has(at, count * size)) {
            throw RefusalException.truncated(ImageFormat.TIFF);
        }
        int n = (int) Math.min(count, max);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = size == 2 ? r.u16(at + 2L * i, little) : r.u32(at + 4L * i, little);
        }
        return out;
    }

    // ---------------------------------------------------------------- WebP

    private static ImageHeader readWebp(ByteReader r) throws RefusalException {
        ImageFormat f = ImageFormat.WEBP;
        long riffEnd = 8 + r.u32(4, true);
        if (riffEnd > r.length()) {
            throw RefusalException.truncated(f);
        }
        long pos = 12;
        int width = -1;
        int height = -1;
        int channels = 3;
        int orientation = 1;
        boolean bitstream = false;
        while (pos + 8 <= riffEnd) {
            long size = r.u32(pos + 4, true);
            long data = pos + 8;
            if (data + size > riffEnd) {
                throw RefusalException.truncated(f);
            }
            if (r.ascii(pos, "VP8X")) {
                int flags = r.u8(data);
                if ((flags & 0x02) != 0) {
                    throw new RefusalException(RefusalCode.UNSUPPORTED_FORMAT,
                            "The WebP is animated; upload a single still photo.");
                }
                if ((flags & 0x10) != 0) {
                    channels = 4;
                }
                width = r.u24le(data + 4) + 1;
                height = r.u24le(data + 7) + 1;
            } else if (r.ascii(pos, "VP8 ")) {
                bitstream = true;
                if (r.u8(data + 3) != 0x9D || r.u8(data + 4) != 0x01 || r.u8(data + 5) != 0x2A) {
                    throw RefusalException.corrupt(f, "no VP8 key-frame start code");
                }
                if (width < 0) {
                    width = r.u16(data + 6, true) & 0x3FFF;
                    height = r.u16(data + 8, true) & 0x3FFF;
                }
            } else if (r.ascii(pos, "VP8L")) {
                bitstream = true;
                if (r.u8(data) != 0x2F) {
                    throw RefusalException.corrupt(f, "bad lossless signature");
                }
                long bits = r.u32(data + 1, true);
                if (width < 0) {
                    width = (int) (bits & 0x3FFF) + 1;
                    height = (int) (bits >> 14 & 0x3FFF) + 1;
                }
                if ((bits >> 28 & 1) != 0) {
                    channels = 4;
                }
            } else if (r.ascii(pos, "ANIM") || r.ascii(pos, "ANMF")) {
                throw new RefusalException(RefusalCode.UNSUPPORTED_FORMAT, "The WebP is animated; upload a single still photo.");
            } else if (r.ascii(pos, "EXIF")) {
                long start = data;
                long len = size;
                if (r.ascii(data, "Exif") && len > 6) {
                    start += 6;
                    len -= 6;
                }
                orientation = ExifOrientation.read(dataOf(r), (int) start, (int) len);
            }
            pos = data + size + (size & 1);
        }
        if (!bitstream) {
            throw RefusalException.corrupt(f, "no image bitstream (VP8/VP8L chunk)");
        }
        if (width <= 0 || height <= 0) {
            throw RefusalException.corrupt(f, "impossible image size " + width + "x" + height);
        }
        return new ImageHeader(f, width, height, 8, channels, orientation);
    }

    private static byte[] dataOf(ByteReader r) {
        return r.array();
    }
}
