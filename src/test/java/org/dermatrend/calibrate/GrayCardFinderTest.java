package org.dermatrend.calibrate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.quality.Phantoms;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.dermatrend.synth.PhantomTruth;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The grey card proposed on upload: inside the true card, covering most of it, on every skin type, under colour
 * casts and exposures, at the card's positions in the demo series; nothing proposed where there is no card
 * (phantoms without one, and real close-ups of skin, which have none).
 */
class GrayCardFinderTest {
    private static final PhantomRenderer RENDERER = new PhantomRenderer();
    private static final GrayCardFinder FINDER = new GrayCardFinder();
    private static final PhotoDecoder DECODER = new PhotoDecoder(ConfigIntake.defaults());

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    /** The proposal lies inside the card (2 px of slack) and covers at least 40 % of it. */
    private static void assertOnCard(Optional<GrayCardFinder.Proposal> found, PixelRect card, String what) {
        assertTrue(found.isPresent(), what + ": no proposal");
        PixelRect p = found.get().rect();
        boolean inside = p.x() >= card.x() - 2 && p.y() >= card.y() - 2 && p.x() + p.width() <= card.x() + card.width() + 2
                && p.y() + p.height() <= card.y() + card.height() + 2;
        double covered = (double) p.width() * p.height() / ((double) card.width() * card.height());
        System.out.printf("grey card %s: proposed %s, card %s, covers %.0f%%%n", what, p, card, 100 * covered);
        assertTrue(inside, what + ": " + p + " is not inside the card " + card);
        assertTrue(covered >= 0.4, what + ": " + p + " covers " + covered + " of the card " + card);
    }

    @ParameterizedTest
    @CsvSource({
        "1, 1.00, 1.00, 1.00, 1.00", "2, 1.15, 1.00, 0.85, 1.00", "3, 0.85, 1.00, 1.15, 0.80", "4, 1.00, 1.00, 1.00, 1.20",
        "5, 1.15, 0.85, 1.00, 1.00", "6, 1.00, 1.00, 1.00, 0.85", "6, 0.85, 1.15, 1.15, 1.15"})
    void findsTheCardOnEverySkinTypeUnderCastsAndExposures(int fitzpatrick, double r, double g, double b, double exposure) {
        PhantomSpec spec = PhantomSpec.builder().size(1200, 900).seed(500 + fitzpatrick).fitzpatrick(fitzpatrick).grayCard(true)
                .gains(r, g, b).exposure(exposure).build();
        try (Phantom p = RENDERER.render(spec); DecodedPhoto photo = Phantoms.photo(p)) {
            PhantomTruth.GrayCard c = p.truth().grayCard();
            assertOnCard(FINDER.find(photo), new PixelRect(c.x(), c.y(), c.width(), c.height()),
                    "type " + fitzpatrick + " gains " + r + "," + g + "," + b + " exposure " + exposure);
        }
    }

    @ParameterizedTest
    @CsvSource({"1", "3", "5", "6"})
    void proposesNothingWithoutACard(int fitzpatrick) {
        PhantomSpec spec = PhantomSpec.builder().size(1200, 900).seed(600 + fitzpatrick).fitzpatrick(fitzpatrick).grayCard(false).build();
        try (Phantom p = RENDERER.render(spec); DecodedPhoto photo = Phantoms.photo(p)) {
            Optional<GrayCardFinder.Proposal> found = FINDER.find(photo);
            assertTrue(found.isEmpty(), "type " + fitzpatrick + " without a card: proposed " + found);
        }
    }

    @Test
    void findsTheCardInEveryDemoSession() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(Path.of("datasets/demo/manifest.json").toFile());
        for (JsonNode s : manifest.get("sessions")) {
            DecodeResult r = DECODER.decode(Path.of("datasets/demo", s.get("photo").asText()));
            JsonNode g = s.get("grayRef");
            try (DecodedPhoto photo = r.photo()) {
                assertOnCard(FINDER.find(photo), new PixelRect(g.get(0).asInt(), g.get(1).asInt(), g.get(2).asInt(), g.get(3).asInt()),
                        s.get("photo").asText());
            }
        }
    }

    /** Real close-ups (../shared/datasets/pad-ufes-20) show no grey card: a proposal there is false. */
    @Test
    void proposesNoCardOnRealSkin() throws IOException {
        Path dir = Path.of("../shared/datasets/pad-ufes-20");
        Assumptions.assumeTrue(Files.isDirectory(dir), "the real photos (../shared/datasets/pad-ufes-20) are absent");
        List<Path> photos;
        try (var files = Files.walk(dir)) {
            photos = files.filter(f -> f.toString().toLowerCase().endsWith(".png") || f.toString().toLowerCase().endsWith(".jpg"))
                    .sorted().limit(200).toList();
        }
        List<String> proposed = new ArrayList<>();
        int decoded = 0;
        for (Path f : photos) {
            DecodeResult r = new PhotoDecoder(ConfigIntake.defaults().withMinShortSidePx(300)).decode(f);
            if (r.isRefused()) {
                continue;
            }
            decoded++;
            try (DecodedPhoto photo = r.photo()) {
                FINDER.find(photo).ifPresent(p -> proposed.add(f.getFileName() + " " + p.rect()));
            }
        }
        System.out.printf("grey card on real skin: %d of %d photos got a proposal %s%n", proposed.size(), decoded, proposed);
        assertTrue(decoded >= 20, "decoded " + decoded);
        assertTrue(proposed.size() <= 1, "false proposals on real skin: " + proposed);
    }
}
