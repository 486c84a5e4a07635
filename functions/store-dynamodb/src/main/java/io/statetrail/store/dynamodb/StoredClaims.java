package io.statetrail.store.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.lineage.Claim;
import io.statetrail.core.lineage.Claims;
import io.statetrail.service.query.RunClaims;
import io.statetrail.store.dynamodb.Items.CallItem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The claims of a run's sessions as members of a string set on its summary item: a set only grows, whatever order the
 * sessions arrive in, and the claim shown for each field is chosen when read ({@link Claims}). Each member is a JSON
 * array {@code [field, value, source, time]}: the values are attacker-controlled text, so no separator is safe. No
 * eventID: the two copies of a cross-account hop (caller's and role account's) claim the same, and the member must not
 * depend on which copy arrived first.
 */
final class StoredClaims {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredClaims() {
    }

    /** What a session's role assumption claims, as stored (every copy: they say the same). */
    static Set<String> of(CallItem session) {
        Set<String> out = new TreeSet<>();
        for (Claim c : claimsOf(session)) {
            out.add(encode(c));
        }
        return out;
    }

    static List<Claim> claimsOf(CallItem session) {
        List<Claim> out = new ArrayList<>();
        if (session == null || session.copies == null || session.copies.isEmpty()) {
            return out;
        }
        for (List<TrailEvent> copy : TableAccess.copies(session)) {
            for (TrailEvent e : copy) {
                if (e instanceof RoleAssumed r) {
                    out.addAll(Claims.of(r));
                }
            }
        }
        return out;
    }

    static RunClaims read(Collection<String> members, String provider, String verifiedRepository) {
        if (members == null || members.isEmpty()) {
            return RunClaims.NONE;
        }
        List<Claim> claims = new ArrayList<>();
        for (String m : members) {
            Claim c = decode(m);
            if (c != null) {
                claims.add(c);
            }
        }
        return RunClaims.of(claims, provider, verifiedRepository);
    }

    static String encode(Claim c) {
        try {
            return JSON.writeValueAsString(new String[] {c.field(), c.value(), c.source(), Keys.time(c.time())});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Null for a member this version cannot read (written by a later one). */
    static Claim decode(String member) {
        try {
            String[] a = JSON.readValue(member, String[].class);
            return a.length < 4 || a[0] == null || a[1] == null || a[3] == null ? null : new Claim(a[0], a[1], a[2], "", Keys.instant(a[3]));
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}
