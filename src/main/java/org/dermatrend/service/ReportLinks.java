package org.dermatrend.service;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring links to an area's report that need no API key: the token carries the clinic, the
 * area and the expiry, and an HMAC-SHA256 of them under the service's secret. Anyone holding the link
 * can read that one report until it expires; nothing else. A changed secret voids every link.
 */
public final class ReportLinks {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder D64 = Base64.getUrlDecoder();

    private final byte[] secret;
    private final Clock clock;

    public ReportLinks(byte[] secret, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the link secret must be at least 32 bytes");
        }
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** What a valid token grants. */
    public record Grant(String clinicId, String areaId, Instant expiresAt) {
    }

    public record Link(String token, Instant expiresAt) {
    }

    public Link sign(String clinicId, String areaId, Duration validFor) {
        Instant expires = clock.instant().plus(validFor).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String payload = clinicId + "|" + areaId + "|" + expires.getEpochSecond();
        String token = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(mac(payload));
        return new Link(token, expires);
    }

    /** The grant of a genuine, unexpired token; empty for anything else. */
    public Optional<Grant> verify(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot < 1 || token.length() > 512) {
            return Optional.empty();
        }
        try {
            String payload = new String(D64.decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(mac(payload), D64.decode(token.substring(dot + 1)))) {
                return Optional.empty();
            }
            String[] parts = payload.split("\\|");
            if (parts.length != 3) {
                return Optional.empty();
            }
            Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[2]));
            return clock.instant().isBefore(expires) ? Optional.of(new Grant(parts[0], parts[1], expires)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
