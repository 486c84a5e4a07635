package io.statetrail.service.query;

import java.time.Instant;

/**
 * One entry of a timeline: a login, a role hop, a state read/write/delete, a lock or unlock.
 *
 * @param kind  {@code login}, {@code assume-role}, {@code assume-role-failed}, {@code read}, {@code write},
 *              {@code delete}, {@code lock}, {@code unlock}, {@code trust-policy-change}
 * @param lock  holder details for lock entries, when the lock body was read
 */
public record Activity(
        Instant time,
        String kind,
        String stateKey,
        String lockStore,
        String accessKeyId,
        String runKey,
        String subject,
        String repository,
        String roleArn,
        String account,
        String eventId,
        String errorCode,
        LockDetails lock) {
}
