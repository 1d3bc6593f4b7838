package org.dermatrend.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.ServiceApp;
import org.dermatrend.analysis.Services;
import org.dermatrend.compare.Comparison;
import org.dermatrend.compare.PhantomPair;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.StageTimer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A scored phantom's analysis results (a baseline and an aligned follow-up, as the service stores
 * them) read back as records, and the typed metrics against the JSON the service has always written.
 */
class AnalysisResultTest {
    private static final ObjectMapper JSON = ServiceApp.json();

    private static AnalysisResult baseline;
    private static AnalysisResult followUp;

    @BeforeAll
    static void scoreAPhantomPair() {
        try (Services services = Services.create(ConfigIntake.defaults());
             PhantomPair pair = PhantomPair.render(46001, services.decoder())) {
            PhotoContext context = new PhotoContext(OptionalDouble.of(PhantomPair.MM_PER_PX), pair.cardBefore(), Optional.empty());
            try (SkinScore score = services.scorer().score(pair.before(), context, new StageTimer())) {
                // With --detail's lists too, so every pore and scar record is read back as well.
                baseline = AnalysisResult.ofBaseline("p0", ScoreInfo.of("p0", pair.before(), score, context, true));
            }
            try (Comparison c = services.comparer().compare(pair.before(), pair.after(), pair.request(), new StageTimer())) {
                followUp = AnalysisResult.ofFollowUp("p0", CompareInfo.of("p0", "p1", pair.before(), pair.after(), c, pair.request()));
            }
        }
    }

    /** What {@code ChangeInfo.metrics(JsonNode)} did before the registry: the reference the typed values must equal. */
    private static Map<String, Double> walked(JsonNode score) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String section : new String[] {"pores", "redness", "scars"}) {
            JsonNode s = score.get(section);
            if (s == null || !s.isObject()) {
                continue;
            }
            for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                JsonNode v = s.get(field);
                if (!field.endsWith("Px") && v.isNumber()) {
                    out.put(section + "." + field, v.asDouble());
                }
            }
        }
        return out;
    }

    private static void sameInOrder(Map<String, ?> expected, Map<String, ?> actual) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()));
        assertEquals(expected, actual);
    }

    @Test
    void theScoresAreRealAndComplete() {
        assertTrue(followUp.alignment().ok(), followUp.alignment().message());
        assertTrue(baseline.score().image().colorCalibrated(), "the grey card was used");
        assertEquals(List.of(MetricKey.values()), List.copyOf(baseline.score().metrics().keySet()),
                "scale, skin and scars: every metric has a value");
        assertFalse(baseline.score().pores().list().isEmpty());
        assertFalse(baseline.score().scars().list().isEmpty());
    }

    @Test
    void typedMetricsEqualWhatTheStoredJsonHadInTheSameOrder() throws Exception {
        for (AnalysisResult r : List.of(baseline, followUp)) {
            JsonNode stored = JSON.readTree(JSON.writeValueAsString(r));
            sameInOrder(walked(stored.get("score")), MetricKey.byJson(r.score().metrics()));
        }
        JsonNode stored = JSON.readTree(JSON.writeValueAsString(followUp));
        sameInOrder(walked(stored.get("baselineScore")), MetricKey.byJson(followUp.baselineScore().metrics()));
    }

    @Test
    void theChangeTableIsEveryMetricOfBothScoresRoundedAsBefore() throws Exception {
        JsonNode stored = JSON.readTree(JSON.writeValueAsString(followUp));
        Map<String, Double> b = walked(stored.get("baselineScore"));
        Map<String, Double> a = walked(stored.get("score"));
        Map<String, ChangeInfo> expected = new LinkedHashMap<>();
        b.forEach((k, x) -> {
            Double y = a.get(k);
            if (y != null) {
                expected.put(k, new ChangeInfo(x, y, Math.round((y - x) * 1e4) / 1e4,
                        x == 0 ? null : Math.round(100 * (y - x) / Math.abs(x) * 1e4) / 1e4));
            }
        });
        assertEquals(18, expected.size());
        sameInOrder(expected, followUp.change());
        sameInOrder(expected, ChangeInfo.between(followUp.baselineScore(), followUp.score()));
    }

    @Test
    void storedResultsReadBackAsRecordsWithTheSameMetrics() throws Exception {
        for (AnalysisResult r : List.of(baseline, followUp)) {
            String stored = JSON.writeValueAsString(r);
            AnalysisResult back = AnalysisResult.read(JSON, stored);
            assertEquals(stored, JSON.writeValueAsString(back), "every field survives the round trip");
            assertEquals(r.score().metrics(), back.score().metrics());
            assertEquals(r.score().quality(), back.score().quality());
            assertEquals(r.baseline(), back.baseline());
            assertEquals(r.change(), back.change());
            if (!r.baseline()) {
                assertEquals(r.baselineScore().metrics(), back.baselineScore().metrics());
                assertNotNull(back.alignment().afterToBefore());
            }
        }
    }

    @Test
    void aRowFromAnotherVersionReadsAndAFailureBodyDoesNot() throws Exception {
        ObjectNode row = JSON.valueToTree(followUp);
        row.put("addedLater", 1);
        ((ObjectNode) row.get("score").get("pores")).put("addedLater", 2);
        ((ObjectNode) row.get("baselineScore")).remove("mask");
        AnalysisResult back = AnalysisResult.read(JSON, JSON.writeValueAsString(row));
        assertEquals(followUp.score().metrics(), back.score().metrics());
        assertNull(back.baselineScore().mask());
        String failure = "{\"code\":\"quality_failed\",\"message\":\"The photo failed the quality gate.\",\"issues\":[]}";
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> AnalysisResult.read(JSON, failure));
        assertTrue(e.getMessage().contains("not an analysis result"), e.getMessage());
    }

    @Test
    void aScoreHasNoMetricsFieldOfItsOwnInJson() throws Exception {
        assertFalse(JSON.valueToTree(baseline.score()).has("metrics"), "metrics() is derived, not a property");
    }
}
