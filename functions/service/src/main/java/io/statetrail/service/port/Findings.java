package io.statetrail.service.port;

import io.statetrail.core.finding.Finding;
import io.statetrail.service.alert.Delivery;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The findings the service raised: each with the evaluation unit that owns it, withdrawn ones with why. Every method is
 * idempotent. What to create, update, withdraw or follow up is decided by {@code service.finding.UnitFindings}; this
 * port only keeps it. A finding is created together with its pages ({@link Deliveries}), atomically.
 */
public interface Findings {

    /**
     * A finding as stored.
     *
     * @param scope     the evaluation scope that produced it ({@code state:<key>}, {@code login:<key>}…)
     * @param owner     the unit within that scope ({@code scope|from}): a unit replaces only its own findings
     * @param withdrawn why it no longer holds, or null while it does
     */
    record StoredFinding(Finding finding, String scope, String owner, Withdrawal withdrawn) {

        public boolean isWithdrawn() {
            return withdrawn != null;
        }
    }

    /** A finding that later evidence no longer supports: when that was decided, and why. */
    record Withdrawal(Instant at, String reason) {
    }

    /**
     * Stored findings of one scope with time in [from, to) (null bounds: any time) and one of these types, withdrawn
     * ones included.
     */
    List<StoredFinding> findingsOf(String scope, Set<String> types, Instant from, Instant to);

    /** Times of the findings {@link #findingsOf} would return, withdrawn ones excluded (a cheap "is there any"). */
    List<Instant> findingTimes(String scope, Set<String> types, Instant from, Instant to);

    /** One finding by id, whatever its scope, withdrawn or not. */
    Optional<StoredFinding> storedFinding(String id);

    /** One finding by id, whatever its scope; a withdrawn one says why ({@link #shown}). */
    default Optional<Finding> finding(String id) {
        return storedFinding(id).map(Findings::shown);
    }

    /** A finding as people see it: a withdrawn one carries why and since when in {@code details.withdrawn(At)}. */
    static Finding shown(StoredFinding s) {
        if (!s.isWithdrawn()) {
            return s.finding();
        }
        java.util.Map<String, String> details = new java.util.TreeMap<>(s.finding().details());
        details.put("withdrawn", s.withdrawn().reason());
        if (s.withdrawn().at() != null) {
            details.put("withdrawnAt", s.withdrawn().at().toString());
        }
        return s.finding().with(s.finding().summary(), details);
    }

    /**
     * Creates a finding together with its deliveries, atomically: no failure can leave a finding that no destination
     * will hear of. False, and nothing written, when a finding with its id exists.
     */
    boolean create(StoredFinding finding, List<Delivery> deliveries);

    /** Replaces a stored finding: more evidence, another attribution, withdrawn or back. */
    void put(StoredFinding finding);

    /** Removes a finding that was never sent anywhere and no longer holds, with every delivery of it. */
    void delete(StoredFinding finding);

    /**
     * Their unit still yields these findings (called after every replacement): an implementation that keeps indexes of
     * findings beside them repairs what a crash between two writes left behind.
     */
    default void stillHeld(Collection<Finding> findings) {
    }
}
