package io.statetrail.core.cloudtrail;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of DynamoDB's PartiQL to see which lock item an {@code ExecuteStatement} writes. CloudTrail logs the
 * statement with non-key values redacted ({@code ***(Redacted)}) and key values kept (DynamoDB Developer Guide,
 * "Understanding DynamoDB log file entries"), so {@code DELETE FROM "locks" WHERE "LockID" = 'bucket/key'} names its
 * item; a parameterised one ({@code = ?}) does not.
 */
final class PartiQl {

    /** @param table the table written (null when it cannot be read); @param lockId null when the statement names none */
    record Write(String table, String lockId, boolean delete) {
    }

    private static final Pattern VERB = Pattern.compile("^\\s*(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+", Pattern.CASE_INSENSITIVE);
    private static final Pattern QUOTED_TABLE = Pattern.compile("^\"((?:[^\"]|\"\")++)\"");
    private static final Pattern BARE_TABLE = Pattern.compile("^([A-Za-z0-9_.\\-]++)");
    /** INSERT … VALUE {'LockID': 'value', …}: attribute names are single- or double-quoted. */
    private static final Pattern INSERTED = Pattern.compile("['\"]LockID['\"]\\s*+:\\s*+'((?:[^']|'')*+)'");
    /** … WHERE "LockID" = 'value' (or LockID unquoted). */
    private static final Pattern WHERE = Pattern.compile("(?:\"LockID\"|(?<![A-Za-z0-9_\"'])LockID(?![A-Za-z0-9_\"']))\\s*+=\\s*+'((?:[^']|'')*+)'");

    private PartiQl() {
    }

    /** The write a statement makes; null for reads (SELECT, EXISTS) and anything that is not a write statement. */
    static Write write(String statement) {
        if (statement == null) {
            return null;
        }
        Matcher verb = VERB.matcher(statement);
        if (!verb.find()) {
            return null;
        }
        String kind = verb.group(1).toUpperCase(Locale.ROOT);
        String rest = statement.substring(verb.end());
        String table = null;
        Matcher q = QUOTED_TABLE.matcher(rest);
        Matcher b = BARE_TABLE.matcher(rest);
        if (q.find()) {
            table = q.group(1).replace("\"\"", "\"");
            rest = rest.substring(q.end());
        } else if (b.find()) {
            table = b.group(1);
            rest = rest.substring(b.end());
        }
        Matcher id = (kind.startsWith("INSERT") ? INSERTED : WHERE).matcher(rest);
        String lockId = id.find() ? id.group(1).replace("''", "'") : null;
        return new Write(table, lockId, kind.startsWith("DELETE"));
    }
}
