package io.statetrail.store.dynamodb;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Key and time formats of the audit table. */
final class Keys {

    /** Fixed width (always milliseconds), so that times sort as text; CloudTrail has whole seconds. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuu-MM").withZone(ZoneOffset.UTC);

    static final String STATE = "STATE#";
    static final String SESSION = "SESSION#";
    /** Sort key of a session's item: one per issued key, so a page of sessions is one BatchGetItem. */
    static final String SESSION_SK = "SESSION";
    static final String RUN_SUMMARY = "RUNSUM#";
    static final String RUN_SUMMARY_SK = "SUMMARY";
    static final String DENIED = "DENIED#";
    static final String FAILED = "FAILED#";
    static final String ROLE = "ROLE#";
    static final String CALL_SK = "T#";
    static final String LOCK_SK = "LOCK#";
    static final String LOCKINFO_SK = "LOCKINFO#";
    static final String FINDING = "FINDING#";
    static final String FINDING_SK = "FINDING";
    static final String DELIVERY_SK = "DELIVERY#";
    static final String PENDING = "PENDING#";
    static final String ALERTED = "ALERTED#";
    static final String BULK = "BULK#";
    static final String BULK_SK = "BULK";
    /** Issue 19: a store's changes (by {@code StoreChange.storeRef()}), a lock table's lock calls, the catalogue, the watches. */
    static final String STORE = "STORE#";
    static final String LOCK_TABLE = "LOCKTABLE#";
    static final String CATALOGUE = "CATALOGUE#";
    static final String CATALOGUE_SK = "KNOWN";
    static final String BUCKET_STATES = "BUCKETSTATES#";
    static final String STORE_WATCH = "STOREWATCH#";
    static final String STORE_WATCH_SK = "WATCH";
    /**
     * Issue 15: a finding's status history and the notices announcing its changes; a partition apart from the finding's
     * so that the analyst's policy may write these items and nothing else ({@code dynamodb:LeadingKeys}).
     */
    static final String STATUS = "STATUS#";
    static final String STATUS_SK = "STATUS";
    /** Notices of a status change: {@code status-N}, stored under {@link #STATUS}. */
    static final String STATUS_NOTICE = "status-";

    // index partitions
    static final String BY_KEY = "KEY#";
    static final String BY_EVENT = "EVENT#";
    static final String BY_PRINCIPAL_ID = "PID#";
    static final String BY_ARN = "ARN#";
    static final String BY_REPO = "REPO#";
    static final String BY_SUBJECT = "SUBJECT#";
    static final String BY_ROLE_ID = "ROLEID#";
    static final String RUNS = "RUNS#";
    static final String RUN = "RUN#";
    static final String OPEN_LOCKS = "OPENLOCK";
    static final String ALERTED_LOCKS = "ALERTEDLOCK";
    static final String SEVERITY = "SEV#";
    static final String SCOPE = "SCOPE#";
    static final String RUN_FINDINGS = "RUNF#";
    static final String DUE = "DUE";
    static final String PENDING_INDEX = "PENDING";
    static final String BULK_PENDING = "BULKPENDING";
    /** gsi1 of store watches not resolved: never checked first ({@code 0#}), then by when last checked. */
    static final String OPEN_STORES = "OPENSTORES";
    /** gsi2 of lock items: the locks of one bucket. */
    static final String BUCKET = "BUCKET#";

    private Keys() {
    }

    static String time(Instant t) {
        return t == null ? null : TIME.format(t);
    }

    static Instant instant(String t) {
        return t == null ? null : Instant.parse(t);
    }

    static String month(Instant t) {
        return MONTH.format(t);
    }

    /** Sort key of a call: time first, so partitions read as timelines. */
    static String callSk(Instant time, String callKey) {
        return CALL_SK + time(time) + "#" + callKey;
    }

    static String timeSk(Instant time, String rest) {
        return time(time) + "#" + rest;
    }
}
