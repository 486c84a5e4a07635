package io.statetrail.service.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.fixture.Roles;
import io.statetrail.core.iam.AccountInventory;
import io.statetrail.core.iam.IamRole;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.memory.InMemoryFindings;
import io.statetrail.service.port.AlertSink;
import io.statetrail.service.port.Findings;
import io.statetrail.service.port.RoleInventory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The daily posture run on the in-memory store: a role found wrong is paged once and keeps the day it was first seen; a
 * role fixed later resolves its finding with a follow-up in the page's thread; an account that cannot be read changes
 * nothing; a role that goes wrong again is said to hold again.
 */
class PostureSweepTest {

    static final Instant DAY1 = Instant.parse("2026-12-08T06:00:00Z");
    static final Duration DAY = Duration.ofDays(1);

    Instant now = DAY1;
    final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    final InMemoryFindings store = new InMemoryFindings(clock);
    final List<Alert> sent = new ArrayList<>();
    List<IamRole> roles = new ArrayList<>(Roles.inventory().roles());
    boolean reachable = true;

    /** IAM as the account's roles stand today. */
    final RoleInventory iam = account -> {
        if (!reachable) {
            throw new RoleInventory.Unavailable("AccessDenied: not authorized to perform iam:ListRoles", null);
        }
        return new AccountInventory(account, roles, Roles.inventory().oidcProviders());
    };

    PostureSweep.Result runOn(Instant day) {
        now = day;
        PostureSweep.Result r = new PostureSweep(store, Roles.POLICY, iam, List.of("slack"), Settle.DEFAULT).run(List.of(Roles.ACCOUNT), day);
        new AlertDispatcher(store, List.of(new AlertSink() {
            @Override
            public String name() {
                return "slack";
            }

            @Override
            public String send(Alert alert) {
                sent.add(alert);
                return "C0123:" + sent.size();
            }
        }), Duration.ofMinutes(15), null, Settle.DEFAULT).dispatchDue(day);
        return r;
    }

    void replace(String name, String trust) {
        roles.replaceAll(r -> r.name().equals(name) ? new IamRole(r.arn(), r.name(), r.path(), r.roleId(), trust, r.created(), r.lastUsed()) : r);
    }

    Finding open(String roleName, String type) {
        return store.findingsOf("posture:" + Roles.ACCOUNT, PostureSweep.TYPES, null, null).stream()
                .filter(s -> !s.isWithdrawn() && s.finding().roleArn().endsWith("/" + roleName) && s.finding().type().equals(type))
                .map(Findings.StoredFinding::finding).findFirst().orElseThrow();
    }

    @Test
    void aRoleFoundWrongIsPagedOnceAndResolvedWhenFixed() {
        PostureSweep.Result first = runOn(DAY1);
        assertEquals(new PostureSweep.Result(1, Roles.SHAPES.size(), 10, java.util.Map.of("oidc-role-unlisted", 4, "oidc-trust-too-wide", 6), 10,
                List.of()), first);
        assertEquals(10, sent.size());

        PostureSweep.Result second = runOn(DAY1.plus(DAY));
        assertEquals(0, second.raised());
        assertEquals(10, sent.size(), "nothing new to say");
        Finding website = open("gha-website", Roles.TOO_WIDE);
        assertEquals(DAY1, website.time(), "first seen");
        assertEquals(DAY1.plus(DAY), website.lastSeen());

        replace("gha-website", Roles.trust(Roles.GITHUB, "{\"StringEquals\":{\"token.actions.githubusercontent.com:sub\":"
                + "\"repo:acme/website:ref:refs/heads/main\"}}"));
        roles.removeIf(r -> r.name().equals("gitlab-deploy"));
        runOn(DAY1.plus(DAY.multipliedBy(2)));

        List<Alert> followUps = sent.subList(10, sent.size());
        Set<String> said = new TreeSet<>();
        for (Alert a : followUps) {
            assertTrue(a.isResolution() && a.isFollowUp(), a.notice());
            assertTrue(a.threadRef() != null && a.threadRef().startsWith("C0123:"), "in the page's thread");
            said.add(a.first().roleArn().replaceAll(".*/", "") + ": " + a.first().summary().replaceAll("\\. It was: .*", ""));
        }
        assertEquals(Set.of("gha-website: Resolved: the role's trust admits no more than the policy allows",
                "gitlab-deploy: Resolved: the role no longer exists"), said);
        Findings.StoredFinding resolved = store.storedFinding(website.id()).orElseThrow();
        assertEquals("resolved: the role's trust admits no more than the policy allows", resolved.withdrawn().reason());
    }

    @Test
    void anAccountThatCannotBeReadKeepsItsFindings() {
        runOn(DAY1);
        reachable = false;

        PostureSweep.Result r = runOn(DAY1.plus(DAY));

        assertEquals(List.of(Roles.ACCOUNT + ": AccessDenied: not authorized to perform iam:ListRoles"), r.failures());
        assertEquals(0, r.accounts());
        assertEquals(10, sent.size(), "no resolution for what could not be seen");
        assertEquals(DAY1, open("gha-open", Roles.UNLISTED).time());
    }

    @Test
    void aRoleThatGoesWrongAgainIsSaidToHoldAgain() {
        runOn(DAY1);
        String wide = roles.stream().filter(r -> r.name().equals("gha-website")).findFirst().orElseThrow().trustPolicy();
        replace("gha-website", Roles.trust(Roles.GITHUB, "{\"StringEquals\":{\"token.actions.githubusercontent.com:sub\":"
                + "\"repo:acme/website:ref:refs/heads/main\"}}"));
        runOn(DAY1.plus(DAY));
        replace("gha-website", wide);

        runOn(DAY1.plus(DAY.multipliedBy(2)));

        Alert last = sent.get(sent.size() - 1);
        assertEquals("updated", last.notice());
        assertEquals("resolved", last.changes().get(0).field());
        assertEquals("holds again", last.changes().get(0).after());
    }
}
