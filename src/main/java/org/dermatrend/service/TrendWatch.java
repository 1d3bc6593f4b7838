package org.dermatrend.service;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Role;
import org.dermatrend.store.TrendVerdicts;
import org.dermatrend.wire.TrendInfo;

/**
 * Tells when an area's trend verdicts change: each analysis result asks for its area to be looked at again
 * (in the result's own transaction, see {@code store.Outbox}); this computes the trend as
 * {@code GET /v1/areas/{id}/trend} does, and {@link TrendVerdicts#settle} compares, stores and writes
 * the {@code trend.verdict_changed} event. While some of the area's analyses are being redone after a
 * correction, its verdicts pass through states nobody should be told about: the check is dropped and
 * the last redo asks again.
 */
public final class TrendWatch {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrendWatch.class);
    /** How long a check whose trend could not be computed waits before it is tried again. */
    private static final java.time.Duration RETRY = java.time.Duration.ofMinutes(10);

    private final TrendVerdicts verdicts;
    private final TrendService trends;
    private final AreaService areas;
    private final Clock clock;

    public TrendWatch(TrendVerdicts verdicts, TrendService trends, AreaService areas, Clock clock) {
        this.verdicts = verdicts;
        this.trends = trends;
        this.areas = areas;
        this.clock = clock;
    }

    private void postpone(TrendVerdicts.Check check, Exception e) {
        LOG.warn("trend check of area {}: the trend could not be computed ({}); tried again in {} min", check.areaId(),
                SafeLog.describe(e), RETRY.toMinutes());
        verdicts.postpone(check, clock.instant().plus(RETRY));
    }

    /**
     * Settles up to {@code limit} waiting checks.
     *
     * @return the areas whose verdicts changed
     */
    public int run(int limit) throws IOException {
        int changed = 0;
        for (TrendVerdicts.Check check : verdicts.due(clock.instant(), limit)) {
            Caller system = new Caller(check.clinicId(), "system:trend-watch", Role.REVIEWER, false);
            Area area;
            TrendInfo trend;
            try {
                area = areas.area(system, check.areaId());
                trend = trends.trend(system, check.areaId(), false);
            } catch (Failure f) {
                if (f.kind() == Failure.Kind.NOT_FOUND) { // erased meanwhile
                    verdicts.drop(check);
                    continue;
                }
                postpone(check, f);
                continue;
            } catch (IOException | RuntimeException e) {
                // One area whose trend cannot be computed (a stored result that does not read) must not hold up the others.
                postpone(check, e);
                continue;
            }
            boolean redoing = trend.sessions().stream().anyMatch(s -> s.reason() != null && s.reason().startsWith("reanalysing:"));
            Map<String, String> now = new LinkedHashMap<>();
            trend.metrics().forEach((key, m) -> now.put(key, m.verdict()));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("areaId", area.id());
            data.put("patientId", area.patientId());
            List<TrendInfo.Session> usable = trend.sessions().stream().filter(TrendInfo.Session::usable).toList();
            if (!usable.isEmpty()) {
                data.put("latestSessionDate", usable.get(usable.size() - 1).date().toString());
            }
            if (!verdicts.settle(check, redoing ? null : now, data, clock.instant()).isEmpty()) {
                changed++;
            }
        }
        return changed;
    }
}
