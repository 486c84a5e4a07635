package io.statetrail.service.alert;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.port.AlertSink;
import io.statetrail.service.port.Deliveries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sends due deliveries: groups findings of the same type and key within the window into one alert with a count,
 * sends to each sink, records the outcome; failed sends are retried later with backoff, and a delivered finding is
 * never sent to the same destination again.
 *
 * <p>Every finding was stored with one delivery per destination before anything is sent (the ingestor queues them),
 * so a crash at any point loses nothing: a delivery that was not recorded as delivered is due again. Before sending,
 * the dispatcher records an attempt on each delivery (a claim that holds it for {@link #CLAIM_LEASE}), so a second
 * dispatcher running at the same time, which read the same due deliveries, loses the conditional write and skips
 * them instead of sending them a second time.
 *
 * <p>A page (or {@code updated} follow-up) of a provisional finding is not sent before its evidence has settled
 * ({@link Settle}); if more evidence moved that time since it was queued, it is postponed. A follow-up goes only where
 * the page went, in the page's thread where the destination has threads, and an {@code updated} one that finds nothing
 * changed since the last message (it changed back) is recorded without being sent.
 */
public final class AlertDispatcher {

    /** How long a claimed delivery stays out of other dispatchers' way; a send never takes this long. */
    public static final Duration CLAIM_LEASE = Duration.ofMinutes(2);
    /** First retry after a failed send; doubles with each recorded attempt. */
    public static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    /** Longest wait between retries; also the wait after a permanent error (bad webhook URL), in case it is fixed. */
    public static final Duration MAX_RETRY = Duration.ofHours(6);
    /** Grouping window when none is configured ({@code STATETRAIL_ALERT_WINDOW}). */
    public static final Duration DEFAULT_GROUP_WINDOW = Duration.ofMinutes(15);
    /** Deliveries read per dispatch; the rest wait for the next one (every ingest batch and every sweep). */
    public static final int BATCH = 500;

    static final String CLAIM_NOTE = "sending";
    static final String HELD_NOTE = "held: grouped with the alert sent at ";
    static final String SETTLING_NOTE = "settling: its evidence may still be undone by late records until ";
    static final String MOOT_NOTE = "not sent: nothing changed since the last message";

    private final Deliveries store;
    private final List<AlertSink> sinks;
    private final Duration groupWindow;
    private final String dashboardUrl;
    private final Settle settle;

    public AlertDispatcher(Deliveries store, List<AlertSink> sinks, Duration groupWindow, String dashboardUrl) {
        this(store, sinks, groupWindow, dashboardUrl, Settle.DEFAULT);
    }

    public AlertDispatcher(Deliveries store, List<AlertSink> sinks, Duration groupWindow, String dashboardUrl, Settle settle) {
        this.store = store;
        this.sinks = List.copyOf(sinks);
        this.groupWindow = groupWindow;
        this.dashboardUrl = dashboardUrl;
        this.settle = settle;
    }

    /** Names of the sinks, which are the destinations the ingestor and sweeper queue findings for. */
    public List<String> destinations() {
        return sinks.stream().map(AlertSink::name).toList();
    }

    public DispatchResult dispatchDue(Instant now) {
        Map<String, AlertSink> byName = sinks.stream().collect(Collectors.toMap(AlertSink::name, Function.identity(), (a, b) -> a));
        List<Delivery> due = new ArrayList<>(store.dueDeliveries(now, BATCH));
        due.sort(Comparator.comparing((Delivery d) -> d.finding().time(), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(d -> d.finding().id()));

        Tally tally = new Tally();
        Map<String, Map<String, List<Delivery>>> byDestination = new LinkedHashMap<>();
        for (Delivery d : due) {
            if (waiting(d, now, tally)) {
                continue;
            }
            byDestination.computeIfAbsent(d.destination(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(groupKey(d.finding()), k -> new ArrayList<>()).add(d);
        }
        for (Map.Entry<String, Map<String, List<Delivery>>> dest : byDestination.entrySet()) {
            AlertSink sink = byName.get(dest.getKey());
            for (Map.Entry<String, List<Delivery>> group : dest.getValue().entrySet()) {
                if (sink == null) {
                    // Queued for a destination that is no longer configured: keep it (no loss) and look again later.
                    group.getValue().forEach(d -> store.recordDelivery(d, false, "destination '" + d.destination() + "' is not configured",
                            now.plus(MAX_RETRY)));
                    tally.failures += group.getValue().size();
                    continue;
                }
                Optional<Instant> last = store.lastAlerted(sink.name(), group.getKey());
                if (last.isPresent() && now.isBefore(last.get().plus(groupWindow))) {
                    // An alert of this group went out less than a window ago: hold these until the window ends, so
                    // they leave together as one alert with a count instead of one message each.
                    Instant until = last.get().plus(groupWindow);
                    for (Delivery d : group.getValue()) {
                        store.recordDelivery(d, false, HELD_NOTE + last.get(), until);
                    }
                    tally.held += group.getValue().size();
                    continue;
                }
                for (List<Delivery> window : windows(group.getValue())) {
                    send(sink, group.getKey(), window, now, tally);
                }
            }
        }
        return new DispatchResult(tally.alerts, tally.delivered, tally.failures, tally.held, tally.settling);
    }

    /**
     * A delivery that must not go out yet (its finding's evidence has not settled: postponed) or at all (an update that
     * changes nothing: recorded as done).
     */
    private boolean waiting(Delivery d, Instant now, Tally tally) {
        String notice = d.notice();
        boolean page = d.isPage();
        boolean update = notice.startsWith("updated-");
        if ((page || update) && !settle.settled(d.finding(), now)) {
            Instant due = settle.dueAt(d.finding());
            store.postpone(d, due, SETTLING_NOTE + due);
            tally.settling++;
            return true;
        }
        if (update && d.previous() != null && d.previous().material().equals(d.finding().material())
                && closed(d.previous()) == closed(d.finding())) {
            store.recordDelivery(d, true, MOOT_NOTE, null);
            return true;
        }
        return false;
    }

    private void send(AlertSink sink, String groupKey, List<Delivery> window, Instant now, Tally tally) {
        List<Delivery> claimed = new ArrayList<>();
        for (Delivery d : window) {
            if (store.recordDelivery(d, false, CLAIM_NOTE, now.plus(CLAIM_LEASE))) {
                claimed.add(d.attempted(now.plus(CLAIM_LEASE), CLAIM_NOTE));
            }
        }
        if (claimed.isEmpty()) {
            return;
        }
        List<Finding> findings = claimed.stream().map(Delivery::finding).toList();
        Severity severity = findings.stream().map(Finding::severity).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(Severity.MEDIUM);
        Delivery first = claimed.get(0);
        Alert alert = new Alert(groupKey, findings.get(0).type(), severity, findings, dashboardUrl, first.previous(), first.threadRef());
        try {
            String ref = sink.send(alert);
            store.alerted(sink.name(), groupKey, now);
            for (Delivery d : claimed) {
                if (store.recordDelivery(d, true, null, null, ref)) {
                    tally.delivered++;
                }
            }
            tally.alerts++;
        } catch (AlertSink.AlertException e) {
            Set<String> sent = e.delivered();
            if (!sent.isEmpty()) {
                store.alerted(sink.name(), groupKey, now);
                tally.alerts++;
            }
            String error = describe(e);
            for (Delivery d : claimed) {
                if (sent.contains(d.finding().id())) {
                    if (store.recordDelivery(d, true, null, null)) {
                        tally.delivered++;
                    }
                } else {
                    store.recordDelivery(d, false, error, now.plus(e.retryable() ? backoff(tries(d)) : MAX_RETRY));
                    tally.failures++;
                }
            }
        } catch (RuntimeException e) {
            // A sink bug must not stop the other groups; treat it as retryable and keep the delivery.
            for (Delivery d : claimed) {
                store.recordDelivery(d, false, "unexpected: " + e, now.plus(backoff(tries(d))));
                tally.failures++;
            }
        }
    }

    /** Splits one group's deliveries (in finding time order) into runs that each fit in one window. */
    private List<List<Delivery>> windows(List<Delivery> group) {
        List<List<Delivery>> out = new ArrayList<>();
        List<Delivery> current = null;
        Instant start = null;
        for (Delivery d : group) {
            Instant t = d.finding().time();
            if (current == null || (t != null && start != null && !t.isBefore(start.plus(groupWindow)))) {
                current = new ArrayList<>();
                out.add(current);
                start = t;
            } else if (start == null) {
                start = t;
            }
            current.add(d);
        }
        return out;
    }

    /** Whether the finding, as sent, said it was withdrawn or resolved. */
    private static boolean closed(Finding f) {
        return f.details().containsKey("withdrawn") || f.details().containsKey("resolved");
    }

    /**
     * What findings of one alert share: their type plus the state key, else the role, else the subject (else the
     * finding itself, which then never groups).
     */
    public static String groupKey(Finding f) {
        // A sweeper notice (reminder, resolved) about a finding is never grouped with the finding itself; a follow-up
        // (withdrawn, resolved, updated) or a status change is about one page, never grouped with anything.
        String notice = f.details().get("notice");
        if (notice != null && (notice.startsWith("withdrawn-") || notice.startsWith("resolved-") || notice.startsWith("updated-")
                || notice.startsWith("status-"))) {
            return f.type() + "#" + notice + "|finding:" + f.id();
        }
        String type = notice == null || notice.equals("raised") ? f.type() : f.type() + "#" + notice;
        if (f.stateKey() != null) {
            return type + "|state:" + f.stateKey();
        }
        if (f.roleArn() != null) {
            return type + "|role:" + f.roleArn();
        }
        if (f.subject() != null) {
            return type + "|subject:" + f.subject();
        }
        return type + "|finding:" + f.id();
    }

    /**
     * Failed tries before this one, from a claimed delivery's recorded attempts: each try records two (the claim and
     * its outcome), so counting attempts would quadruple the wait instead of doubling it.
     */
    static int tries(Delivery claimed) {
        return Math.max(0, (claimed.attempts() - 1) / 2);
    }

    /** Wait before the next try after {@code tries} failed ones: 1, 2, 4… minutes, at most {@link #MAX_RETRY}. */
    static Duration backoff(int tries) {
        int doublings = Math.max(0, Math.min(tries, 16));
        Duration d = FIRST_RETRY.multipliedBy(1L << doublings);
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }

    private static String describe(AlertSink.AlertException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return (e.retryable() ? "" : "permanent: ") + (m.length() > 500 ? m.substring(0, 500) + "…" : m);
    }

    private static final class Tally {
        int alerts;
        int delivered;
        int failures;
        int held;
        int settling;
    }

    /**
     * What one dispatch did.
     *
     * @param alertsSent        alerts that reached a destination (one per group and destination)
     * @param findingsDelivered deliveries recorded as delivered
     * @param failures          deliveries whose send failed (retried later); feeds the {@code AlertFailures} metric
     * @param held              deliveries held back until their group's window ends
     * @param settling           pages and updates postponed until their finding's evidence has settled
     */
    public record DispatchResult(int alertsSent, int findingsDelivered, int failures, int held, int settling) {

        public DispatchResult(int alertsSent, int findingsDelivered, int failures, int held) {
            this(alertsSent, findingsDelivered, failures, held, 0);
        }
    }
}
