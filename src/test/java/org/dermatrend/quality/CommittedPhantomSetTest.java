package org.dermatrend.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.PreparedPhoto;
import org.dermatrend.synth.PhantomTruth;
import org.dermatrend.synth.PhantomWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quality gate on the committed phantom set (datasets/phantoms/quality), read from disk through
 * intake like a client's upload: guards the gate against changes of the renderer as well as its own.
 */
class CommittedPhantomSetTest {
    private static final Path SET = Path.of("datasets/phantoms/quality");

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    @Test
    void everyPhantomGetsItsExpectedVerdict() throws IOException {
        List<String> rows = Files.readAllLines(SET.resolve("expected.csv")).stream().skip(1).filter(l -> !l.isBlank())
                .collect(Collectors.toList());
        assertEquals(9, rows.size());
        PhotoDecoder decoder = new PhotoDecoder(ConfigIntake.defaults());
        PhantomWriter writer = new PhantomWriter();
        for (String row : rows) {
            String[] cols = row.split(",");
            Path image = SET.resolve(cols[0]);
            PhantomTruth truth = writer.readTruth(SET.resolve(cols[0].replace(".jpg", ".truth.json")));
            PhantomTruth.GrayCard c = truth.grayCard();
            PhotoContext context = new PhotoContext(OptionalDouble.of(truth.mmPerPx()),
                    Optional.of(new PixelRect(c.x(), c.y(), c.width(), c.height())), Optional.empty());
            DecodeResult r = decoder.decode(image);
            assertFalse(r.isRefused(), cols[0]);
            try (DecodedPhoto photo = r.photo(); PreparedPhoto prepared = Phantoms.PREPARER.prepare(photo, context)) {
                QualityReport q = prepared.quality();
                List<String> codes = QualityGateTest.codes(q);
                if ("ok".equals(cols[1])) {
                    assertTrue(q.ok(), cols[0] + " should pass, got " + codes);
                } else {
                    assertFalse(q.ok(), cols[0] + " should fail");
                    assertTrue(codes.contains(cols[1]), cols[0] + ": expected " + cols[1] + ", got " + codes);
                }
            }
        }
    }
}
