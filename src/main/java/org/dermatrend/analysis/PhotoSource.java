package org.dermatrend.analysis;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.decode.Refusal;
import org.dermatrend.decode.RefusalCode;

/** Where a photo's bytes come from: memory (uploads, the store) or a file (the CLI). */
@FunctionalInterface
public interface PhotoSource {
    /** Decodes the photo through intake; a refusal is a result, a failing disk an exception. */
    DecodeResult decode(PhotoDecoder decoder) throws IOException;

    static PhotoSource of(byte[] bytes) {
        return decoder -> decoder.decode(bytes);
    }

    /** A file, read through intake's size check; a missing file is refused with what to do. */
    static PhotoSource of(Path file) {
        return decoder -> {
            try {
                return decoder.decode(file);
            } catch (NoSuchFileException e) {
                return DecodeResult.refused(new Refusal(RefusalCode.CORRUPT_IMAGE, "No such file: " + file + ". Check the path."));
            }
        };
    }
}
