package org.dermatrend.metric;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every metric the service compares and trends, in one list: the {@code change} table of a
 * comparison, the values of a trend's sessions, the rated metrics of a trend and its report, and the
 * minimal detectable changes of {@code trend/mdc.json} are all keyed by these constants. A metric is
 * a number of the score's {@code pores}, {@code redness} or {@code scars} section that is comparable
 * between two photos: fields in pixels ({@code …Px}) are not, since the two photos' pixels differ in
 * size whenever the camera moved.
 *
 * <p>The constants are in the order of the score's JSON, which is the order of the {@code change}
 * table; {@link #rated()} lists the rated ones in report order, which differs. The JSON name
 * ({@link #json()}, e.g. {@code pores.meanDiameterMm}) is what clients see and must not change when a
 * Java field is renamed. docs/metrics.md defines every metric.
 */
public enum MetricKey {
    PORES_COUNT(Section.PORES, "count", "pores", Better.NONE, "Visible pores"),
    PORES_DENSITY_PER_CM2(Section.PORES, "densityPerCm2", "per cm²", Better.LOWER, "Visible pores per cm²"),
    PORES_MEAN_DIAMETER_MM(Section.PORES, "meanDiameterMm", "mm", Better.LOWER, "Pore diameter, mean"),
    PORES_MEDIAN_DIAMETER_MM(Section.PORES, "medianDiameterMm", "mm", Better.LOWER, "Pore diameter, median"),
    PORES_P90_DIAMETER_MM(Section.PORES, "p90DiameterMm", "mm", Better.LOWER, "Pore diameter, 90th percentile"),
    PORES_AREA_FRACTION(Section.PORES, "areaFraction", "fraction", Better.LOWER, "Skin covered by pores"),
    PORES_EDGE_BLUR_MM(Section.PORES, "edgeBlurMm", "mm", Better.NONE, "Pore edge blur"),
    REDNESS_ERYTHEMA_INDEX(Section.REDNESS, "erythemaIndex", "EI", Better.LOWER, "Erythema index"),
    REDNESS_MEAN_A_STAR(Section.REDNESS, "meanAStar", "a*", Better.LOWER, "Redness a* (CIELAB)"),
    REDNESS_AREA_FRACTION(Section.REDNESS, "areaFraction", "fraction", Better.LOWER, "Red area"),
    REDNESS_HAEMOGLOBIN_INDEX(Section.REDNESS, "haemoglobinIndex", "OD", Better.LOWER, "Haemoglobin index"),
    REDNESS_MELANIN_INDEX(Section.REDNESS, "melaninIndex", "a.u.", Better.NONE, "Melanin index"),
    REDNESS_ITA_DEGREES(Section.REDNESS, "itaDegrees", "degrees", Better.NONE, "Skin tone, ITA°"),
    SCARS_COUNT(Section.SCARS, "count", "scars", Better.LOWER, "Scars"),
    SCARS_MEAN_DEPTH_MM(Section.SCARS, "meanDepthMm", "mm", Better.LOWER, "Scar depth, mean"),
    SCARS_MAX_DEPTH_MM(Section.SCARS, "maxDepthMm", "mm", Better.LOWER, "Scar depth, deepest"),
    SCARS_AREA_FRACTION(Section.SCARS, "areaFraction", "fraction", Better.LOWER, "Scarred skin"),
    SCARS_VOLUME_MM3(Section.SCARS, "volumeMm3", "mm³", Better.LOWER, "Scar volume");

    /** The score section a metric is read from, by its JSON name. */
    public enum Section {
        PORES("pores"), REDNESS("redness"), SCARS("scars");

        private final String json;

        Section(String json) {
            this.json = json;
        }

        /** The section's field name in the score's JSON. */
        public String json() {
            return json;
        }
    }

    /**
     * Which direction of change is an improvement. {@link #NONE} for a metric that is measured but not
     * rated: pigment (melanin index, ITA°) has no "better" in a mean, and the pore count depends on the
     * region's size (the density is rated instead).
     */
    public enum Better {
        LOWER, HIGHER, NONE;

        /** As the trend's {@code better} field says it: {@code lower}, {@code higher} or {@code none}. */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The rated metrics in report order (the trend's, the report's and the repeatability study's). */
    private static final List<MetricKey> RATED = List.of(
            PORES_MEAN_DIAMETER_MM, PORES_MEDIAN_DIAMETER_MM, PORES_P90_DIAMETER_MM, PORES_DENSITY_PER_CM2, PORES_AREA_FRACTION,
            REDNESS_ERYTHEMA_INDEX, REDNESS_MEAN_A_STAR, REDNESS_HAEMOGLOBIN_INDEX, REDNESS_AREA_FRACTION,
            SCARS_MEAN_DEPTH_MM, SCARS_MAX_DEPTH_MM, SCARS_COUNT, SCARS_AREA_FRACTION, SCARS_VOLUME_MM3);

    private final Section section;
    private final String field;
    private final String json;
    private final String unit;
    private final Better better;
    private final String label;

    MetricKey(Section section, String field, String unit, Better better, String label) {
        this.section = section;
        this.field = field;
        this.json = section.json() + "." + field;
        this.unit = unit;
        this.better = better;
        this.label = label;
    }

    /** The metric's name in JSON: the dotted path in the score, e.g. {@code pores.meanDiameterMm}. */
    public String json() {
        return json;
    }

    public Section section() {
        return section;
    }

    /** The field's name inside its section, e.g. {@code meanDiameterMm}. */
    public String field() {
        return field;
    }

    /** The metric's unit as the trend and report print it, e.g. {@code mm}, {@code fraction}. */
    public String unit() {
        return unit;
    }

    public Better better() {
        return better;
    }

    /**
     * The unit as a UCUM code (unitsofmeasure.org), as a FHIR quantity carries it: {@code mm}, {@code /cm2},
     * {@code mm3}, {@code deg}, and {@code 1} for counts, fractions (0 to 1, not per cent: the numbers stay
     * those of the trend) and indices without a physical unit (EI, a*, optical density, arbitrary units).
     *
     * @throws IllegalStateException for a unit that has no UCUM code here yet (MetricKeyTest tries every key)
     */
    public String ucum() {
        return switch (unit) {
            case "mm" -> "mm";
            case "per cm²" -> "/cm2";
            case "mm³" -> "mm3";
            case "degrees" -> "deg";
            case "pores", "scars", "fraction", "EI", "a*", "OD", "a.u." -> "1";
            default -> throw new IllegalStateException("metric " + json + " has the unit '" + unit + "', which has no UCUM code; "
                    + "add it to MetricKey.ucum()");
        };
    }

    /** What the report calls the metric, e.g. {@code Pore diameter, mean}. */
    public String label() {
        return label;
    }

    /** Whether trends rate this metric (give it a verdict); see {@link #rated()}. */
    public boolean isRated() {
        return RATED.contains(this);
    }

    /** Redness metrics: a photo shortly after a treatment shows the procedure's redness. */
    public boolean isRedness() {
        return section == Section.REDNESS;
    }

    /** The rated metrics, in report order (not the change table's order). */
    public static List<MetricKey> rated() {
        return RATED;
    }

    /** The metric with this JSON name ({@code pores.meanDiameterMm}), if there is one. */
    public static Optional<MetricKey> ofJson(String json) {
        for (MetricKey k : values()) {
            if (k.json.equals(json)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** The same values keyed by JSON name, in the given map's order: the wire form of a typed map. */
    public static <V> Map<String, V> byJson(Map<MetricKey, V> values) {
        Map<String, V> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k.json, v));
        return out;
    }
}
