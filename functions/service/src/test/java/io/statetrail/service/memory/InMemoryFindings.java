package io.statetrail.service.memory;

import io.statetrail.core.finding.Finding;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.port.Deliveries;
import io.statetrail.service.port.Findings;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** {@link Findings} and {@link Deliveries} in memory: the same answers as the DynamoDB adapter, for tests of the service's decisions. */
public final class InMemoryFindings implements Findings, Deliveries {

    /** A delivery as stored: its text for notices that carry their own, and once delivered, when, where and what was sent. */
    private static final class Stored {
        Finding text;
        String findingId;
        String destination;
        String notice;
        int attempts;
        Instant nextAttempt;
        String lastError;
        boolean delivered;
        Instant deliveredAt;
        String ref;
        Finding sent;
    }

    private final Clock clock;
    private final Map<String, StoredFinding> findings = new TreeMap<>();
    /** By finding id, then destination#notice. */
    private final Map<String, TreeMap<String, Stored>> deliveries = new TreeMap<>();
    private final Map<String, Instant> alerted = new TreeMap<>();
    /** The units whose stored findings were read, in order: every judgement reads them before it replaces them. */
    private final List<String> judged = new ArrayList<>();

    public InMemoryFindings(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized List<StoredFinding> findingsOf(String scope, Set<String> types, Instant from, Instant to) {
        judged.add(scope);
        return of(scope, types, from, to);
    }

    private List<StoredFinding> of(String scope, Set<String> types, Instant from, Instant to) {
        List<StoredFinding> out = new ArrayList<>();
        for (StoredFinding s : byTime()) {
            Instant t = time(s.finding());
            if (scope.equals(s.scope()) && types.contains(s.finding().type()) && (from == null || !t.isBefore(from))
                    && (to == null || t.isBefore(to))) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public synchronized List<Instant> findingTimes(String scope, Set<String> types, Instant from, Instant to) {
        judged.add(scope);
        if (from != null && to != null) {
            // The days of a state's units judged together: [first, last + 1) in UTC dates.
            judged.add(scope + " " + from.toString().substring(0, 10) + ".." + to.toString().substring(0, 10));
        }
        return of(scope, types, from, to).stream().filter(s -> !s.isWithdrawn()).map(s -> time(s.finding())).toList();
    }

    private List<StoredFinding> byTime() {
        List<StoredFinding> out = new ArrayList<>(findings.values());
        out.sort(Comparator.comparing((StoredFinding s) -> time(s.finding())).thenComparing(s -> s.finding().id()));
        return out;
    }

    private static Instant time(Finding f) {
        return f.time() == null ? Instant.EPOCH : f.time();
    }

    @Override
    public synchronized Optional<StoredFinding> storedFinding(String id) {
        return Optional.ofNullable(findings.get(id));
    }

    @Override
    public synchronized boolean create(StoredFinding finding, List<Delivery> queue) {
        if (findings.containsKey(finding.finding().id())) {
            return false;
        }
        findings.put(finding.finding().id(), untriaged(finding));
        enqueue(queue);
        return true;
    }

    @Override
    public synchronized void put(StoredFinding finding) {
        findings.put(finding.finding().id(), untriaged(finding));
    }

    /** As the DynamoDB adapter: a finding is stored without its status, which {@code FindingStatuses} keeps. */
    private static StoredFinding untriaged(StoredFinding s) {
        return s.finding().statusChange() == null ? s
                : new StoredFinding(s.finding().withStatus(null), s.scope(), s.owner(), s.withdrawn());
    }

    @Override
    public synchronized void delete(StoredFinding finding) {
        findings.remove(finding.finding().id());
        deliveries.remove(finding.finding().id());
    }

    /** Pages and {@code updated} follow-ups carry the finding as it is when sent; other notices their own text. */
    private static boolean readsCurrent(String notice) {
        return Delivery.RAISED.equals(notice) || notice.startsWith("updated-");
    }

    private Finding text(Stored d) {
        if (!readsCurrent(d.notice)) {
            return d.text;
        }
        StoredFinding s = findings.get(d.findingId);
        if (s == null) {
            return null;
        }
        if (Delivery.RAISED.equals(d.notice)) {
            return s.finding();
        }
        Map<String, String> details = new TreeMap<>(s.finding().details());
        details.put("notice", d.notice);
        return s.finding().with(s.finding().summary(), details);
    }

    private static Delivery delivery(Stored d, Finding f, Finding previous, String thread) {
        return new Delivery(f, d.destination, d.attempts, d.nextAttempt, d.lastError, d.delivered, d.ref, previous, thread);
    }

    @Override
    public synchronized List<Delivery> deliveriesOf(String findingId) {
        List<Delivery> out = new ArrayList<>();
        for (Stored d : deliveries.getOrDefault(findingId, new TreeMap<>()).values()) {
            Finding f = text(d);
            if (f != null) {
                out.add(delivery(d, f, null, null));
            }
        }
        return out;
    }

    @Override
    public synchronized void enqueue(Collection<Delivery> queue) {
        for (Delivery q : queue) {
            Map<String, Stored> of = deliveries.computeIfAbsent(q.finding().id(), k -> new TreeMap<>());
            String key = q.destination() + "#" + q.notice();
            if (of.containsKey(key)) {
                continue;
            }
            Stored d = new Stored();
            d.findingId = q.finding().id();
            d.destination = q.destination();
            d.notice = q.notice();
            d.text = readsCurrent(d.notice) ? null : q.finding();
            d.nextAttempt = q.nextAttempt() == null ? Instant.EPOCH : q.nextAttempt();
            of.put(key, d);
        }
    }

    private Stored stored(Delivery d) {
        return deliveries.getOrDefault(d.finding().id(), new TreeMap<>()).get(d.destination() + "#" + d.notice());
    }

    @Override
    public synchronized void cancel(Delivery delivery) {
        Stored d = stored(delivery);
        if (d != null && !d.delivered) {
            deliveries.get(d.findingId).remove(d.destination + "#" + d.notice);
        }
    }

    @Override
    public synchronized List<Delivery> dueDeliveries(Instant now, int limit) {
        List<Stored> due = new ArrayList<>();
        deliveries.values().forEach(m -> m.values().stream().filter(d -> !d.delivered && !d.nextAttempt.isAfter(now)).forEach(due::add));
        due.sort(Comparator.comparing((Stored d) -> d.nextAttempt).thenComparing(d -> d.findingId + "#" + d.destination + "#" + d.notice));
        List<Delivery> out = new ArrayList<>();
        for (Stored d : due.subList(0, Math.min(limit, due.size()))) {
            StoredFinding s = findings.get(d.findingId);
            if (readsCurrent(d.notice) && (s == null || s.isWithdrawn())) {
                deliveries.get(d.findingId).remove(d.destination + "#" + d.notice); // nothing left to send
                continue;
            }
            if (Delivery.RAISED.equals(d.notice)) {
                out.add(delivery(d, text(d), null, null));
                continue;
            }
            Finding previous = null;
            String thread = null;
            Instant lastAt = null;
            for (Stored other : deliveries.get(d.findingId).values()) {
                if (!other.destination.equals(d.destination) || !other.delivered) {
                    continue;
                }
                if (Delivery.RAISED.equals(other.notice)) {
                    thread = other.ref;
                }
                if (other.sent != null && (lastAt == null || other.deliveredAt.isAfter(lastAt))) {
                    previous = other.sent;
                    lastAt = other.deliveredAt;
                }
            }
            out.add(delivery(d, text(d), previous, thread));
        }
        return out;
    }

    @Override
    public synchronized boolean recordDelivery(Delivery delivery, boolean delivered, String error, Instant nextAttempt, String ref) {
        Stored d = stored(delivery);
        if (d == null || d.delivered || d.attempts != delivery.attempts()) {
            return false;
        }
        d.attempts++;
        d.lastError = error;
        if (delivered) {
            d.delivered = true;
            d.deliveredAt = clock.instant();
            d.ref = ref;
            d.sent = delivery.finding();
        } else if (nextAttempt != null) {
            d.nextAttempt = nextAttempt;
        } else {
            d.nextAttempt = Instant.MAX; // given up: kept for the record, no longer due
        }
        return true;
    }

    @Override
    public synchronized boolean postpone(Delivery delivery, Instant until, String note) {
        Stored d = stored(delivery);
        if (d == null || d.delivered || d.attempts != delivery.attempts()) {
            return false;
        }
        d.lastError = note;
        d.nextAttempt = until;
        return true;
    }

    @Override
    public synchronized Optional<Instant> lastAlerted(String destination, String groupKey) {
        return Optional.ofNullable(alerted.get(destination + "#" + groupKey));
    }

    @Override
    public synchronized void alerted(String destination, String groupKey, Instant at) {
        alerted.merge(destination + "#" + groupKey, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /**
     * The scopes judged since the last call ({@code state:<key>}, {@code login:<key>}…), each once, and for a range of
     * days also {@code <scope> <first day>..<day after the last>}; forgets them.
     */
    public synchronized java.util.SortedSet<String> judgedSinceLastAsked() {
        java.util.SortedSet<String> out = new java.util.TreeSet<>(judged);
        judged.clear();
        return out;
    }

    /** Findings that hold, oldest first. */
    public synchronized List<Finding> held() {
        return byTime().stream().filter(s -> !s.isWithdrawn()).map(StoredFinding::finding).toList();
    }

    synchronized void snapshot(Map<String, String> into) {
        findings.forEach((id, s) -> into.put("finding|" + id, s.toString()));
        deliveries.forEach((id, of) -> of.forEach((key, d) -> into.put("delivery|" + id + "|" + key,
                d.attempts + " " + d.nextAttempt + " " + d.delivered + " " + d.text)));
    }
}
