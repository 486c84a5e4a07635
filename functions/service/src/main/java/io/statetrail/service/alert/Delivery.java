package io.statetrail.service.alert;

import io.statetrail.core.finding.Finding;
import java.time.Instant;

/**
 * One finding to one destination ({@code sns}, {@code slack}, {@code file}). Stored with the finding before any
 * send, so a crash between store and send loses nothing and a retry never sends twice.
 */
public record Delivery(Finding finding, String destination, int attempts, Instant nextAttempt, String lastError) {
}
