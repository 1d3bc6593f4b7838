package org.dermatrend.trend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every metric's minimal detectable change in one place, with where it came from. The shipped
 * registry is {@code src/main/resources/trend/mdc.json}, written by {@code eval-repeatability}
 * (its provenance block names the command, date, skins and conditions); docs/metrics.md §10 lists it.
 */
public final class MdcRegistry {
    public static final String RESOURCE = "/trend/mdc.json";

    private final Map<String, Mdc> byKey;
    private final Map<String, Object> provenance;

    public MdcRegistry(Map<String, Mdc> byKey, Map<String, Object> provenance) {
        this.byKey = Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
        this.provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** The registry shipped in the jar. */
    public static MdcRegistry packaged() {
        try (InputStream in = MdcRegistry.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar; rebuild with mvn package");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @SuppressWarnings("unchecked")
    static MdcRegistry parse(JsonNode root) {
        Map<String, Mdc> map = new LinkedHashMap<>();
        root.get("metrics").fields().forEachRemaining(e -> {
            JsonNode m = e.getValue();
            map.put(e.getKey(), new Mdc(e.getKey(), m.get("sem").asDouble(), m.get("mdc95").asDouble(),
                    m.get("skins").asInt(), m.get("sessions").asInt()));
        });
        Map<String, Object> prov = new ObjectMapper().convertValue(root.get("provenance"), LinkedHashMap.class);
        return new MdcRegistry(map, prov);
    }

    public Optional<Mdc> get(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public Map<String, Mdc> all() {
        return byKey;
    }

    public Map<String, Object> provenance() {
        return provenance;
    }
}
