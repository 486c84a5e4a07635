package io.statetrail.service.query;

/**
 * Terraform's lock body ({@code LockInfo}), which CloudTrail never shows: read from the lock table item's {@code Info}
 * or the {@code .tflock} object while the lock exists. {@code who} is attacker-controllable text ({@code user@host}).
 */
public record LockDetails(String id, String operation, String who, String version, String created, String path) {
}
