package io.statetrail.core.finding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Finding ids derived from what the finding is about, so re-delivered or re-evaluated evidence never duplicates one. */
public final class FindingIds {
    private FindingIds() {
    }

    public static String of(FindingType type, String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(type.id().getBytes(StandardCharsets.UTF_8));
            for (String part : parts) {
                sha.update((byte) 0);
                sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
            }
            return type.id() + "-" + HexFormat.of().formatHex(sha.digest(), 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
