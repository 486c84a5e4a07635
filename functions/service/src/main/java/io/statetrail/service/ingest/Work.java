package io.statetrail.service.ingest;

import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.RoleAssumptionFailed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.event.TrustPolicyChanged;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The evaluation units a batch of new calls affects, each with the messages (by index in the batch) it is judged for. */
final class Work {

    /** A unit of work and the messages it is done for. */
    record Owned<T>(T value, Set<Integer> by) {
        Owned(T value) {
            this(value, new TreeSet<>());
        }
    }

    final Map<String, TreeMap<LocalDate, Set<Integer>>> stateDays = new TreeMap<>();
    /** Lock acquisitions, by state, store and day (one look-up of the next lock call for each). */
    final Map<String, Owned<StateAccess>> acquisitions = new TreeMap<>();
    final Map<String, Set<Integer>> sessions = new TreeMap<>();
    final Map<String, Set<Integer>> logins = new TreeMap<>();
    final Map<String, Owned<RoleAssumptionFailed>> denied = new TreeMap<>();
    final Map<String, Owned<TrustPolicyChanged>> trust = new TreeMap<>();
    /**
     * Sessions whose run's own units ({@code run:<runKey>}: claims and where its credentials were used) a new call
     * changes: the session a new role assumption issued, and the session that signed any new call.
     */
    final Map<String, Set<Integer>> runsOf = new TreeMap<>();
    /** The store's own units (issue 19). */
    final StoreUnits.Work stores = new StoreUnits.Work();

    void add(List<TrailEvent> events, Set<Integer> by) {
        for (TrailEvent e : events) {
            stores.add(e, by);
            if (e.meta().actor() != null && e.meta().actor().namesRoleSession()) {
                runsOf.computeIfAbsent(e.meta().actor().accessKeyId(), k -> new TreeSet<>()).addAll(by);
            }
            if (e instanceof StateAccess s) {
                around(s.stateKey(), s.meta().time(), by);
                if (s.operation() == StateAccess.Operation.LOCK && !s.meta().failed()) {
                    String key = s.stateKey() + "|" + s.lockStore() + "|" + Ingestor.day(s.meta().time());
                    acquisitions.computeIfAbsent(key, k -> new Owned<>(s)).by().addAll(by);
                }
            } else if (e instanceof RoleAssumed r) {
                sessions.computeIfAbsent(r.issuedKey(), k -> new TreeSet<>()).addAll(by);
                runsOf.computeIfAbsent(r.issuedKey(), k -> new TreeSet<>()).addAll(by);
                if (r.webIdentity() != null) {
                    logins.computeIfAbsent(r.issuedKey(), k -> new TreeSet<>()).addAll(by);
                }
            } else if (e instanceof RoleAssumptionFailed f) {
                if ("AssumeRoleWithWebIdentity".equals(f.method())) {
                    denied.computeIfAbsent(Ingestor.deniedScope(f), k -> new Owned<>(f)).by().addAll(by);
                }
            } else if (e instanceof TrustPolicyChanged t) {
                trust(t, by);
            }
        }
    }

    void trust(TrustPolicyChanged t, Set<Integer> by) {
        trust.computeIfAbsent(t.meta().callKey(), k -> new Owned<>(t)).by().addAll(by);
    }

    /** The units whose window holds this time: the day before, the day, the day after. */
    void around(String stateKey, Instant t, Set<Integer> by) {
        LocalDate d = Ingestor.day(t);
        TreeMap<LocalDate, Set<Integer>> days = stateDays.computeIfAbsent(stateKey, k -> new TreeMap<>());
        for (LocalDate u : List.of(d.minusDays(1), d, d.plusDays(1))) {
            days.computeIfAbsent(u, k -> new TreeSet<>()).addAll(by);
        }
    }
}
