package io.statetrail.service.ingest;

import io.statetrail.core.detect.Detections;
import io.statetrail.core.detect.Evaluation;
import io.statetrail.core.detect.StoreFacts;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.StoreChange;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.policy.Policy;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.Findings.StoredFinding;
import io.statetrail.service.port.StoreWatch;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The ingestor's units for the store itself (issue 19), each a pure function of stored calls like the state units:
 *
 * <ul>
 *   <li>{@code store:<ref>} ({@link StoreChange#storeRef()}: a bucket, a lock table by name, a KMS key by id) owns the
 *       findings of its changes: every change of the store, whenever it happened (a later one restores an earlier one,
 *       a bucket policy is judged against the one it replaces), with what the catalogue knows holds state;</li>
 *   <li>{@code locks:<table>} for one UTC day D owns the bursts of lock-item deletes whose first delete falls in D,
 *       judged on the table's lock calls in [D-1, D+2) (a run lasts at most 12 h).</li>
 * </ul>
 *
 * What the calls show holds state goes into the catalogue first; a store it newly shows is judged again (its changes may
 * have arrived before the state call that shows it matters), and so is a key a state bucket's default encryption names.
 * The findings not resolved are watched by the sweeper, which looks at the store in AWS.
 */
final class StoreUnits {

    static final Set<FindingType> STORE_TYPES = EnumSet.of(FindingType.LOCK_TABLE_CHANGED, FindingType.STATE_BUCKET_WEAKENED,
            FindingType.STATE_KEY_DISABLED);
    private static final Set<String> STORE_TYPE_IDS = STORE_TYPES.stream().map(FindingType::id).collect(Collectors.toCollection(TreeSet::new));
    private static final Set<String> BURST_TYPE_IDS = Set.of(FindingType.LOCK_TABLE_CHANGED.id());
    /** Rounds of "a judged store names another" (a bucket's default key) per batch; one suffices, two is margin. */
    private static final int ROUNDS = 3;

    private final AuditStore store;
    private final Policy policy;

    StoreUnits(AuditStore store, Policy policy) {
        this.store = store;
        this.policy = policy;
    }

    /** What a batch of new calls affects here, each with the messages (by index) it is judged for. */
    static final class Work {
        final Map<String, Set<Integer>> stores = new TreeMap<>();
        final Map<String, TreeMap<LocalDate, Set<Integer>>> tableDays = new TreeMap<>();
        final Map<String, Set<Integer>> discovered = new TreeMap<>();

        void add(TrailEvent e, Set<Integer> by) {
            if (e instanceof StoreChange c && c.storeRef() != null) {
                stores.computeIfAbsent(c.storeRef(), k -> new TreeSet<>()).addAll(by);
            } else if (e instanceof StateAccess s && !s.meta().failed()) {
                if (s.operation().isLock() && s.lockStore() != null && s.lockStore().startsWith("dynamodb:")) {
                    LocalDate d = Ingestor.day(s.meta().time());
                    TreeMap<LocalDate, Set<Integer>> days = tableDays.computeIfAbsent(s.lockStore().substring("dynamodb:".length()),
                            k -> new TreeMap<>());
                    for (LocalDate u : List.of(d.minusDays(1), d, d.plusDays(1))) {
                        days.computeIfAbsent(u, k -> new TreeSet<>()).addAll(by);
                    }
                }
                for (String ref : StoreFacts.discovered(List.of(s))) {
                    discovered.computeIfAbsent(ref, k -> new TreeSet<>()).addAll(by);
                }
                if (s.operation().namesState()) {
                    discovered.computeIfAbsent("state:" + s.stateKey(), k -> new TreeSet<>()).addAll(by);
                }
            }
        }
    }

    void evaluate(Work w, Judge judge, Neighbourhood hood, Instant now) {
        if (!w.discovered.isEmpty()) {
            Set<Integer> all = new TreeSet<>();
            w.discovered.values().forEach(all::addAll);
            judge.run(all, () -> {
                for (String fresh : store.markStores(w.discovered.keySet())) {
                    // A store newly known to hold state: its changes, judged before, are judged again.
                    String ref = fresh.startsWith("state:") ? "bucket:" + bucketOf(fresh.substring("state:".length())) : fresh;
                    w.stores.computeIfAbsent(ref, k -> new TreeSet<>()).addAll(w.discovered.get(fresh));
                }
                return List.of();
            });
        }
        for (Map.Entry<String, TreeMap<LocalDate, Set<Integer>>> t : w.tableDays.entrySet()) {
            Set<Integer> by = new TreeSet<>();
            t.getValue().values().forEach(by::addAll);
            judge.run(by, () -> bursts(t.getKey(), new TreeSet<>(t.getValue().keySet()), hood, now, judge));
        }
        Set<String> judged = new TreeSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, Set<Integer>> todo = new TreeMap<>(w.stores);
            todo.keySet().removeAll(judged);
            if (todo.isEmpty()) {
                break;
            }
            for (Map.Entry<String, Set<Integer>> u : todo.entrySet()) {
                judged.add(u.getKey());
                judge.run(u.getValue(), () -> judgeStore(u.getKey(), u.getValue(), w, hood, now, judge));
            }
        }
    }

    /** Judges every change of one store; see the class comment. */
    private List<Finding> judgeStore(String ref, Set<Integer> by, Work w, Neighbourhood hood, Instant now, Judge judge) {
        String scope = "store:" + ref;
        List<List<TrailEvent>> calls = store.storeCalls(ref);
        List<StoredFinding> before = store.findingsOf(scope, STORE_TYPE_IDS, null, null);
        if (calls.isEmpty() && before.isEmpty()) {
            return List.of();
        }
        hood.load(Neighbourhood.actingKeys(calls));
        String bucket = ref.startsWith("bucket:") ? ref.substring("bucket:".length()) : null;
        StoreFacts.Known known = new StoreFacts.Known(store.knownStores(List.of(ref)), bucket == null ? Set.of() : store.statesIn(bucket));
        Evaluation e = Evaluation.of(hood.trail(calls), policy, now, known);
        List<Finding> found = Detections.run(e, STORE_TYPES);
        List<Finding> created = judge.replace(scope, STORE_TYPE_IDS, null, null, found,
                gone -> "the change is no longer judged to weaken a store that holds state (the policy changed)");
        watch(found, e, scope);
        // A state bucket's default encryption names a key that encrypts state: its changes are judged with that known.
        Set<String> keys = e.stores().defaultEncryptionKeys();
        if (!keys.isEmpty()) {
            for (String fresh : store.markStores(keys)) {
                w.stores.computeIfAbsent(fresh, k -> new TreeSet<>()).addAll(by);
            }
        }
        return created;
    }

    /** The sweeper watches each weakened store until it is restored; a restored or withdrawn finding is not watched. */
    private void watch(List<Finding> found, Evaluation e, String scope) {
        Set<String> held = new TreeSet<>();
        for (Finding f : found) {
            if (f.details().containsKey("resolvedAt")) {
                store.unwatchStore(f.id());
                continue;
            }
            held.add(f.id());
            StoreChange c = e.storeChanges().stream().filter(s -> f.eventIds().contains(s.meta().eventId())).findFirst().orElse(null);
            if (c != null) {
                store.watchStore(new StoreWatch(f.id(), c.store().label(), c.name(), f.details().get("setting"), c.meta().account(),
                        c.meta().region(), c.meta().time(), null, null, null, null));
            }
        }
        for (StoredFinding s : store.findingsOf(scope, STORE_TYPE_IDS, null, null)) {
            if (!held.contains(s.finding().id())) {
                store.unwatchStore(s.finding().id());
            }
        }
    }

    /** Judges the bursts of lock-item deletes on one table, one unit per day; see the class comment. */
    private List<Finding> bursts(String table, TreeSet<LocalDate> days, Neighbourhood hood, Instant now, Judge judge) {
        Instant from = Ingestor.start(days.first().minusDays(1));
        Instant to = Ingestor.start(days.last().plusDays(2));
        List<List<TrailEvent>> window = store.lockTableCalls(table, from, to);
        hood.load(Neighbourhood.actingKeys(window));
        String scope = "locks:" + table;
        List<Instant> stored = store.findingTimes(scope, BURST_TYPE_IDS, Ingestor.start(days.first()), Ingestor.start(days.last().plusDays(1)));
        List<Finding> created = new ArrayList<>();
        for (LocalDate d : days) {
            Instant unitFrom = Ingestor.start(d.minusDays(1));
            Instant unitTo = Ingestor.start(d.plusDays(2));
            Instant ownFrom = Ingestor.start(d);
            Instant ownTo = Ingestor.start(d.plusDays(1));
            List<List<TrailEvent>> calls = new ArrayList<>();
            for (List<TrailEvent> call : window) {
                Instant t = call.get(0).meta().time();
                if (!t.isBefore(unitFrom) && t.isBefore(unitTo)) {
                    calls.add(call);
                }
            }
            Evaluation e = Evaluation.of(hood.trail(calls), policy, now);
            List<Finding> owned = new ArrayList<>();
            for (Finding f : Detections.run(e, EnumSet.of(FindingType.LOCK_TABLE_CHANGED))) {
                if (table.equals(f.stateKey()) && "lock-items".equals(f.details().get("setting")) && !f.time().isBefore(ownFrom)
                        && f.time().isBefore(ownTo)) {
                    owned.add(f);
                }
            }
            if (!owned.isEmpty() || stored.stream().anyMatch(t -> !t.isBefore(ownFrom) && t.isBefore(ownTo))) {
                created.addAll(judge.replace(scope, BURST_TYPE_IDS, ownFrom, ownTo, owned,
                        gone -> "the deletes are no longer more than the run took: its acquisitions arrived later"));
            }
        }
        return created;
    }

    private static String bucketOf(String stateKey) {
        int slash = stateKey.indexOf('/');
        return slash < 0 ? stateKey : stateKey.substring(0, slash);
    }
}
