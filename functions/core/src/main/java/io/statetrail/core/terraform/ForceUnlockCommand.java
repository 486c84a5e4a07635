package io.statetrail.core.terraform;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code terraform force-unlock} command that releases a lock, built only from values that cannot change its
 * meaning in a shell: the lock ID comes from the lock body, which whoever took the lock wrote.
 */
public final class ForceUnlockCommand {

    /** Terraform's lock IDs are UUIDs ({@code statemgr.LockInfo}, {@code uuid.GenerateUUID}). */
    private static final Pattern LOCK_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Workspace names Terraform accepts (letters, digits, {@code - _ .}). */
    private static final Pattern WORKSPACE = Pattern.compile("[A-Za-z0-9_.-]{1,90}");

    private ForceUnlockCommand() {
    }

    /**
     * {@code terraform force-unlock <ID>}, prefixed with {@code TF_WORKSPACE=<name>} for a state under the S3 backend's
     * default workspace prefix ({@code <bucket>/env:/<workspace>/<key>}); to be run in the configuration's directory.
     * Empty when the ID is not a UUID (a lock body someone wrote by hand, or hostile text).
     */
    public static Optional<String> of(String stateKey, String lockId) {
        if (lockId == null || !LOCK_ID.matcher(lockId).matches()) {
            return Optional.empty();
        }
        String workspace = workspace(stateKey);
        return Optional.of((workspace == null ? "" : "TF_WORKSPACE=" + workspace + " ") + "terraform force-unlock " + lockId);
    }

    static String workspace(String stateKey) {
        if (stateKey == null) {
            return null;
        }
        int at = stateKey.indexOf("/env:/");
        if (at < 0) {
            return null;
        }
        String rest = stateKey.substring(at + "/env:/".length());
        int slash = rest.indexOf('/');
        String name = slash > 0 ? rest.substring(0, slash) : null;
        return name != null && WORKSPACE.matcher(name).matches() ? name : null;
    }
}
