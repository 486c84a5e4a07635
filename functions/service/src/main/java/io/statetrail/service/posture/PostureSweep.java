package io.statetrail.service.posture;

import io.statetrail.core.detect.Posture;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.iam.AccountInventory;
import io.statetrail.core.iam.IamRole;
import io.statetrail.core.policy.Policy;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.finding.UnitFindings;
import io.statetrail.service.port.Deliveries;
import io.statetrail.service.port.Findings;
import io.statetrail.service.port.RoleInventory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The sweeper's daily posture run (issue 16): each account's roles as IAM lists them, judged by the core
 * ({@link Posture}), kept per account ({@code posture:<account>}, one unit). A finding keeps the time it was first seen; one
 * the account no longer yields was fixed and resolves with a follow-up where it was paged. An account that cannot be read
 * keeps its findings as they were: not being able to look is not a fix.
 */
public final class PostureSweep {

    static final Set<String> TYPES = EnumSet.allOf(FindingType.class).stream().filter(t -> t.source() == FindingType.Source.POSTURE)
            .map(FindingType::id).collect(Collectors.toUnmodifiableSet());

    private final Findings findings;
    private final Deliveries deliveries;
    private final Policy policy;
    private final RoleInventory iam;
    private final Collection<String> destinations;
    private final Settle settle;

    public <S extends Findings & Deliveries> PostureSweep(S store, Policy policy, RoleInventory iam, Collection<String> destinations, Settle settle) {
        this.findings = store;
        this.deliveries = store;
        this.policy = policy;
        this.iam = iam;
        this.destinations = List.copyOf(destinations);
        this.settle = settle;
    }

    /**
     * @param roles        roles listed, over every account read
     * @param raised       findings created by this run (first seen now, or back after they were resolved: none)
     * @param raisedByType the same, by finding type
     * @param open         findings that hold after this run
     * @param failures     {@code <account>: <why>} for each account that could not be read
     */
    public record Result(int accounts, int roles, int raised, Map<String, Integer> raisedByType, int open, List<String> failures) {
    }

    public Result run(Collection<String> accounts, Instant now) {
        UnitFindings units = new UnitFindings(findings, deliveries, destinations, settle, Clock.fixed(now, ZoneOffset.UTC));
        int read = 0;
        int roles = 0;
        Map<String, Integer> raised = new TreeMap<>();
        int open = 0;
        List<String> failures = new ArrayList<>();
        for (String account : accounts) {
            AccountInventory inventory;
            try {
                inventory = iam.inventory(account);
            } catch (RoleInventory.Unavailable e) {
                failures.add(account + ": " + e.getMessage());
                continue;
            }
            read++;
            roles += inventory.roles().size();
            List<Finding> found = new ArrayList<>();
            for (Finding f : Posture.run(inventory, policy, now)) {
                found.add(firstSeen(f));
            }
            open += found.size();
            for (Finding f : units.replaceResolving("posture:" + account, TYPES, found, gone -> howFixed(gone, inventory))) {
                raised.merge(f.type(), 1, Integer::sum);
            }
        }
        return new Result(read, roles, raised.values().stream().mapToInt(Integer::intValue).sum(), raised, open, failures);
    }

    /** The time it was first seen, when it is still open from an earlier run. */
    private Finding firstSeen(Finding f) {
        Optional<Findings.StoredFinding> before = findings.storedFinding(f.id());
        if (before.isPresent() && !before.get().isWithdrawn() && before.get().finding().time() != null
                && before.get().finding().time().isBefore(f.time())) {
            return f.firstSeenAt(before.get().finding().time());
        }
        return f;
    }

    /** Why a finding no longer holds, as IAM and the policy now say. */
    private String howFixed(Finding gone, AccountInventory inventory) {
        Optional<IamRole> role = inventory.roles().stream().filter(r -> r.arn().equals(gone.roleArn())).findFirst();
        if (role.isEmpty()) {
            return "the role no longer exists";
        }
        if (role.get().oidcTrusts().isEmpty()) {
            return "the role no longer trusts an OIDC provider";
        }
        if (FindingType.OIDC_ROLE_UNLISTED.id().equals(gone.type())) {
            return "a policy entry now covers the role";
        }
        return "the role's trust admits no more than the policy allows";
    }
}
