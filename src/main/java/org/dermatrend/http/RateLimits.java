package org.dermatrend.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.LongFunction;
import org.dermatrend.service.Failure;

/**
 * The API's request-rate limits, one mechanism for three budgets. Each is N events a minute per name,
 * counted by a resilience4j rate limiter per name in fixed one-minute windows (the first window starts
 * with the name's first event): the N may all come at once, which is the burst allowance, and then the
 * name waits for the window's end, which {@code Retry-After} says in seconds (1 to 60).
 * <ul>
 *   <li>{@code address}: every request from a client address except the {@code /health/*} probes, with or
 *       without a key, checked before anything else is done for it;</li>
 *   <li>{@code auth_failures}: unknown or revoked keys sent from an address; once they are used up, every
 *       request from it that takes a key is refused until the window ends, valid key or not, so keys cannot
 *       be tried faster than that (a key has 256 random bits: this bounds load and makes a key-guessing run
 *       visible rather than protecting a guessable secret);</li>
 *   <li>{@code key}: every authenticated request of an API key, checked as soon as the key is known.</li>
 * </ul>
 * A refusal is a 429 {@code too-many-requests} problem, counted in
 * {@code dermatrend_http_rate_limited_total{limit}} by the budget that refused it (like every error answer it
 * is also one of {@code dermatrend_http_problems_total{status="429",code="too-many-requests"}}, which does not
 * say which limit it was). Each budget tracks at most {@value #MAX_TRACKED} names, each forgotten ten minutes
 * after its last event (a forgotten name starts with a full window, which it would have had by then anyway).
 */
final class RateLimits {
    static final int MAX_TRACKED = 100_000;

    private final Budget perAddress;
    private final Budget authFailures;
    private final Budget perKey;

    /**
     * @param keyRequestsPerMinute     requests a minute one API key may make
     * @param addressRequestsPerMinute requests a minute one client address may make
     * @param authFailuresPerMinute    unknown or revoked keys one client address may send a minute
     */
    RateLimits(int keyRequestsPerMinute, int addressRequestsPerMinute, int authFailuresPerMinute, MeterRegistry meters) {
        this.perKey = new Budget("key", keyRequestsPerMinute, meters);
        this.perAddress = new Budget("address", addressRequestsPerMinute, meters);
        this.authFailures = new Budget("auth_failures", authFailuresPerMinute, meters);
    }

    /** Counts a request from the address, refusing it once the address has made its requests for this minute. */
    void request(String address) {
        perAddress.spend(address, seconds -> "Your address has sent " + perAddress.perMinute + " requests this minute, its "
                + "limit: slow down, and try again in " + seconds + " s. If many clients share this address (a proxy, a clinic "
                + "network), ask the service's administrator for a higher limit (serve --rate-per-address).");
    }

    /** Refuses an address that has used up its failed authentications for this minute (before its key is looked at). */
    void checkAuthFailures(String address) {
        authFailures.check(address, seconds -> "Too many requests with unknown or revoked API keys from your address; try "
                + "again in " + seconds + " s with a valid key ('Authorization: Bearer KEY').");
    }

    /** Counts a failed authentication from the address (the requests after its last one are refused). */
    void authFailed(String address) {
        authFailures.count(address);
    }

    /** Counts a request of the key (its id), refusing it once the key has made its requests for this minute. */
    void keyRequest(String keyId) {
        perKey.spend(keyId, seconds -> "This API key has made " + perKey.perMinute + " requests this minute, its limit: slow "
                + "down, and try again in " + seconds + " s. If your application needs more, ask the service's administrator "
                + "for a higher limit (serve --rate-per-key).");
    }

    /** N events a minute per name. */
    private static final class Budget {
        private final String limit;
        private final int perMinute;
        private final RateLimiterConfig config;
        private final Counter refused;
        private final Cache<String, AtomicRateLimiter> byName = Caffeine.newBuilder().maximumSize(MAX_TRACKED)
                .expireAfterAccess(Duration.ofMinutes(10)).build();

        /** @param perMinute at least 1 (ApiServer.Settings checks) */
        Budget(String limit, int perMinute, MeterRegistry meters) {
            this.limit = limit;
            this.perMinute = perMinute;
            this.config = RateLimiterConfig.custom().limitForPeriod(perMinute).limitRefreshPeriod(Duration.ofMinutes(1))
                    .timeoutDuration(Duration.ZERO).build();
            this.refused = Counter.builder("dermatrend.http.rate_limited")
                    .description("Requests refused with 429 by a request-rate limit, by limit (key, address, auth_failures)")
                    .tag("limit", limit).register(meters);
        }

        /** Takes one of the name's events for this minute, or refuses the request when it has none left. */
        void spend(String name, LongFunction<String> detail) {
            AtomicRateLimiter limiter = limiter(name);
            if (!limiter.acquirePermission()) {
                throw refuse(limiter, detail);
            }
        }

        /** Refuses the request while the name has no events left this minute, taking none. */
        void check(String name, LongFunction<String> detail) {
            AtomicRateLimiter limiter = byName.getIfPresent(name);
            if (limiter != null && limiter.getDetailedMetrics().getAvailablePermissions() <= 0) {
                throw refuse(limiter, detail);
            }
        }

        /** Takes one of the name's events for this minute if it has one left, refusing nothing. */
        void count(String name) {
            limiter(name).acquirePermission();
        }

        private AtomicRateLimiter limiter(String name) {
            return byName.get(name, n -> new AtomicRateLimiter(limit, config));
        }

        /** The 429 for a name that has used its events, counted; {@code detail} is given the seconds to wait. */
        private Failure refuse(AtomicRateLimiter limiter, LongFunction<String> detail) {
            refused.increment();
            long seconds = secondsToWait(limiter);
            return Failure.tooManyRequests(detail.apply(seconds), (int) seconds);
        }

        private static long secondsToWait(AtomicRateLimiter limiter) {
            long nanos = limiter.getDetailedMetrics().getNanosToWait();
            return Math.min(60, Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
        }
    }
}
