package org.dermatrend.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dermatrend.domain.Records.Webhook;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** The outbox and the verdict comparison on every database the service runs on. */
class WebhookOutboxTest {
    @TempDir
    Path temp;

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123456Z");
    private static final Instant LATER = T0.plusSeconds(3600);

    private static void clinic(Database db, String id) {
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO clinics (id, name, operator, created_at) VALUES (:id, 'c', FALSE, :at)")
                .bind("id", id).bind("at", Database.utc(T0)).execute());
    }

    private static long count(Database db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#kinds")
    void aVerdictChangeIsToldOnceAndAFirstVerdictIsNotAChange(String kind) {
        try (TestDatabases.Opened o = TestDatabases.open(kind, temp)) {
            Database db = o.db();
            clinic(db, "c1");
            WebhookRepository hooks = new WebhookRepository(db);
            hooks.insert(new Webhook("w1", "c1", "https://hooks.example.org/", List.of("trend.verdict_changed"), "whsec_AAAA", "k", T0, null, null));
            hooks.insert(new Webhook("w2", "c1", "https://other.example.org/", List.of("analysis.done"), "whsec_AAAA", "k", T0, null, null));
            TrendVerdicts verdicts = new TrendVerdicts(db);
            db.jdbi().useTransaction(h -> Outbox.requestTrendCheck(h, db.dialect(), "c1", "area-1", T0));
            db.jdbi().useTransaction(h -> Outbox.requestTrendCheck(h, db.dialect(), "c1", "area-1", T0.plusSeconds(1))); // one request an area
            List<TrendVerdicts.Check> due = verdicts.due(LATER, 10);
            assertEquals(1, due.size());
            Map<String, String> first = new LinkedHashMap<>(Map.of("pores.meanDiameterMm", "insufficient-data"));
            assertEquals(List.of(), verdicts.settle(due.get(0), first, Map.of("areaId", "area-1"), T0.plusSeconds(2)));
            assertEquals(0, verdicts.due(LATER, 10).size(), "settled");
            assertEquals(0, count(db, "SELECT COUNT(*) FROM webhook_events"), "a first verdict is not a change");

            // A newer request made while one is being settled: the older settling (its trend may be stale: another process,
            // or an analysis that finished since) stores and tells nothing; the newer request is settled with a newer trend.
            db.jdbi().useTransaction(h -> Outbox.requestTrendCheck(h, db.dialect(), "c1", "area-1", T0.plusSeconds(3)));
            TrendVerdicts.Check older = verdicts.due(LATER, 10).get(0);
            db.jdbi().useTransaction(h -> Outbox.requestTrendCheck(h, db.dialect(), "c1", "area-1", T0.plusSeconds(4)));
            assertEquals(List.of(), verdicts.settle(older, Map.of("pores.meanDiameterMm", "stable"), Map.of("areaId", "area-1"),
                    T0.plusSeconds(5)), "a stale settling tells nothing");
            assertEquals(1, verdicts.due(LATER, 10).size(), "the newer request is still there");
            assertEquals(0, count(db, "SELECT COUNT(*) FROM webhook_events"));
            List<TrendVerdicts.Change> changes = verdicts.settle(verdicts.due(LATER, 10).get(0), Map.of("pores.meanDiameterMm", "improving"),
                    Map.of("areaId", "area-1"), T0.plusSeconds(5));
            assertEquals(List.of(new TrendVerdicts.Change("pores.meanDiameterMm", "insufficient-data", "improving")), changes);
            assertEquals(1, count(db, "SELECT COUNT(*) FROM webhook_events WHERE type = 'trend.verdict_changed'"));
            // A request not due yet (postponed after a failure) is not handed out.
            db.jdbi().useTransaction(h -> Outbox.requestTrendCheck(h, db.dialect(), "c1", "area-2", T0.plusSeconds(6)));
            verdicts.postpone(verdicts.due(LATER, 10).get(0), LATER.plusSeconds(60));
            assertEquals(0, verdicts.due(LATER, 10).size(), "postponed");
            assertEquals(1, verdicts.due(LATER.plusSeconds(60), 10).size());
            verdicts.drop(verdicts.due(LATER.plusSeconds(60), 10).get(0));
            assertEquals(1, count(db, "SELECT COUNT(*) FROM webhook_deliveries"), "only the endpoint that takes it");
            db.jdbi().useTransaction(h -> Outbox.requestTrendCheck(h, db.dialect(), "c1", "area-1", T0.plusSeconds(6)));
            assertEquals(List.of(), verdicts.settle(verdicts.due(LATER, 10).get(0), Map.of("pores.meanDiameterMm", "improving"),
                    Map.of("areaId", "area-1"), T0.plusSeconds(6)), "the same verdict again is no change");
            // A redo in progress: the check goes, the stored verdicts stay.
            db.jdbi().useTransaction(h -> Outbox.requestTrendCheck(h, db.dialect(), "c1", "area-1", T0.plusSeconds(7)));
            verdicts.settle(verdicts.due(LATER, 10).get(0), null, Map.of(), T0.plusSeconds(8));
            assertEquals(0, verdicts.due(LATER, 10).size());
            assertEquals(1, count(db, "SELECT COUNT(*) FROM trend_verdicts WHERE verdicts LIKE '%improving%'"));
        }
    }

    /** A delivery is held by one dispatcher at a time; a lost lease cannot record; an expired lease can be taken over. */
    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#kinds")
    void aDeliveryIsClaimedOnceAndRecordedOnlyByItsHolder(String kind) {
        try (TestDatabases.Opened o = TestDatabases.open(kind, temp)) {
            Database db = o.db();
            clinic(db, "c1");
            WebhookRepository hooks = new WebhookRepository(db);
            hooks.insert(new Webhook("w1", "c1", "https://hooks.example.org/", List.of("analysis.done"), "whsec_AAAA", "k", T0, null, null));
            String delivery = hooks.queueTest("c1", "w1", T0).orElseThrow();
            Optional<WebhookRepository.Due> a = hooks.claim("a", T0.plusSeconds(1), Duration.ofSeconds(30));
            assertTrue(a.isPresent());
            assertEquals(delivery, a.get().deliveryId());
            assertEquals(Optional.empty(), hooks.claim("b", T0.plusSeconds(2), Duration.ofSeconds(30)), "held by a");
            Optional<WebhookRepository.Due> b = hooks.claim("b", T0.plusSeconds(40), Duration.ofSeconds(30));
            assertTrue(b.isPresent(), "a's lease ended (it was killed): b takes it over");
            assertEquals(a.get().eventId(), b.get().eventId(), "the same webhook-id");
            assertEquals(false, hooks.delivered(delivery, "a", 200, 5, T0.plusSeconds(41)), "a lost it");
            assertTrue(hooks.attemptFailed(delivery, "b", 503, "the receiver answered 503", 5, T0.plusSeconds(42),
                    T0.plusSeconds(47), null));
            assertEquals(Optional.empty(), hooks.claim("c", T0.plusSeconds(43), Duration.ofSeconds(30)), "not due before its next attempt");
            String second = hooks.queueTest("c1", "w1", T0.plusSeconds(44)).orElseThrow();
            assertEquals(second, hooks.claim("x", T0.plusSeconds(45), Duration.ofSeconds(30)).orElseThrow().deliveryId(),
                    "the second delivery, due at once");
            assertEquals(Optional.empty(), hooks.claim("c", T0.plusSeconds(47), Duration.ofSeconds(30)),
                    "one attempt in flight an endpoint: the first waits while x holds the second");
            assertTrue(hooks.attemptFailed(second, "x", 503, "the receiver answered 503", 5, T0.plusSeconds(47), T0.plusSeconds(49), null));
            assertTrue(hooks.claim("c", T0.plusSeconds(47), Duration.ofSeconds(30)).isPresent());
            assertTrue(hooks.attemptFailed(delivery, "c", null, "no answer", 5, T0.plusSeconds(48), null, "gave up"));
            assertEquals("gave up", hooks.find("c1", "w1").orElseThrow().disabledReason());
            assertEquals(3, hooks.delivery("c1", delivery).orElseThrow().attempts(), "a, b (a's lease ended) and c: each counted");
            // Enabled again: nothing pending is lost; the failed one stays failed.
            assertTrue(hooks.update("c1", "w1", null, null, true, T0.plusSeconds(50)));
            assertTrue(hooks.find("c1", "w1").orElseThrow().enabled());
            assertEquals(1, hooks.countPending(), "the second delivery still waits");
            assertEquals(second, hooks.claim("d", T0.plusSeconds(51), Duration.ofSeconds(30)).orElseThrow().deliveryId(),
                    "its endpoint enabled again, the second is due (its retry time passed)");
            assertTrue(hooks.delivered(second, "d", 200, 5, T0.plusSeconds(52)));
            assertEquals(0, hooks.countPending());
            assertEquals(0, hooks.prune(T0), "nothing older than the retention");
            assertEquals(2, hooks.prune(T0.plusSeconds(60)), "finished events past the retention go, with their deliveries");
        }
    }
}
