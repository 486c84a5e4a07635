package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.FEATURE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebIdentityDeniedTest {

    @Test
    void retryBurstOfOneSubjectAndRoleOnOneDayIsOneFindingWithItsCount() {
        Scenario s = new Scenario();
        Rec first = s.add(Rec.deniedWebIdentity(FEATURE, APPLY_ROLE, "1"));
        Rec second = s.add(Rec.deniedWebIdentity(FEATURE, APPLY_ROLE, "2"));
        Rec third = s.add(Rec.deniedWebIdentity(FEATURE, APPLY_ROLE, "3"));

        Finding f = s.replay(POLICY).only(FindingType.WEB_IDENTITY_DENIED);

        assertEquals(3, f.count());
        assertEquals(FEATURE, f.subject());
        assertEquals(first.time(), f.time());
        assertEquals(List.of(first.eventId(), second.eventId(), third.eventId()).stream().sorted().toList(), f.eventIds());
        assertEquals("AccessDenied", f.details().get("errorCode"));
        assertNull(f.accessKeyId());
    }

    @Test
    void roleIsTakenFromTheErrorMessageWhenTheRequestWasNotLogged() {
        Scenario s = new Scenario();
        s.add(Rec.deniedWebIdentity(FEATURE, APPLY_ROLE, "1")
                .set("errorMessage", "Not authorized to perform sts:AssumeRoleWithWebIdentity on resource: " + APPLY_ROLE));

        Finding f = s.replay(POLICY).only(FindingType.WEB_IDENTITY_DENIED);

        assertEquals(APPLY_ROLE, f.roleArn());
    }

    @Test
    void attemptsOnDifferentUtcDaysAreSeparateFindings() {
        Scenario s = new Scenario();
        s.at("2026-11-04T23:59:59Z").add(Rec.deniedWebIdentity(FEATURE, APPLY_ROLE, "1"));
        s.at("2026-11-05T00:00:00Z").add(Rec.deniedWebIdentity(FEATURE, APPLY_ROLE, "2"));

        assertEquals(2, s.replay(POLICY).ofType(FindingType.WEB_IDENTITY_DENIED).size());
    }

    @Test
    void differentSubjectsAreSeparateFindings() {
        Scenario s = new Scenario();
        s.add(Rec.deniedWebIdentity(FEATURE, APPLY_ROLE, "1"));
        s.add(Rec.deniedWebIdentity(MAIN, APPLY_ROLE, "2"));

        assertEquals(2, s.replay(POLICY).ofType(FindingType.WEB_IDENTITY_DENIED).size());
    }

    @Test
    void refusedAssumeRoleByASessionIsNotAWebIdentityDenial() {
        Scenario s = new Scenario();
        s.add(Rec.deniedAssumeRole(s.login(MAIN, APPLY_ROLE).caller(), TERRAFORM_PROD_ROLE, "1"));

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.WEB_IDENTITY_DENIED));
    }
}
