package org.dermatrend.trend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.dermatrend.metric.MetricKey;
import org.junit.jupiter.api.Test;

/** The MDC registry's file format, read into typed keys. */
class MdcRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MdcRegistry parse(String metrics) throws Exception {
        return MdcRegistry.parse(JSON.readTree("{\"provenance\": {\"command\": \"test\"}, \"metrics\": {" + metrics + "}}"),
                "test.json");
    }

    @Test
    void entriesAreReadByTheirJsonNamesInFileOrder() throws Exception {
        MdcRegistry r = parse("\"scars.meanDepthMm\": {\"sessions\": 5, \"sem\": 0.02, \"mdc95\": 0.05, \"skins\": 12},"
                + "\"pores.meanDiameterMm\": {\"sessions\": 4, \"sem\": 0.003, \"mdc95\": 0.009, \"skins\": 10}");
        assertEquals(List.of(MetricKey.SCARS_MEAN_DEPTH_MM, MetricKey.PORES_MEAN_DIAMETER_MM), List.copyOf(r.all().keySet()));
        Mdc pores = r.get(MetricKey.PORES_MEAN_DIAMETER_MM).orElseThrow();
        assertEquals(new Mdc(MetricKey.PORES_MEAN_DIAMETER_MM, 0.003, 0.009, 10, 4), pores);
        assertTrue(r.get(MetricKey.REDNESS_ERYTHEMA_INDEX).isEmpty());
        assertEquals("test", r.provenance().get("command"));
    }

    @Test
    void anUnknownMetricStopsTheLoadingAndSaysWhichAndWhere() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> parse("\"pores.meanDiameterMicrons\": {\"sessions\": 5, \"sem\": 0.02, \"mdc95\": 0.05, \"skins\": 12}"));
        assertTrue(e.getMessage().startsWith("test.json gives a minimal detectable change for \"pores.meanDiameterMicrons\", "
                + "which is not a metric"), e.getMessage());
        assertTrue(e.getMessage().contains("pores.meanDiameterMm"), "lists the metrics: " + e.getMessage());
    }

    @Test
    void theShippedRegistryLoadsInReportOrder() {
        assertEquals(MetricKey.rated(), List.copyOf(MdcRegistry.packaged().all().keySet()));
    }
}
