package io.statetrail.core.lineage;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.DEVELOPER_USER;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.PULL_REQUEST;
import static io.statetrail.core.fixture.Acme.RUNNER_ROLE;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static io.statetrail.core.fixture.Acme.TOOLING_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.fixture.Caller;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.event.TrailEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineageTest {

    /** The chain of the last record of the scenario, as detections see it. */
    private static Chain chainOfLast(Scenario s) {
        Scenario.Outcome outcome = s.replay(POLICY);
        String lastId = s.records().get(s.records().size() - 1).eventId();
        TrailEvent last = outcome.trail().events().stream().filter(t -> t.meta().eventId().equals(lastId)).findFirst().orElseThrow();
        return outcome.evaluation().chainOf(last);
    }

    @Test
    void multiHopCrossAccountChainLeadsBackToTheLogin() {
        Scenario s = new Scenario();
        Credentials login = s.login(PULL_REQUEST, TOOLING_ROLE);
        Credentials runner = login.assumeRole(RUNNER_ROLE);
        Credentials prod = runner.assumeRole(TERRAFORM_PROD_ROLE);
        prod.read(BUCKET, STATE);

        Chain chain = chainOfLast(s);

        assertEquals(Origin.Kind.WEB_IDENTITY, chain.origin().kind());
        assertEquals(PULL_REQUEST, chain.origin().webIdentity().subject().raw());
        assertEquals(login.key(), chain.runKey());
        assertEquals(List.of(TOOLING_ROLE, RUNNER_ROLE, TERRAFORM_PROD_ROLE), chain.roleChain());
        assertEquals(List.of(login.key(), runner.key(), prod.key()), chain.sessions().stream().map(Session::key).toList());
        assertEquals(TERRAFORM_PROD_ROLE, chain.roleArn());
    }

    @Test
    void bothCopiesOfACrossAccountHopAreOneSessionWithBothEventIds() {
        Scenario s = new Scenario();
        Credentials prod = s.login(PULL_REQUEST, TOOLING_ROLE).assumeRole(TERRAFORM_PROD_ROLE);
        List<Rec> records = s.records();
        String callerCopy = records.get(1).eventId();
        String roleCopy = records.get(2).eventId();

        Lineage lineage = s.replay(POLICY).evaluation().lineage();

        Session session = lineage.session(prod.key());
        assertEquals(List.of(callerCopy, roleCopy).stream().sorted().toList(), session.eventIds());
        assertEquals("AssumedRole", session.parentType(), "the caller account's copy, which names the key, is kept");
        assertEquals(2, lineage.sessions().size());
    }

    @Test
    void onlyTheRoleAccountCopyIsLinkedThroughTheCallersAssumedRoleId() {
        Scenario s = new Scenario();
        Credentials login = s.login(PULL_REQUEST, TOOLING_ROLE);
        Credentials prod = login.assumeRoleSeenOnlyInRoleAccount(TERRAFORM_PROD_ROLE);
        prod.read(BUCKET, STATE);

        Chain chain = chainOfLast(s);

        assertEquals(Origin.Kind.WEB_IDENTITY, chain.origin().kind());
        assertEquals(login.key(), chain.runKey());
        assertEquals(List.of(TOOLING_ROLE, TERRAFORM_PROD_ROLE), chain.roleChain());
    }

    @Test
    void roleAccountCopyWithTwoLiveCandidateCallersStaysUnknown() {
        Scenario s = new Scenario();
        s.login(PULL_REQUEST, TOOLING_ROLE);
        Credentials second = s.login(MAIN, TOOLING_ROLE);
        Credentials prod = second.assumeRoleSeenOnlyInRoleAccount(TERRAFORM_PROD_ROLE);
        prod.read(BUCKET, STATE);

        Chain chain = chainOfLast(s);

        assertEquals(Origin.Kind.UNKNOWN, chain.origin().kind(), "both logins are AROA…:GitHubActions; guessing would be unsafe");
        assertNull(chain.origin().webIdentity());
        assertEquals(List.of(TERRAFORM_PROD_ROLE), chain.roleChain());
    }

    @Test
    void cycleInHostileInputEndsInAnUnknownOrigin() {
        Scenario s = new Scenario();
        String keyA = s.newSessionKey();
        String keyB = s.newSessionKey();
        Caller a = Caller.session(keyA, "arn:aws:sts::222222222222:assumed-role/terraform-prod/a", null, "2026-11-04T10:00:00Z");
        Caller b = Caller.session(keyB, "arn:aws:sts::222222222222:assumed-role/terraform-prod/b", null, "2026-11-04T10:00:00Z");
        s.add(Rec.assumeRole(b, TERRAFORM_PROD_ROLE, keyA, "a"));
        s.add(Rec.assumeRole(a, TERRAFORM_PROD_ROLE, keyB, "b"));
        s.add(Rec.s3("GetObject", a, BUCKET, STATE));

        Chain chain = chainOfLast(s);

        assertEquals(Origin.Kind.UNKNOWN, chain.origin().kind());
        assertEquals(2, chain.sessions().size());
        assertNotNull(chain.runKey());
    }

    @Test
    void chainLongerThanAnyRealOneIsCutOff() {
        Scenario s = new Scenario();
        Credentials current = s.login(MAIN, APPLY_ROLE);
        for (int i = 0; i < Lineage.MAX_HOPS + 5; i++) {
            current = current.assumeRole(TERRAFORM_PROD_ROLE);
        }
        current.read(BUCKET, STATE);

        Chain chain = chainOfLast(s);

        assertEquals(Lineage.MAX_HOPS, chain.sessions().size());
        assertEquals(Origin.Kind.UNKNOWN, chain.origin().kind());
    }

    @Test
    void iamUserAssumingARoleIsTheOriginOfTheRun() {
        Scenario s = new Scenario();
        Credentials alice = s.iamUser(DEVELOPER_USER);
        alice.assumeRole(TERRAFORM_PROD_ROLE).read(BUCKET, STATE);

        Chain chain = chainOfLast(s);

        assertEquals(Origin.Kind.IAM_USER, chain.origin().kind());
        assertEquals(DEVELOPER_USER, chain.origin().principalArn());
        assertTrue(chain.principalArns().contains(DEVELOPER_USER));
        assertTrue(chain.origin().isNonFederated());
    }

    @Test
    void iamUserCallingDirectlyIsItsOwnRun() {
        Scenario s = new Scenario();
        Credentials alice = s.iamUser(DEVELOPER_USER);
        alice.read(BUCKET, STATE);

        Chain chain = chainOfLast(s);

        assertEquals(Origin.Kind.IAM_USER, chain.origin().kind());
        assertEquals(alice.key(), chain.runKey());
        assertEquals(List.of(), chain.roleChain());
    }

    @Test
    void rootUsersLongLivedKeyIsRootNotAnIamUser() {
        Scenario s = new Scenario();
        Caller root = Caller.root("222222222222", "AKIAROOTROOTROOTROOT");
        s.add(Rec.s3("GetObject", root, BUCKET, STATE));

        Chain chain = chainOfLast(s);

        assertEquals(Origin.Kind.ROOT, chain.origin().kind());
        assertEquals("arn:aws:iam::222222222222:root", chain.origin().principalArn());
    }

    @Test
    void rootAssumingARoleIsTheOriginOfTheRun() {
        Scenario s = new Scenario();
        Caller root = Caller.root("222222222222", "AKIAROOTROOTROOTROOT");
        String key = s.newSessionKey();
        s.add(Rec.assumeRole(root, TERRAFORM_PROD_ROLE, key, "root-session"));
        s.add(Rec.s3("GetObject", Caller.session(key, "arn:aws:sts::222222222222:assumed-role/terraform-prod/root-session", null,
                "2026-11-04T10:00:00Z"), BUCKET, STATE));

        Chain chain = chainOfLast(s);

        assertEquals(Origin.Kind.ROOT, chain.origin().kind());
        assertEquals(key, chain.runKey());
    }

    @Test
    void unseenSessionIsUnknownAndNamesTheMissingKey() {
        Scenario s = new Scenario();
        Credentials ghost = s.sessionNeverSeen(APPLY_ROLE, "GitHubActions", Rec.githubProvider("222222222222"));
        ghost.read(BUCKET, STATE);

        Chain chain = chainOfLast(s);

        assertEquals(Origin.Kind.UNKNOWN, chain.origin().kind());
        assertEquals(ghost.key(), chain.origin().missingKey());
        assertEquals(List.of(APPLY_ROLE), chain.roleChain(), "the role comes from the actor's session issuer");
    }
}
