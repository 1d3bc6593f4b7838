package org.dermatrend.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import org.dermatrend.service.Failure;

/**
 * Failed authentications per client address: after {@code maxFailures} unknown or revoked keys within a
 * minute, the address gets 429 {@code too-many-requests} (with {@code Retry-After}) for every request
 * until the minute has passed, valid key or not, so keys cannot be tried faster than that. An API key has
 * 256 random bits, so this bounds load and makes an attack visible (the 429s are counted in
 * {@code dermatrend_http_problems_total}) rather than protecting a guessable secret. At most
 * {@value #MAX_ADDRESSES} addresses are tracked, each for ten minutes after its last failure.
 */
final class AuthThrottle {
    static final int MAX_ADDRESSES = 100_000;

    private final RateLimiterConfig config;
    private final Cache<String, AtomicRateLimiter> byAddress = Caffeine.newBuilder().maximumSize(MAX_ADDRESSES)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    /** @param maxFailures failed authentications per minute and address before it is refused */
    AuthThrottle(int maxFailures) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("the failed-authentication limit must be at least 1, got " + maxFailures);
        }
        this.config = RateLimiterConfig.custom().limitForPeriod(maxFailures).limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO).build();
    }

    /** Refuses an address that has used up its failures for this minute (before its key is looked at). */
    void check(String address) {
        AtomicRateLimiter limiter = byAddress.getIfPresent(address);
        if (limiter != null && limiter.getDetailedMetrics().getAvailablePermissions() <= 0) {
            long seconds = Math.max(1, (limiter.getDetailedMetrics().getNanosToWait() + 999_999_999L) / 1_000_000_000L);
            throw Failure.tooManyRequests("Too many requests with unknown or revoked API keys from your address; try again in "
                    + seconds + " s with a valid key ('Authorization: Bearer KEY').", (int) Math.min(60, seconds));
        }
    }

    /** Counts a failed authentication from the address. */
    void failed(String address) {
        byAddress.get(address, a -> new AtomicRateLimiter("auth-" + a, config)).acquirePermission();
    }
}
