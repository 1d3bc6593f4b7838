package org.dermatrend.trend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.dermatrend.metric.MetricKey;

/**
 * Every metric's minimal detectable change in one place, with where it came from. The shipped
 * registry is {@code src/main/resources/trend/mdc.json}, written by {@code eval-repeatability}
 * (its provenance block names the command, date, skins and conditions); docs/metrics.md §10 lists it.
 * Its metrics are named by {@link MetricKey#json()}; a name that is no metric stops the loading.
 */
public final class MdcRegistry {
    public static final String RESOURCE = "/trend/mdc.json";

    private final Map<MetricKey, Mdc> byKey;
    private final Map<String, Object> provenance;

    public MdcRegistry(Map<MetricKey, Mdc> byKey, Map<String, Object> provenance) {
        this.byKey = Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
        this.provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** The registry shipped in the jar. */
    public static MdcRegistry packaged() {
        try (InputStream in = MdcRegistry.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar; rebuild with mvn package");
            }
            return parse(new ObjectMapper().readTree(in), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * @param source where {@code root} was read from, for the error message
     * @throws IllegalStateException when a metric's name is not a {@link MetricKey}'s JSON name
     */
    @SuppressWarnings("unchecked")
    static MdcRegistry parse(JsonNode root, String source) {
        Map<MetricKey, Mdc> map = new LinkedHashMap<>();
        root.get("metrics").fields().forEachRemaining(e -> {
            JsonNode m = e.getValue();
            MetricKey key = MetricKey.ofJson(e.getKey()).orElseThrow(() -> new IllegalStateException(source
                    + " gives a minimal detectable change for \"" + e.getKey() + "\", which is not a metric (org.dermatrend.metric."
                    + "MetricKey lists them: " + Arrays.stream(MetricKey.values()).map(MetricKey::json).toList()
                    + "). Rename or remove the entry, or rewrite the file with eval-repeatability --write."));
            map.put(key, new Mdc(key, m.get("sem").asDouble(), m.get("mdc95").asDouble(),
                    m.get("skins").asInt(), m.get("sessions").asInt()));
        });
        Map<String, Object> prov = new ObjectMapper().convertValue(root.get("provenance"), LinkedHashMap.class);
        return new MdcRegistry(map, prov);
    }

    public Optional<Mdc> get(MetricKey key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public Map<MetricKey, Mdc> all() {
        return byKey;
    }

    public Map<String, Object> provenance() {
        return provenance;
    }
}
