package io.statetrail.core.detect;

import inet.ipaddr.IPAddress;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.event.UserAgents;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.policy.Networks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A call signed by one of a run's sessions from a public address other than the one the run logged in from, and
 * outside the policy's {@code networks}. A GitHub-hosted job runs on one VM with one public address; credentials
 * stolen from it (a log, a cache, a compromised action) are used from the thief's own network. One finding per run
 * and address, with its first and last call and the user agents seen there; a change of client family (Terraform or
 * the AWS CLI at the login's address, curl or a script at the other) is shown as supporting detail.
 *
 * <p>Not evidence: calls AWS makes on the caller's behalf ({@code invokedBy}, or a service name or {@code AWS Internal}
 * as the source address), private addresses, and calls through a VPC endpoint, whose address is one of that VPC. Those
 * are compared by endpoint instead: when the run logged in through VPC endpoints, a call through an endpoint of another
 * account ({@code vpcEndpointAccountId}) is evidence, grouped by that endpoint. A run that logged in over the internet is
 * not judged on its endpoint calls (an S3 gateway endpoint beside a NAT is common). Only calls statetrail receives are
 * seen: role assumptions, state and lock calls, trust-policy changes.
 */
public final class SessionUsedElsewhere implements Detection {

    /** User agents listed per address at most; each cut to this length. */
    static final int MAX_AGENTS = 5;
    static final int MAX_AGENT_LENGTH = 200;

    @Override
    public FindingType type() {
        return FindingType.SESSION_USED_ELSEWHERE;
    }

    /** Where the run logged in from: public addresses, and the VPC endpoints (with their accounts) it came through. */
    private record Home(TreeSet<String> addresses, TreeSet<String> endpoints, TreeSet<String> endpointAccounts, TreeSet<String> families) {
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        List<Finding> out = new ArrayList<>();
        Networks networks = e.policy().networks();
        for (Runs.Run run : e.runs()) {
            Home home = home(run);
            Map<String, List<TrailEvent>> elsewhere = new LinkedHashMap<>();
            for (TrailEvent call : run.calls()) {
                String where = elsewhere(call.meta(), home, networks);
                if (where != null) {
                    elsewhere.computeIfAbsent(where, k -> new ArrayList<>()).add(call);
                } else if (isPublicOrEndpoint(call.meta(), networks)) {
                    home.families().add(UserAgents.family(call.meta().userAgent()));
                }
            }
            for (Map.Entry<String, List<TrailEvent>> g : elsewhere.entrySet()) {
                out.add(finding(e, run, home, g.getKey(), g.getValue()));
            }
        }
        return out;
    }

    private static Home home(Runs.Run run) {
        Home home = new Home(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
        for (RoleAssumed r : run.sessions()) {
            if (r.webIdentity() == null) {
                continue;
            }
            EventMeta m = r.meta();
            home.families().add(UserAgents.family(m.userAgent()));
            if (m.vpcEndpointId() != null) {
                home.endpoints().add(m.vpcEndpointId());
                if (m.vpcEndpointAccountId() != null) {
                    home.endpointAccounts().add(m.vpcEndpointAccountId());
                }
            } else {
                Networks.address(m.sourceIp()).filter(Networks::isPublic).ifPresent(a -> home.addresses().add(a.toCanonicalString()));
            }
        }
        return home;
    }

    /** The address (or {@code vpce:<endpoint>}) that makes this call evidence, or null when it is none. */
    static String elsewhere(EventMeta m, Home home, Networks networks) {
        if (m.actor().invokedBy() != null) {
            return null; // an AWS service acting for the caller
        }
        if (m.vpcEndpointId() != null) {
            boolean foreign = !home.endpointAccounts().isEmpty() && m.vpcEndpointAccountId() != null
                    && !home.endpointAccounts().contains(m.vpcEndpointAccountId()) && !home.endpoints().contains(m.vpcEndpointId());
            return foreign ? "vpce:" + m.vpcEndpointId() : null;
        }
        Optional<IPAddress> a = Networks.address(m.sourceIp());
        if (a.isEmpty() || !Networks.isPublic(a.get()) || networks.contains(a.get())) {
            return null;
        }
        String address = a.get().toCanonicalString();
        return home.addresses().contains(address) ? null : address;
    }

    /** Calls from where the run normally is (for its usual user agents): a public address or an endpoint, no service. */
    private static boolean isPublicOrEndpoint(EventMeta m, Networks networks) {
        return m.actor().invokedBy() == null
                && (m.vpcEndpointId() != null || Networks.address(m.sourceIp()).filter(Networks::isPublic).isPresent());
    }

    private Finding finding(Evaluation e, Runs.Run run, Home home, String where, List<TrailEvent> calls) {
        TrailEvent first = calls.get(0);
        TrailEvent last = calls.get(calls.size() - 1);
        TreeSet<String> agents = new TreeSet<>();
        TreeSet<String> families = new TreeSet<>();
        TreeSet<String> names = new TreeSet<>();
        for (TrailEvent c : calls) {
            String ua = c.meta().userAgent();
            families.add(UserAgents.family(ua));
            if (ua != null && agents.size() < MAX_AGENTS) {
                agents.add(ua.length() > MAX_AGENT_LENGTH ? ua.substring(0, MAX_AGENT_LENGTH) + "…" : ua);
            }
            names.add(c.meta().eventName());
        }
        boolean endpoint = where.startsWith("vpce:");
        TreeSet<String> usual = new TreeSet<>(home.families());
        boolean changed = !usual.isEmpty() && !usual.containsAll(families);
        String loggedIn = endpoint ? String.join(",", home.endpoints()) : String.join(",", home.addresses());
        FindingDraft d = e.draft(type(), first).chain(e.chainOf(first)).count(calls.size());
        calls.subList(1, calls.size()).forEach(d::also);
        String subject = run.login().origin().webIdentity().subject().raw();
        String place = endpoint ? "VPC endpoint " + where.substring(5) + " of account " + first.meta().vpcEndpointAccountId() : where;
        d.details(run.claims().details(run.login().origin().webIdentity().provider(), run.login().origin().webIdentity().subject().repository()))
                .detail(endpoint ? "vpcEndpointId" : "sourceAddress", endpoint ? where.substring(5) : where)
                .detail("vpcEndpointAccountId", endpoint ? first.meta().vpcEndpointAccountId() : null)
                .detail("loginAddresses", loggedIn.isEmpty() ? null : loggedIn)
                .detail("firstCall", first.meta().time().toString())
                .detail("lastCall", last.meta().time().toString())
                .detail("calls", String.valueOf(calls.size()))
                .detail("eventNames", String.join(",", names))
                .detail("userAgents", String.join(" | ", agents))
                .detail("userAgentFamilies", String.join(",", families))
                .detail("loginUserAgentFamilies", usual.isEmpty() ? null : String.join(",", usual))
                .detail("userAgentChanged", usual.isEmpty() ? null : String.valueOf(changed))
                .summary("Credentials of the run of " + subject + " used from " + place + " (" + calls.size() + " call"
                        + (calls.size() == 1 ? "" : "s") + ", " + first.meta().time() + (calls.size() == 1 ? "" : " to " + last.meta().time())
                        + ": " + String.join(", ", names) + "; " + String.join(", ", families)
                        + (changed ? " where the run used " + String.join(", ", usual) : "") + "), not where it logged in"
                        + (loggedIn.isEmpty() ? "" : " (" + loggedIn + ")"))
                .identity(run.runKey(), where);
        return d.build();
    }
}
