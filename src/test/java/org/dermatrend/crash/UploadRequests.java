package org.dermatrend.crash;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** The upload request of the tests that drive a {@code serve} process over plain HTTP: a photo and its area, multipart. */
public final class UploadRequests {
    private UploadRequests() {
    }

    /** {@code POST BASE/v1/sessions/SESSION/photos} with the photo and {@code areaId}, the key, and the timeout; ready to send. */
    public static HttpRequest.Builder upload(String base, String key, String session, String area, byte[] photo, Duration timeout) {
        String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream mp = new ByteArrayOutputStream();
        mp.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.jpg\"\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        mp.writeBytes(photo);
        mp.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"areaId\"\r\n\r\n" + area
                + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return HttpRequest.newBuilder(URI.create(base + "/v1/sessions/" + session + "/photos"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(timeout).POST(HttpRequest.BodyPublishers.ofByteArray(mp.toByteArray()));
    }
}
