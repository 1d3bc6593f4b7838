package org.dermatrend.service;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where webhooks may be sent. A webhook makes this service send requests to an address a clinic's admin
 * chose; without a rule, that address could be the service's own network (a database, a cloud metadata
 * endpoint at 169.254.169.254, an admin port on loopback). So by default a target must be {@code https},
 * and every address its host resolves to must be public: not loopback, private (10/8, 172.16/12,
 * 192.168/16, fc00::/7), link-local, carrier-grade NAT (100.64/10), unspecified, multicast or reserved.
 * The operator lifts the rule with {@code serve --allow-private-webhook-targets} (which also allows
 * {@code http}), for receivers inside their own network and for tests.
 *
 * <p>The check runs when the endpoint is saved and again before every attempt (the name may resolve
 * elsewhere later); redirects are never followed.
 */
public final class WebhookTargets {
    /** The longest target URL accepted. */
    public static final int MAX_URL_LENGTH = 2000;

    private final boolean allowPrivate;

    public WebhookTargets(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    public boolean allowPrivate() {
        return allowPrivate;
    }

    /** The URL as stored: absolute, http(s), with a host, no user info or fragment; anything else is refused in words. */
    public URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw Failure.invalid("url", "url is required: the address webhooks are sent to, like https://app.example.org/hooks.");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw Failure.invalid("url", "url is " + url.length() + " characters; at most " + MAX_URL_LENGTH + " are accepted.");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw Failure.invalid("url", "url is not a valid address (" + e.getReason() + ").");
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw Failure.invalid("url", "url must be an absolute https address with a host, like https://app.example.org/hooks.");
        }
        if (uri.getUserInfo() != null || uri.getFragment() != null) {
            throw Failure.invalid("url", "url must not carry a user name, password or #fragment; the signature proves who sent it.");
        }
        if ("http".equals(uri.getScheme()) && !allowPrivate) {
            throw Failure.invalid("url", "url must use https: the events travel over the internet. (Plain http is accepted only "
                    + "when the service is started with --allow-private-webhook-targets.)");
        }
        return uri;
    }

    /**
     * Why the target may not be sent to now, in words, or empty when it may: its host does not resolve, or
     * resolves to an address that is not public (unless private targets are allowed).
     */
    public Optional<String> refusal(URI uri) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return Optional.of("the host " + uri.getHost() + " does not resolve");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                // A name's address is not told: an admin could otherwise map the service's internal DNS with it.
                boolean literal = uri.getHost().startsWith("[") || uri.getHost().matches("[0-9.]+");
                String where = literal ? uri.getHost() : "the host " + uri.getHost() + " resolves to an address that";
                return Optional.of(where + " is not a public address (loopback, private, link-local or reserved); webhooks go "
                        + "to public addresses unless the service is started with --allow-private-webhook-targets");
            }
        }
        return Optional.empty();
    }

    private static InetAddress v4(byte a, byte b, byte c, byte d) {
        try {
            return InetAddress.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    /** A unicast address on the public internet. */
    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240; // reserved and broadcast
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // unique local fc00::/7
                return false;
            }
            // Forms that carry an IPv4 address, which is what they reach: IPv4-compatible ::a.b.c.d (and ::ffff:a.b.c.d,
            // which Java already turns into IPv4), NAT64 64:ff9b::/96 and 64:ff9b:1::/48 (last four bytes), 6to4 2002::/16
            // (bytes 2 to 5). Teredo 2001:0::/32 hides its address: refused.
            boolean zeros = true;
            for (int i = 0; i < 10; i++) {
                zeros &= b[i] == 0;
            }
            boolean mapped = zeros && ((b[10] == 0 && b[11] == 0) || ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff));
            boolean nat64 = first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
            if (mapped || nat64) {
                return isPublic(v4(b[12], b[13], b[14], b[15]));
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x02) {
                return isPublic(v4(b[2], b[3], b[4], b[5]));
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0 && b[3] == 0) {
                return false;
            }
        }
        return true;
    }
}
