package org.dermatrend.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dermatrend.cv.OpenCvNatives;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Valid files of every accepted format, made from a committed synthetic phantom (no patient data). */
public final class FuzzSeeds {
    private FuzzSeeds() {
    }

    public static Map<String, byte[]> all() throws IOException {
        OpenCvNatives.load();
        byte[] jpeg = Files.readAllBytes(Path.of("datasets/demo/session-1.jpg"));
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("jpeg", jpeg);
        Mat full = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
        Mat small = new Mat();
        Imgproc.resize(full, small, new Size(640, 520), 0, 0, Imgproc.INTER_AREA);
        try {
            out.put("png", encode(".png", small));
            out.put("tiff", encode(".tiff", small));
            out.put("webp", encode(".webp", small));
        } finally {
            full.release();
            small.release();
        }
        return out;
    }

    /** One mutation of a valid file, by seed. */
    public static Mutator.Mutation mutate(long seed, byte[] valid) {
        return new Mutator(seed).mutate(valid);
    }

    private static byte[] encode(String ext, Mat m) {
        MatOfByte b = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(ext, m, b, new MatOfInt())) {
                throw new IllegalStateException("OpenCV cannot encode " + ext);
            }
            return b.toArray();
        } finally {
            b.release();
        }
    }
}
