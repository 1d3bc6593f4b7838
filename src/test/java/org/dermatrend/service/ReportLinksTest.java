package org.dermatrend.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReportLinksTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private static ReportLinks at(Instant now, byte[] secret) {
        return new ReportLinks(secret, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aLinkGrantsItsAreaUntilItExpires() {
        ReportLinks.Link link = at(T0, SECRET).sign("clinic-1", "area-9", Duration.ofHours(72));
        assertEquals(T0.plus(Duration.ofHours(72)), link.expiresAt());
        ReportLinks.Grant g = at(T0.plus(Duration.ofHours(71)), SECRET).verify(link.token()).orElseThrow();
        assertEquals("clinic-1", g.clinicId());
        assertEquals("area-9", g.areaId());
        assertTrue(at(T0.plus(Duration.ofHours(72)), SECRET).verify(link.token()).isEmpty(), "expired");
    }

    @Test
    void aForgedOrAlteredTokenGrantsNothing() {
        String token = at(T0, SECRET).sign("clinic-1", "area-9", Duration.ofHours(1)).token();
        byte[] other = Arrays.copyOf(SECRET, 32);
        other[0] ^= 1;
        assertTrue(at(T0, other).verify(token).isEmpty(), "another secret");
        String payload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("clinic-2|area-9|9999999999".getBytes());
        assertTrue(at(T0, SECRET).verify(payload + token.substring(token.indexOf('.'))).isEmpty(), "payload swapped");
        assertTrue(at(T0, SECRET).verify("garbage").isEmpty());
        assertTrue(at(T0, SECRET).verify(null).isEmpty());
        assertTrue(at(T0, SECRET).verify("a.b.c").isEmpty());
    }
}
