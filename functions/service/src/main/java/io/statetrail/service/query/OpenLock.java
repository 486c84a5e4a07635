package io.statetrail.service.query;

import java.time.Instant;

/** A lock held now (acquired, release not seen), with who holds it. */
public record OpenLock(
        String stateKey,
        String lockStore,
        Instant acquiredAt,
        String holderRunKey,
        String holderAccessKeyId,
        String subject,
        String repository,
        String acquiredEventId,
        LockDetails details) {
}
