package io.statetrail.service.memory;

import io.statetrail.core.event.Actor;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.RoleAssumptionFailed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.StoreChange;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.event.TrustPolicyChanged;
import io.statetrail.core.trail.Trail;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import io.statetrail.service.port.Calls;
import io.statetrail.service.query.CallRecord;

/** {@link Calls} in memory: every call once with its copies, answering as the DynamoDB adapter does. */
public final class InMemoryCalls implements Calls {

    /** Bounds the look-back for the latest lock call, as the DynamoDB store does. */
    static final int LOCK_LOOKBACK = 1000;

    /** One stored call: every copy by copy id (eventID@recipient), and the preferred one. */
    static final class StoredCall {
        final TreeMap<String, List<TrailEvent>> copies = new TreeMap<>();
        /** Each copy's record minus secrets, when one was given. */
        final Map<String, String> records = new TreeMap<>();
        String preferred;

        List<TrailEvent> events() {
            return copies.get(preferred);
        }

        EventMeta meta() {
            return events().get(0).meta();
        }

        List<List<TrailEvent>> allCopies() {
            return new ArrayList<>(copies.values());
        }

        List<TrailEvent> flat() {
            List<TrailEvent> out = new ArrayList<>();
            copies.values().forEach(out::addAll);
            return out;
        }
    }

    private final Map<String, StoredCall> calls = new LinkedHashMap<>();

    @Override
    public synchronized Trail.Added putCall(List<TrailEvent> events, String record) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events");
        }
        EventMeta meta = events.get(0).meta();
        String copyId = meta.eventId() + "@" + meta.recipientAccountId();
        StoredCall c = calls.get(meta.callKey());
        if (c == null) {
            c = new StoredCall();
            c.copies.put(copyId, List.copyOf(events));
            keep(c, copyId, record);
            c.preferred = copyId;
            calls.put(meta.callKey(), c);
            return Trail.Added.NEW;
        }
        if (c.copies.containsKey(copyId)) {
            return Trail.Added.DUPLICATE;
        }
        c.copies.put(copyId, List.copyOf(events));
        keep(c, copyId, record);
        String best = null;
        for (Map.Entry<String, List<TrailEvent>> e : c.copies.entrySet()) {
            if (best == null || Trail.prefer(e.getValue().get(0).meta(), c.copies.get(best).get(0).meta())) {
                best = e.getKey();
            }
        }
        c.preferred = best;
        return Trail.Added.OTHER_COPY;
    }

    private static void keep(StoredCall c, String copyId, String record) {
        if (record != null) {
            c.records.put(copyId, record);
        }
    }

    @Override
    public synchronized Optional<CallRecord> call(String eventId) {
        for (Map.Entry<String, StoredCall> e : calls.entrySet()) {
            StoredCall c = e.getValue();
            if (c.meta().eventId().equals(eventId)) {
                TreeSet<String> ids = new TreeSet<>();
                c.copies.values().forEach(events -> ids.add(events.get(0).meta().eventId()));
                return Optional.of(new CallRecord(e.getKey(), List.copyOf(ids), c.events(), c.records.get(c.preferred)));
            }
        }
        return Optional.empty();
    }

    synchronized List<StoredCall> sessionsByKey(String key) {
        List<StoredCall> out = new ArrayList<>();
        for (StoredCall c : calls.values()) {
            if (c.events().get(0) instanceof RoleAssumed r && key.equals(r.issuedKey())) {
                out.add(c);
            }
        }
        return out;
    }

    /** The index entry the DynamoDB store lists a call under ({@code gsi1}): logins by repository, else by caller. */
    static String by(StoredCall c) {
        TrailEvent first = c.events().get(0);
        Actor actor = c.meta().actor() == null ? Actor.UNKNOWN : c.meta().actor();
        if (first instanceof RoleAssumed r && r.webIdentity() != null) {
            return "login";
        }
        if (actor.accessKeyId() != null) {
            return "key:" + actor.accessKeyId();
        }
        if ("AWSAccount".equals(actor.type()) && actor.principalId() != null) {
            return "principal:" + actor.principalId();
        }
        return null;
    }

    @Override
    public synchronized Set<String> stateKeysTouchedBy(Collection<String> accessKeys) {
        Set<String> out = new TreeSet<>();
        for (List<TrailEvent> call : callsSignedBy(accessKeys)) {
            for (TrailEvent e : call) {
                if (e instanceof StateAccess s) {
                    out.add(s.stateKey());
                }
            }
        }
        return out;
    }

    @Override
    public synchronized List<List<TrailEvent>> callsSignedBy(Collection<String> accessKeys) {
        List<List<TrailEvent>> out = new ArrayList<>();
        for (String key : new LinkedHashSet<>(accessKeys)) {
            for (StoredCall c : chronological(calls.values())) {
                if (("key:" + key).equals(by(c))) {
                    out.addAll(c.allCopies());
                }
            }
        }
        return out;
    }

    /** Calls on a state key: the ones about it first, and the ones that name it besides (CopyObject, DeleteObjects). */
    private List<StoredCall> onState(String stateKey) {
        List<StoredCall> out = new ArrayList<>();
        for (StoredCall c : calls.values()) {
            for (TrailEvent e : c.events()) {
                if (e instanceof StateAccess s && s.stateKey().equals(stateKey)) {
                    out.add(c);
                    break;
                }
            }
        }
        return chronological(out);
    }

    @Override
    public synchronized List<List<TrailEvent>> stateCalls(String stateKey, Instant from, Instant to) {
        List<List<TrailEvent>> out = new ArrayList<>();
        for (StoredCall c : onState(stateKey)) {
            Instant t = c.meta().time();
            if ((from == null || !t.isBefore(from)) && (to == null || t.isBefore(to))) {
                out.addAll(c.allCopies());
            }
        }
        return out;
    }

    @Override
    public synchronized List<List<TrailEvent>> failedLogins(String subject, String roleArn, Instant dayStart) {
        List<List<TrailEvent>> out = new ArrayList<>();
        String day = dayStart.atZone(ZoneOffset.UTC).toLocalDate().toString();
        for (StoredCall c : chronological(calls.values())) {
            if (c.events().get(0) instanceof RoleAssumptionFailed f && "AssumeRoleWithWebIdentity".equals(f.method())
                    && (subject == null ? "" : subject).equals(f.webIdentity() == null ? "" : f.webIdentity().subject().raw())
                    && String.valueOf(roleArn).equals(String.valueOf(f.roleArn()))
                    && day.equals(f.meta().time().atZone(ZoneOffset.UTC).toLocalDate().toString())) {
                out.addAll(c.allCopies());
            }
        }
        return out;
    }

    @Override
    public synchronized List<List<TrailEvent>> trustPolicyChanges(String roleArn, Instant from, Instant to) {
        List<List<TrailEvent>> out = new ArrayList<>();
        for (StoredCall c : chronological(calls.values())) {
            Instant t = c.meta().time();
            if (c.events().get(0) instanceof TrustPolicyChanged p && roleArn.equals(p.roleArn()) && !t.isBefore(from) && t.isBefore(to)) {
                out.addAll(c.allCopies());
            }
        }
        return out;
    }

    /** The lock store of a lock call on this state key; a call listed under it only because it names it too has none. */
    private static String lockStore(StoredCall c, String stateKey) {
        return c.events().get(0) instanceof StateAccess s && s.stateKey().equals(stateKey) ? s.lockStore() : null;
    }

    @Override
    public synchronized List<List<TrailEvent>> lockCallsBefore(String stateKey, Instant before) {
        List<StoredCall> on = onState(stateKey);
        Map<String, StoredCall> latest = new TreeMap<>();
        int seen = 0;
        for (int i = on.size() - 1; i >= 0 && seen < LOCK_LOOKBACK; i--) {
            StoredCall c = on.get(i);
            if (!c.meta().time().isBefore(before)) {
                continue;
            }
            seen++;
            if (lockStore(c, stateKey) != null && c.meta().errorCode() == null) {
                latest.putIfAbsent(lockStore(c, stateKey), c);
            }
        }
        List<List<TrailEvent>> out = new ArrayList<>();
        latest.values().forEach(c -> out.addAll(c.allCopies()));
        return out;
    }

    @Override
    public synchronized List<TrailEvent> lockCallAfter(String stateKey, String lockStore, Instant from) {
        int seen = 0;
        for (StoredCall c : onState(stateKey)) {
            if (c.meta().time().isBefore(from)) {
                continue;
            }
            if (seen++ >= LOCK_LOOKBACK) {
                break;
            }
            if (lockStore.equals(lockStore(c, stateKey)) && c.meta().errorCode() == null) {
                return c.flat();
            }
        }
        return List.of();
    }

    @Override
    public synchronized List<List<TrailEvent>> storeCalls(String storeRef) {
        List<List<TrailEvent>> out = new ArrayList<>();
        for (StoredCall c : chronological(calls.values())) {
            if (c.events().get(0) instanceof StoreChange s && storeRef.equals(s.storeRef())) {
                out.addAll(c.allCopies());
            }
        }
        return out;
    }

    @Override
    public synchronized List<List<TrailEvent>> lockTableCalls(String table, Instant from, Instant to) {
        List<List<TrailEvent>> out = new ArrayList<>();
        for (StoredCall c : chronological(calls.values())) {
            Instant t = c.meta().time();
            boolean onTable = c.events().stream().anyMatch(e -> e instanceof StateAccess s && s.operation().isLock()
                    && ("dynamodb:" + table).equals(s.lockStore()));
            if (onTable && !t.isBefore(from) && t.isBefore(to)) {
                out.addAll(c.allCopies());
            }
        }
        return out;
    }

    /** In the order the DynamoDB store's sort keys give: time, then call key. */
    static List<StoredCall> chronological(Collection<StoredCall> cs) {
        List<StoredCall> out = new ArrayList<>(cs);
        out.sort(Comparator.comparing((StoredCall c) -> c.meta().time()).thenComparing(c -> c.meta().callKey()));
        return out;
    }

    /** Every stored call, for the sessions kept among them. */
    synchronized List<StoredCall> all() {
        return new ArrayList<>(calls.values());
    }

    /** Everything kept, by a key, for comparing two stores' contents whatever order they were filled in. */
    synchronized void snapshot(Map<String, String> into) {
        calls.forEach((key, c) -> into.put("call|" + key, c.preferred + " " + c.copies));
    }
}
