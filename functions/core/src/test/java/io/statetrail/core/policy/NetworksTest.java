package io.statetrail.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inet.ipaddr.IPAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy's {@code networks} and how CloudTrail's {@code sourceIPAddress} is read against them. */
class NetworksTest {

    private static IPAddress ip(String s) {
        return Networks.address(s).orElseThrow(() -> new AssertionError("not read as an address: " + s));
    }

    @Test
    void ipv4AndIpv6BlocksContainTheirAddressesOnly() {
        Networks n = Networks.of(List.of("52.28.113.40/29", "2001:db8::/48", "198.51.100.7"));

        assertTrue(n.contains(ip("52.28.113.40")));
        assertTrue(n.contains(ip("52.28.113.47")));
        assertFalse(n.contains(ip("52.28.113.48")));
        assertFalse(n.contains(ip("52.28.113.39")));
        assertTrue(n.contains(ip("2001:db8:0:ffff::1")));
        assertTrue(n.contains(ip("2001:0db8:0000::abcd")), "IPv6 written with leading zeros");
        assertFalse(n.contains(ip("2001:db8:1::1")));
        assertTrue(n.contains(ip("198.51.100.7")), "a bare address is a block of one");
        assertFalse(n.contains(ip("198.51.100.8")));
        assertTrue(n.contains(ip("::ffff:52.28.113.41")), "IPv4-mapped IPv6 is the IPv4 address");
        assertFalse(Networks.NONE.contains(ip("52.28.113.41")));
        assertEquals(List.of("52.28.113.40/29", "2001:db8::/48", "198.51.100.7"), n.cidrs());
    }

    @Test
    void entriesThatAreNoBlockOrHaveHostBitsAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Networks.of(List.of("52.28.113.44/24"))).getMessage()
                .contains("did you mean 52.28.113.0/24"));
        for (String bad : List.of("", "office", "52.28.113.0/33", "2001:db8::/129", "10.0.0.*", "10.0.0.1-5", "0x7f.1", "1.2.3")) {
            assertThrows(IllegalArgumentException.class, () -> Networks.of(List.of(bad)), bad);
        }
    }

    @Test
    void onlyLiteralsAreAddressesNeverServiceNamesOrHostileText() {
        for (String notAnAddress : List.of("s3.amazonaws.com", "AWS Internal", "cloudformation.amazonaws.com", "localhost",
                "10.0.0.1/8", "", "<script>", "1.2.3.4 ; rm -rf /", "0x7f.1", "127.1", "2130706433", "01.02.03.04",
                "x".repeat(100))) {
            assertTrue(Networks.address(notAnAddress).isEmpty(), notAnAddress);
        }
        assertTrue(Networks.address(null).isEmpty());
        assertEquals("2001:db8::1", ip("2001:DB8:0::1").toCanonicalString());
    }

    @Test
    void privateSharedLoopbackLinkLocalAndMulticastAreNotPublic() {
        for (String p : List.of("10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.1", "100.64.0.1", "127.0.0.1",
                "169.254.169.254", "0.0.0.0", "224.0.0.251", "255.255.255.255", "::1", "::", "fd12:3456::1", "fe80::1", "ff02::1",
                "::ffff:10.0.0.1")) {
            assertFalse(Networks.isPublic(ip(p)), p);
        }
        for (String p : List.of("20.169.43.118", "52.28.113.41", "172.32.0.1", "100.128.0.1", "2a01:111:f400::1",
                "192.0.2.10", "198.51.100.7", "203.0.113.9", "2001:db8::1")) {
            assertTrue(Networks.isPublic(ip(p)), p);
        }
    }
}
