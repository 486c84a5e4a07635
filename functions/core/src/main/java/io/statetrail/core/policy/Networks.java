package io.statetrail.core.policy;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The policy's {@code networks}: IPv4 and IPv6 blocks (CIDR) from which any run may call, such as self-hosted
 * runners, NAT egress or a corporate proxy. Also reads the addresses CloudTrail logs in {@code sourceIPAddress}, as
 * literals only (never a name lookup: that field also holds service names such as {@code s3.amazonaws.com}), and says
 * which of them are public.
 */
public final class Networks {

    public static final Networks NONE = new Networks(List.of(), List.of());

    /** Plain literals: no inet_aton forms ({@code 0x7f.1}), no single numbers, no wildcards, ranges or masks. */
    private static final IPAddressStringParameters LITERAL = params(false);
    private static final IPAddressStringParameters CIDR = params(true);

    /**
     * Blocks that are never a caller's public address: "this network", private (RFC 1918), shared (RFC 6598, carrier NAT),
     * loopback, link-local, multicast and reserved; IPv6 unspecified, loopback, unique local (fc00::/7), link-local and
     * multicast. Documentation blocks (192.0.2.0/24, 2001:db8::/32…) are left public: they stand in for public
     * addresses in examples and tests, and never occur in a real trail.
     */
    private static final List<IPAddress> NOT_PUBLIC = blocks("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8");

    private final List<String> cidrs;
    private final List<IPAddress> blocks;

    private Networks(List<String> cidrs, List<IPAddress> blocks) {
        this.cidrs = List.copyOf(cidrs);
        this.blocks = List.copyOf(blocks);
    }

    /**
     * @throws IllegalArgumentException naming the entry that is not an address or a CIDR block, or that has host bits set
     *                                  (a typo there would silently allow a whole network)
     */
    public static Networks of(List<String> cidrs) {
        List<IPAddress> blocks = new ArrayList<>();
        for (String c : cidrs) {
            blocks.add(block(c));
        }
        return new Networks(cidrs, blocks);
    }

    static IPAddress block(String text) {
        String trimmed = text == null ? "" : text.trim();
        IPAddressString parsed = new IPAddressString(trimmed, CIDR);
        IPAddress a;
        IPAddress host;
        try {
            a = parsed.toAddress();
            host = parsed.getHostAddress();
        } catch (AddressStringException | RuntimeException e) {
            a = null;
            host = null;
        }
        if (a == null || host == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 CIDR block such as 52.28.113.40/29 or 2001:db8::/48");
        }
        if (!a.isPrefixed()) {
            return a; // one address
        }
        IPAddress network = a.toPrefixBlock();
        if (!host.equals(network.getLower().withoutPrefixLength())) {
            throw new IllegalArgumentException("'" + text + "' has host bits set: did you mean " + network.toCanonicalString() + "?");
        }
        return network;
    }

    /** The entries as written in the policy. */
    public List<String> cidrs() {
        return cidrs;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Whether this address (as {@link #address} reads it) lies in one of the blocks. */
    public boolean contains(IPAddress address) {
        if (address == null) {
            return false;
        }
        for (IPAddress b : blocks) {
            if (b.getIPVersion() == address.getIPVersion() && b.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An IP literal as CloudTrail logs it in {@code sourceIPAddress}; IPv4-mapped IPv6 ({@code ::ffff:192.0.2.1}) is read as
     * the IPv4 address. Empty for anything else: service names ({@code s3.amazonaws.com}), {@code AWS Internal}, hostile text.
     */
    public static Optional<IPAddress> address(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        IPAddress a = new IPAddressString(text, LITERAL).getAddress();
        if (a == null || a.isPrefixed() || a.isMultiple()) {
            return Optional.empty();
        }
        if (a.isIPv6() && a.toIPv6().isIPv4Mapped()) {
            a = a.toIPv6().getEmbeddedIPv4Address();
        }
        return Optional.of(a);
    }

    /** A globally routable address: not private, shared, loopback, link-local, multicast or reserved. */
    public static boolean isPublic(IPAddress address) {
        for (IPAddress b : NOT_PUBLIC) {
            if (b.getIPVersion() == address.getIPVersion() && b.contains(address)) {
                return false;
            }
        }
        return true;
    }

    private static List<IPAddress> blocks(String... cidrs) {
        List<IPAddress> out = new ArrayList<>();
        for (String c : cidrs) {
            out.add(new IPAddressString(c, CIDR).getAddress().toPrefixBlock());
        }
        return out;
    }

    private static IPAddressStringParameters params(boolean prefix) {
        IPAddressStringParameters.Builder b = new IPAddressStringParameters.Builder()
                .allowEmpty(false).allowAll(false).allowSingleSegment(false).allowMask(false).allowPrefixOnly(false)
                .allowPrefix(prefix).allowWildcardedSeparator(false).allow_inet_aton(false)
                .setRangeOptions(IPAddressStringParameters.RangeParameters.NO_RANGE);
        b.getIPv4AddressParametersBuilder().allowLeadingZeros(false).allowPrefixesBeyondAddressSize(false);
        b.getIPv6AddressParametersBuilder().allowLeadingZeros(true).allowPrefixesBeyondAddressSize(false);
        return b.toParams();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Networks n && n.cidrs.equals(cidrs);
    }

    @Override
    public int hashCode() {
        return cidrs.hashCode();
    }

    @Override
    public String toString() {
        return cidrs.toString();
    }
}
