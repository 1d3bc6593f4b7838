package org.dermatrend.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which addresses a webhook may reach: literal addresses only, so no lookup leaves the machine. */
class WebhookTargetsTest {

    @Test
    void onlyPublicUnicastAddressesArePublic() throws Exception {
        for (String a : List.of("127.0.0.1", "127.9.9.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "192.0.0.8", "198.18.0.1", "198.19.255.1", "224.0.0.1",
                "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1",
                "::ffff:10.0.0.1", "::127.0.0.1", "::10.0.0.5", "64:ff9b::a00:5", "64:ff9b::7f00:1", "64:ff9b:1::a00:5", "2002:a00:5::1",
                "2002:7f00:1::", "2001:0:4136:e378:8000:63bf:3fff:fdd2")) {
            assertFalse(WebhookTargets.isPublic(InetAddress.getByName(a)), a + " is not public");
        }
        for (String a : List.of("1.1.1.1", "8.8.8.8", "93.184.216.34", "100.63.255.255", "100.128.0.1", "172.15.0.1", "172.32.0.1",
                "192.0.1.1", "198.20.0.1", "2606:4700:4700::1111", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1")) {
            assertTrue(WebhookTargets.isPublic(InetAddress.getByName(a)), a + " is public");
        }
    }

    @Test
    void privateTargetsPassOnlyWhenAllowed() {
        URI loopback = URI.create("https://127.0.0.1:8443/hook");
        assertTrue(new WebhookTargets(false).refusal(loopback).orElseThrow().contains("127.0.0.1"));
        assertEquals(java.util.Optional.empty(), new WebhookTargets(true).refusal(loopback));
        assertEquals("https://app.example.org/hooks?x=1", new WebhookTargets(false).parse(" https://app.example.org/hooks?x=1 ").toString());
    }
}
