package org.dermatrend.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Writes a phantom as three files: {@code NAME.jpg|.png} (the photo), {@code NAME.truth.json} and
 * {@code NAME.height.tiff} (the true height map, 32-bit float, mm). Each file is written to a
 * temporary name and renamed, so a reader never sees half a file.
 */
public final class PhantomWriter {
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @return the path of the truth file */
    public Path write(Phantom phantom, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        String imageName = name + phantom.extension();
        String heightName = name + ".height.tiff";
        writeAtomically(dir.resolve(imageName), phantom.encoded());
        MatOfByte tiff = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".tiff", phantom.heightMm(), tiff)) {
                throw new IOException("OpenCV could not encode the height map as TIFF");
            }
            writeAtomically(dir.resolve(heightName), tiff.toArray());
        } finally {
            tiff.release();
        }
        PhantomTruth t = phantom.truth();
        PhantomTruth withFiles = new PhantomTruth(t.seed(), t.width(), t.height(), t.mmPerPx(), t.fitzpatrick(),
                t.pigments(), t.pores(), t.scars(), t.erythema(), t.hairs(), t.light(), t.camera(), t.grayCard(),
                t.skinFraction(), t.backgroundFraction(), new PhantomTruth.Files(imageName, heightName));
        Path truthPath = dir.resolve(name + ".truth.json");
        writeAtomically(truthPath, json.writeValueAsBytes(withFiles));
        return truthPath;
    }

    /** Writes the phantom's image alone (no truth or height files), as {@code dir/fileName}. */
    public Path writeImage(Phantom phantom, Path dir, String fileName) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName);
        writeAtomically(target, phantom.encoded());
        return target;
    }

    /** Writes any value as indented JSON, atomically. */
    public void writeJson(Path target, Object value) throws IOException {
        writeAtomically(target, json.writeValueAsBytes(value));
    }

    /** Reads a truth file written by {@link #write}. */
    public PhantomTruth readTruth(Path truthFile) throws IOException {
        return json.readValue(truthFile.toFile(), PhantomTruth.class);
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        // A plain new file (not createTempFile, whose owner-only permissions would stick after the rename).
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
