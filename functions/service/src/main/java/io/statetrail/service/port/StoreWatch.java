package io.statetrail.service.port;

import java.time.Instant;

/**
 * A store a finding says was weakened (issue 19), watched by the sweeper until it is restored: what the finding is about,
 * where the store is, and what the sweeper saw of it when it last looked.
 *
 * @param findingId    the finding
 * @param store        {@code bucket}, {@code table} or {@code key}
 * @param name         bucket name, table name or key ARN
 * @param setting      what the change weakened: {@code versioning}, {@code ttl}, {@code point-in-time-recovery},
 *                     {@code deletion-protection}, {@code table}, {@code key-state}, {@code key-deletion}…
 * @param account      account that owns the store
 * @param region       region of the store
 * @param raisedAt     when the weakening change happened
 * @param checkedAt    when the sweeper last looked; null before
 * @param stillWeak    what it saw: still weakened, no longer, or null when it could not tell
 * @param verification what it saw, in words
 * @param resolvedAt   when it found the store restored (the resolved notice went out); null while it is not
 */
public record StoreWatch(String findingId, String store, String name, String setting, String account, String region,
                         Instant raisedAt, Instant checkedAt, Boolean stillWeak, String verification, Instant resolvedAt) {

    /** The same watch with what the sweeper saw. */
    public StoreWatch checked(Instant at, Boolean weak, String what, Instant resolved) {
        return new StoreWatch(findingId, store, name, setting, account, region, raisedAt, at, weak, what, resolved);
    }
}
