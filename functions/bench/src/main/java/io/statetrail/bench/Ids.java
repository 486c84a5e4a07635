package io.statetrail.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

/** Identifiers and values shaped like CloudTrail's, drawn from a seeded generator. */
final class Ids {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter EXPIRATION = DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter DAY_PATH = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private Ids() {
    }

    static String uuid(SplittableRandom r) {
        StringBuilder b = new StringBuilder(36);
        hex(b, r, 8).append('-');
        hex(b, r, 4).append('-').append('4');
        hex(b, r, 3).append('-').append(HEX[8 + r.nextInt(4)]);
        hex(b, r, 3).append('-');
        hex(b, r, 12);
        return b.toString();
    }

    static String hex(SplittableRandom r, int n) {
        return hex(new StringBuilder(n), r, n).toString();
    }

    private static StringBuilder hex(StringBuilder b, SplittableRandom r, int n) {
        for (int i = 0; i < n; i++) {
            b.append(HEX[r.nextInt(16)]);
        }
        return b;
    }

    static String upper(SplittableRandom r, int n) {
        return pick(r, n, UPPER_ALNUM);
    }

    static String alnum(SplittableRandom r, int n) {
        return pick(r, n, ALNUM);
    }

    static String base32(SplittableRandom r, int n) {
        return pick(r, n, BASE32);
    }

    static String base64(SplittableRandom r, int n) {
        return pick(r, n, B64);
    }

    private static String pick(SplittableRandom r, int n, char[] alphabet) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return new String(c);
    }

    /** Session keys carry an account-specific middle part, as in real keys (ASIA + 16 base32 characters). */
    static String sessionKey(SplittableRandom r, String account) {
        return "ASIA" + Accounts.keyPart(account) + base32(r, 8);
    }

    static String userKey(SplittableRandom r, String account) {
        return "AKIA" + Accounts.keyPart(account) + base32(r, 8);
    }

    static String roleId(SplittableRandom r, String account) {
        return "AROA" + Accounts.keyPart(account) + base32(r, 9);
    }

    static String userId(SplittableRandom r, String account) {
        return "AIDA" + Accounts.keyPart(account) + base32(r, 9);
    }

    static String s3RequestId(SplittableRandom r) {
        return upper(r, 16);
    }

    static String dynamoRequestId(SplittableRandom r) {
        return upper(r, 52);
    }

    static String amzId2(SplittableRandom r) {
        return base64(r, 76);
    }

    /** STS session tokens are logged; fake but realistically long. */
    static String sessionToken(SplittableRandom r) {
        return "IQoJb3JpZ2luX2Vj" + base64(r, 600 + r.nextInt(200)) + "==";
    }

    static String instanceId(SplittableRandom r) {
        return "i-0" + hex(r, 16);
    }

    /** GitHub-hosted runners come from Azure ranges. */
    static String runnerIp(SplittableRandom r) {
        int[] firsts = {4, 13, 20, 40, 52, 172};
        return firsts[r.nextInt(firsts.length)] + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    static String privateIp(SplittableRandom r) {
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    static String publicIp(SplittableRandom r) {
        return (3 + r.nextInt(200)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    static String time(Instant t) {
        return EVENT_TIME.format(t);
    }

    static <T> T pick(SplittableRandom r, T[] options) {
        return options[r.nextInt(options.length)];
    }
}
