package org.dermatrend.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dermatrend.trend.MdcRegistry;
import org.dermatrend.wire.ScoreInfo;
import org.junit.jupiter.api.Test;

/** The registry of metric keys against the wire records it names and the MDC registry that uses it. */
class MetricKeyTest {

    /**
     * The metrics as the score's records define them: every numeric component of the pores, redness and
     * scars sections except those in pixels, in component order (the JSON's order). A field added to
     * PoresInfo without a key, or a key whose field was renamed, fails here.
     */
    private static List<String> numericFieldsOfTheScoreSections() {
        List<String> out = new ArrayList<>();
        for (MetricKey.Section section : MetricKey.Section.values()) {
            RecordComponent c = Arrays.stream(ScoreInfo.class.getRecordComponents())
                    .filter(x -> x.getName().equals(section.json())).findFirst()
                    .orElseThrow(() -> new AssertionError("ScoreInfo has no section " + section.json()));
            assertTrue(c.getType().isRecord(), section.json() + " is a record");
            for (RecordComponent f : c.getType().getRecordComponents()) {
                if (isNumber(f.getType()) && !f.getName().endsWith("Px")) {
                    out.add(section.json() + "." + f.getName());
                }
            }
        }
        return out;
    }

    private static boolean isNumber(Class<?> t) {
        return t.isPrimitive() ? t != boolean.class && t != char.class : Number.class.isAssignableFrom(t);
    }

    @Test
    void theKeysAreTheNumericNonPixelFieldsOfTheScoreSectionsInJsonOrder() {
        List<String> fields = numericFieldsOfTheScoreSections();
        assertEquals(18, fields.size(), fields.toString());
        assertEquals(fields, Arrays.stream(MetricKey.values()).map(MetricKey::json).toList());
        for (MetricKey k : MetricKey.values()) {
            assertEquals(k.section().json() + "." + k.field(), k.json());
        }
    }

    @Test
    void jsonNamesRoundTrip() {
        for (MetricKey k : MetricKey.values()) {
            assertEquals(Optional.of(k), MetricKey.ofJson(k.json()));
        }
        assertEquals(Optional.empty(), MetricKey.ofJson("pores.meanDiameterPx"), "pixel sizes are not metrics");
        assertEquals(Optional.empty(), MetricKey.ofJson("PORES_COUNT"), "the JSON name, not the constant's");
        assertEquals(Optional.empty(), MetricKey.ofJson("count"));
        Map<MetricKey, Double> typed = new EnumMap<>(MetricKey.class);
        typed.put(MetricKey.SCARS_COUNT, 3.0);
        typed.put(MetricKey.PORES_COUNT, 40.0);
        assertEquals(List.of("pores.count", "scars.count"), new ArrayList<>(MetricKey.byJson(typed).keySet()));
    }

    /** The rated metrics, labels and units as trends have reported them (TrendInfo's JSON), in report order. */
    @Test
    void theRatedMetricsKeepTheirReportOrderLabelsAndUnits() {
        String[][] rated = {
            {"pores.meanDiameterMm", "mm", "Pore diameter, mean"},
            {"pores.medianDiameterMm", "mm", "Pore diameter, median"},
            {"pores.p90DiameterMm", "mm", "Pore diameter, 90th percentile"},
            {"pores.densityPerCm2", "per cm²", "Visible pores per cm²"},
            {"pores.areaFraction", "fraction", "Skin covered by pores"},
            {"redness.erythemaIndex", "EI", "Erythema index"},
            {"redness.meanAStar", "a*", "Redness a* (CIELAB)"},
            {"redness.haemoglobinIndex", "OD", "Haemoglobin index"},
            {"redness.areaFraction", "fraction", "Red area"},
            {"scars.meanDepthMm", "mm", "Scar depth, mean"},
            {"scars.maxDepthMm", "mm", "Scar depth, deepest"},
            {"scars.count", "scars", "Scars"},
            {"scars.areaFraction", "fraction", "Scarred skin"},
            {"scars.volumeMm3", "mm³", "Scar volume"}};
        assertEquals(rated.length, MetricKey.rated().size());
        for (int i = 0; i < rated.length; i++) {
            MetricKey k = MetricKey.rated().get(i);
            assertEquals(List.of(rated[i]), List.of(k.json(), k.unit(), k.label()));
            assertEquals(MetricKey.Better.LOWER, k.better(), k.json() + ": lower is better");
        }
        assertNotEquals(Arrays.asList(MetricKey.values()).subList(0, 14), MetricKey.rated(),
                "report order is not the change table's");
    }

    @Test
    void onlyRatedMetricsHaveADirectionAndEveryLabelIsDistinct() {
        Set<String> labels = new HashSet<>();
        for (MetricKey k : MetricKey.values()) {
            assertEquals(k.isRated(), MetricKey.rated().contains(k));
            assertEquals(k.isRated(), k.better() != MetricKey.Better.NONE, k.json());
            assertEquals(k.json().startsWith("redness."), k.isRedness(), k.json());
            assertTrue(labels.add(k.label()), "label " + k.label() + " used twice");
            assertTrue(!k.unit().isBlank(), k.json() + " has a unit");
        }
        assertEquals(List.of(MetricKey.PORES_COUNT, MetricKey.PORES_EDGE_BLUR_MM, MetricKey.REDNESS_MELANIN_INDEX, MetricKey.REDNESS_ITA_DEGREES),
                Arrays.stream(MetricKey.values()).filter(k -> !k.isRated()).toList(), "measured but not rated");
    }

    /** Every rated metric has an MDC in the shipped mdc.json (none is knowingly absent today), and nothing else has one. */
    @Test
    void theShippedMdcRegistryCoversExactlyTheRatedMetrics() {
        Set<MetricKey> knowinglyAbsent = Set.of();
        Set<MetricKey> expected = new HashSet<>(MetricKey.rated());
        expected.removeAll(knowinglyAbsent);
        assertEquals(expected, MdcRegistry.packaged().all().keySet());
    }

    /** Every metric has a UCUM code for FHIR quantities; the fractions stay fractions ({@code 1}), so values equal the trend's. */
    @Test
    void everyUnitHasAUcumCode() {
        for (MetricKey k : MetricKey.values()) {
            String ucum = k.ucum();
            assertTrue(ucum.matches("[0-9A-Za-z/.]+"), k.json() + ": " + ucum);
            assertEquals(k.unit().equals("fraction"), k.field().equals("areaFraction") && ucum.equals("1"), k.json());
        }
        assertEquals("/cm2", MetricKey.PORES_DENSITY_PER_CM2.ucum());
        assertEquals("mm3", MetricKey.SCARS_VOLUME_MM3.ucum());
    }
}
