package io.statetrail.service.port;

import java.util.Collection;
import java.util.Set;

/**
 * What is known to hold Terraform state (issue 19), as the calls showed it: buckets where state calls were seen, tables
 * where lock items were, KMS keys state was encrypted with, and the state keys of each bucket. A store's changes are
 * judged against it; it only grows, so the judgement does not depend on the order calls arrive in.
 */
public interface StoreCatalogue {

    /**
     * Records these stores ({@code bucket:<name>}, {@code table:<name>}, {@code key:<key id>}) and state keys
     * ({@code state:<bucket>/<key>}); idempotent.
     *
     * @return those not recorded before: their stores' changes must be judged again
     */
    Set<String> markStores(Collection<String> refs);

    /** Which of these are recorded. */
    Set<String> knownStores(Collection<String> refs);

    /** State keys recorded in this bucket ({@code <bucket>/<key>}, without the {@code state:} prefix). */
    Set<String> statesIn(String bucket);
}
