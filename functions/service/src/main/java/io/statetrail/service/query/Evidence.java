package io.statetrail.service.query;

import io.statetrail.core.event.EventMeta;
import io.statetrail.core.finding.Finding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A finding's evidence as the finding page lists it: each call its eventIDs name, once (a call's copies share one
 * entry), in the finding's order (the evidence, then the calls that issued the run's sessions).
 *
 * @param findingId the finding
 * @param calls     the calls found in the audit trail
 * @param notFound  eventIDs of the finding that no stored call has (expired with the retention, or never stored)
 * @param truncated true when the finding names more calls than one page lists ({@link #MAX_CALLS})
 */
public record Evidence(String findingId, List<Call> calls, List<String> notFound, boolean truncated) {

    /** Most calls listed: a finding grouping hundreds of calls lists its first ones; the CSV of the state has all. */
    public static final int MAX_CALLS = 100;

    public Evidence {
        calls = List.copyOf(calls);
        notFound = List.copyOf(notFound);
    }

    /**
     * One call of the evidence. Every text field is as CloudTrail logged it, so attacker-chosen where the caller chose
     * it (user agent, event name of a forged record): shown as text only.
     *
     * @param eventId         the eventID of the copy kept, the one {@code GET /api/calls/{eventId}/record} answers
     * @param eventIds        every copy's eventID
     * @param sourceIPAddress CloudTrail's {@code sourceIPAddress}: an address, or an AWS service's name
     * @param recordKept      whether the CloudTrail record (minus secrets) was kept and can be shown
     */
    public record Call(String eventId, List<String> eventIds, Instant time, String eventSource, String eventName,
                       String sourceIPAddress, String userAgent, String account, String region, String errorCode,
                       String principal, String accessKeyId, boolean recordKept) {

        public Call {
            eventIds = List.copyOf(eventIds);
        }

        static Call of(CallRecord c) {
            EventMeta m = c.meta();
            return new Call(m.eventId(), c.eventIds(), m.time(), m.eventSource(), m.eventName(), m.sourceIp(), m.userAgent(),
                    m.account(), m.region(), m.errorCode(), Evidence.principalOf(m),
                    m.actor() == null ? null : m.actor().accessKeyId(), c.record() != null);
        }
    }

    /** Who called: the ARN, or a web-identity caller's subject (its {@code userName}). */
    static String principalOf(EventMeta m) {
        if (m.actor() == null) {
            return null;
        }
        return m.actor().arn() != null ? m.actor().arn() : m.actor().userName();
    }

    /** The evidence of a finding, looking each call up by eventID ({@link AuditQueries#call}). */
    public static Evidence of(Finding finding, Function<String, Optional<CallRecord>> lookup) {
        List<Call> calls = new ArrayList<>();
        Set<String> covered = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        boolean truncated = false;
        for (String id : new LinkedHashSet<>(finding.eventIds())) {
            if (covered.contains(id)) {
                continue;
            }
            if (calls.size() >= MAX_CALLS) {
                truncated = true;
                break;
            }
            Optional<CallRecord> call = lookup.apply(id);
            if (call.isPresent()) {
                calls.add(Call.of(call.get()));
                covered.addAll(call.get().eventIds());
            } else {
                missing.add(id);
            }
        }
        // An id looked up before its call was found through another copy is not missing.
        missing.removeIf(covered::contains);
        return new Evidence(finding.id(), calls, missing, truncated);
    }
}
