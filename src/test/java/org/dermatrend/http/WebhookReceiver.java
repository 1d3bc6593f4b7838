package org.dermatrend.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback for tests: it records every request, checks its signature twice (with
 * the Standard Webhooks library, and by hand from the specification: base64 HMAC-SHA256 keyed with the
 * decoded secret over {@code id.timestamp.body}), and answers with the status it is told to, after the
 * delay it is told to. It can be taken down (connections refused) and brought back on the same port.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    public record Received(String webhookId, String timestamp, String signature, String body, JsonNode event, Instant at,
                           boolean verifiedByLibrary, boolean verifiedByHand) {
        public String type() {
            return event.path("type").asText();
        }

        public JsonNode data() {
            return event.path("data");
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private volatile String secret;
    private volatile int status = 200;
    private volatile long delayMillis;
    private volatile boolean stallBody;
    private int port;
    private HttpServer server;

    public WebhookReceiver() throws IOException {
        up();
    }

    /** Listens (again) on loopback; the same port as before when it was up already once. */
    public synchronized void up() throws IOException {
        if (server != null) {
            return;
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        port = server.getAddress().getPort();
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** Stops listening: connections are refused until {@link #up}. */
    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/hooks/dermatrend";
    }

    public void secret(String s) {
        this.secret = s;
    }

    /** The status of the next answers. */
    public void answer(int s) {
        this.status = s;
    }

    /** How long each answer waits. */
    public void delay(long millis) {
        this.delayMillis = millis;
    }

    /** Whether answers send their headers and then a body that never ends (one byte, then nothing for 30 s). */
    public void stallBody(boolean stall) {
        this.stallBody = stall;
    }

    /** Requests being answered now. */
    public int inFlight() {
        return inFlight.get();
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    private void handle(HttpExchange ex) throws IOException {
        inFlight.incrementAndGet();
        try (ex) {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, List<String>> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            String id = first(headers, "webhook-id");
            String ts = first(headers, "webhook-timestamp");
            String sig = first(headers, "webhook-signature");
            boolean byLibrary;
            try {
                new com.standardwebhooks.Webhook(secret).verify(body, headers);
                byLibrary = true;
            } catch (Exception e) {
                byLibrary = false;
            }
            JsonNode event;
            try {
                event = JSON.readTree(body);
            } catch (IOException e) {
                event = JSON.createObjectNode();
            }
            received.add(new Received(id, ts, sig, body, event, Instant.now(), byLibrary, byHand(secret, id, ts, body, sig)));
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (stallBody) {
                ex.sendResponseHeaders(status, 0); // chunked: a body follows
                ex.getResponseBody().write('x');
                ex.getResponseBody().flush();
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            ex.sendResponseHeaders(status, -1);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The specification's check, written from it: any of the space-separated v1 signatures matches. */
    static boolean byHand(String secret, String id, String timestamp, String body, String signatures) {
        if (secret == null || id == null || timestamp == null || signatures == null || !secret.startsWith("whsec_")) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String s : signatures.split(" ")) {
                if (s.startsWith("v1,") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(s.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        down();
        pool.shutdownNow();
    }
}
