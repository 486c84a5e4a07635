package io.statetrail.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.StatusChange;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.lineage.Claims;
import io.statetrail.service.alert.Alert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Block Kit message of one alert (layout in {@code docs/alerts.md}): severity and type in the header, what
 * happened in one line, subject, repository and ref, account, time, state, role chain, what the run claims (labelled
 * as claimed), the force-unlock verdict of a stale lock, details, evidence event IDs,
 * and a link to the dashboard. Every outside value goes through {@link SlackText#escape}; the notification text
 * ({@code text}) and the header hold only our own words.
 */
public final class SlackMessage {

    static final int MAX_EVIDENCE_IDS = 20;
    static final int MAX_CHAIN = 6;
    static final int MAX_DETAILS = 8;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SlackMessage() {
    }

    public static String json(Alert alert) {
        return AlertJson.write(build(alert));
    }

    public static ObjectNode build(Alert alert) {
        Finding f = alert.first();
        int count = alert.count();
        String notice = f.details().get("notice");
        String title;
        if ("withdrawn".equals(alert.notice())) {
            title = "WITHDRAWN: " + alert.type() + " (was " + alert.severity().name() + ")";
        } else if (alert.isResolution()) {
            title = "RESOLVED: " + alert.type() + " (was " + alert.severity().name() + ")";
        } else if ("updated".equals(alert.notice())) {
            title = "UPDATED: " + alert.severity().name() + ": " + alert.type();
        } else if (alert.isStatusChange()) {
            title = f.status().label().toUpperCase(java.util.Locale.ROOT) + ": " + alert.type();
        } else {
            title = alert.severity().name() + ": " + alert.type() + (count > 1 ? " ×" + count : "")
                    + (notice != null && !notice.equals("raised") && notice.matches("[a-z0-9-]{1,20}") ? " (" + notice + ")" : "");
        }

        ObjectNode msg = MAPPER.createObjectNode();
        msg.put("text", SlackText.entities("statetrail " + title));
        ArrayNode blocks = msg.putArray("blocks");

        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        ObjectNode headerText = header.putObject("text");
        headerText.put("type", "plain_text");
        headerText.put("text", cut(emoji(alert) + " " + title, SlackText.HEADER_TEXT));
        headerText.put("emoji", true);

        section(blocks, SlackText.escape(f.summary(), 1500));
        if (alert.isStatusChange() && f.statusChange() != null) {
            // Who and the note are free text (an analyst's, or a principal name): escaped like every value from outside.
            StatusChange c = f.statusChange();
            section(blocks, "*Status* " + SlackText.entities(c.status().label()) + " by " + SlackText.escape(c.by(), 300)
                    + " at " + SlackText.entities(c.at().toString()) + (c.note() == null ? "" : "\n*Note* " + SlackText.escape(c.note(), 1500)));
        }
        List<Alert.Change> changes = alert.changes();
        if (!changes.isEmpty()) {
            StringBuilder c = new StringBuilder("*What changed since the last message*");
            for (Alert.Change change : changes) {
                c.append('\n').append(SlackText.entities(change.field())).append(": ")
                        .append(change.before() == null ? "(unknown)" : SlackText.escape(change.before(), 600)).append(" → ")
                        .append(change.after() == null ? "(unknown)" : SlackText.escape(change.after(), 600));
            }
            section(blocks, c.toString());
        }

        ObjectNode facts = blocks.addObject();
        facts.put("type", "section");
        ArrayNode fields = facts.putArray("fields");
        field(fields, "Subject", SlackText.escape(f.subject(), 600));
        field(fields, "Repository and ref", SlackText.escape(f.repository(), 300) + " " + SlackText.escape(f.ref(), 600));
        field(fields, "Account", SlackText.escape(f.account(), 40));
        field(fields, "Time", f.time() == null ? SlackText.NONE : SlackText.entities(f.time().toString()));
        field(fields, "State", SlackText.escape(f.stateKey(), 1000));
        field(fields, "Role chain", chain(f));

        String claimed = claimed(f.details());
        if (claimed != null) {
            section(blocks, claimed);
        }
        String verdict = forceUnlock(f.details());
        if (verdict != null) {
            section(blocks, verdict);
        }

        Map<String, String> rest = new TreeMap<>(f.details());
        rest.keySet().removeIf(k -> k.startsWith("claims.") || VERDICT.contains(k));
        if (!rest.isEmpty()) {
            StringBuilder d = new StringBuilder("*Details*");
            int n = 0;
            for (Map.Entry<String, String> e : rest.entrySet()) {
                if (n++ == MAX_DETAILS) {
                    d.append("\n…");
                    break;
                }
                d.append('\n').append(SlackText.entities(e.getKey())).append(": ").append(SlackText.escape(e.getValue(), 300));
            }
            section(blocks, d.toString());
        }

        TreeSet<String> evidence = new TreeSet<>();
        alert.findings().forEach(x -> evidence.addAll(x.eventIds()));
        StringBuilder ctx = new StringBuilder("Evidence:");
        int shown = 0;
        for (String id : evidence) {
            if (shown++ == MAX_EVIDENCE_IDS) {
                ctx.append(" and ").append(evidence.size() - MAX_EVIDENCE_IDS).append(" more");
                break;
            }
            ctx.append(' ').append(SlackText.escape(id, 80));
        }
        if (evidence.isEmpty()) {
            ctx.append(' ').append(SlackText.NONE);
        }
        ctx.append(" · finding ").append(SlackText.escape(f.id(), 100));
        context(blocks, ctx.toString());

        List<String> footer = new ArrayList<>();
        if (alert.isFollowUp() && alert.threadRef() == null) {
            footer.add("Follows up the alert about finding " + SlackText.escape(f.id(), 100) + " sent earlier");
        }
        if (!alert.isFollowUp() && (alert.findings().size() > 1 || count > 1)) {
            Instant first = alert.findings().stream().map(Finding::time).filter(t -> t != null).min(Instant::compareTo).orElse(null);
            Instant last = alert.findings().stream().map(Finding::time).filter(t -> t != null).max(Instant::compareTo).orElse(null);
            footer.add(count + " occurrences in " + alert.findings().size() + " finding" + (alert.findings().size() == 1 ? "" : "s")
                    + " grouped" + (first == null ? "" : ", " + first + " to " + last) + "; details of the first above");
        }
        String link = link(alert.dashboardUrl());
        if (link != null) {
            footer.add(link);
        }
        if (!footer.isEmpty()) {
            context(blocks, String.join(" · ", footer));
        }
        return msg;
    }

    private static String chain(Finding f) {
        List<String> roles = f.roleChain().isEmpty() && f.roleArn() != null ? List.of(f.roleArn()) : f.roleChain();
        if (roles.isEmpty()) {
            return SlackText.NONE;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < roles.size(); i++) {
            if (i == MAX_CHAIN) {
                out.append(" → … (").append(roles.size() - MAX_CHAIN).append(" more)");
                break;
            }
            out.append(i == 0 ? "" : " → ").append(SlackText.escape(roles.get(i), 250));
        }
        return out.toString();
    }

    /** The stale-lock verdict keys, shown in their own section. */
    static final Set<String> VERDICT = Set.of("verdict", "holderEnded", "wroteStateAfterLock", "holderLastCall",
            "sinceHolderLastCall", "advice", "forceUnlock");

    /**
     * What the run claims about itself (session tags, user agent, session name), labelled as claimed: its own client
     * set it, so it stands next to the verified subject and never in its place.
     */
    static String claimed(Map<String, String> details) {
        StringBuilder out = new StringBuilder();
        for (String field : Claims.FIELDS) {
            String value = details.get("claims." + field);
            if (value != null) {
                out.append('\n').append(SlackText.entities(LABELS.getOrDefault(field, field))).append(": ")
                        .append(SlackText.escape(value, 300)).append(" from ")
                        .append(SlackText.escape(details.get("claims." + field + ".source"), 120));
            }
        }
        String url = link(details.get("claims.url"), "Open the claimed run on GitHub");
        if (url != null) {
            out.append('\n').append(url);
        }
        return out.isEmpty() ? null : "*Claimed by the run (set by its own client, not verified; the subject is)*" + out;
    }

    private static final Map<String, String> LABELS = Map.of("runId", "Run id", "runAttempt", "Attempt", "workflow", "Workflow",
            "actor", "Actor", "commit", "Commit", "branch", "Branch", "repository", "Repository");

    /** The stale-lock verdict: may the lock be forced open, and the exact command when the lock's ID was read. */
    static String forceUnlock(Map<String, String> details) {
        String verdict = details.get("verdict");
        if (verdict == null) {
            return null;
        }
        StringBuilder out = new StringBuilder("*Force-unlock?* ").append(SlackText.escape(verdict, 40));
        out.append("\n").append(SlackText.escape(details.get("advice"), 600));
        out.append("\nHolder ended: ").append(SlackText.escape(details.get("holderEnded"), 20))
                .append(" · wrote the state after taking the lock: ").append(SlackText.escape(details.get("wroteStateAfterLock"), 20))
                .append(" · its last call: ").append(SlackText.escape(details.get("holderLastCall"), 40));
        String command = details.get("forceUnlock");
        out.append("\nCommand: ").append(command == null ? "(the lock's ID was not read)" : SlackText.escape(command, 200));
        return out.toString();
    }

    static String link(String url) {
        return link(url, "Open the statetrail dashboard");
    }

    /** A link only to an http(s) URL with nothing that could end Slack's {@code <url|label>} token. */
    static String link(String url, String label) {
        if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
            return null;
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= ' ' || c == '<' || c == '>' || c == '|' || c == 0x7f) {
                return null;
            }
        }
        return "<" + url.replace("&", "&amp;") + "|" + label + ">";
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        ObjectNode s = blocks.addObject();
        s.put("type", "section");
        s.set("text", text(cut(mrkdwn, SlackText.SECTION_TEXT)));
    }

    private static void field(ArrayNode fields, String label, String mrkdwn) {
        fields.add(text(cut("*" + label + "*\n" + mrkdwn, SlackText.FIELD_TEXT)));
    }

    private static void context(ArrayNode blocks, String mrkdwn) {
        ObjectNode c = blocks.addObject();
        c.put("type", "context");
        c.putArray("elements").add(text(cut(mrkdwn, SlackText.SECTION_TEXT)));
    }

    private static ObjectNode text(String mrkdwn) {
        ObjectNode t = MAPPER.createObjectNode();
        t.put("type", "mrkdwn");
        t.put("text", mrkdwn);
        // verbatim: no auto-linking of URLs, channel names or mentions that were not written as <…> tokens.
        t.put("verbatim", true);
        return t;
    }

    /** Last guard on Slack's limits; the per-value limits above keep every block under them already. */
    private static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        String t = s.substring(0, max - 2);
        // Never leave a code span open: the escaped value after it would lose its protection.
        return t.chars().filter(c -> c == '`').count() % 2 == 1 ? t + "…`" : t + "…";
    }

    private static String emoji(Alert alert) {
        if (alert.isStatusChange()) {
            return ":memo:";
        }
        if ("withdrawn".equals(alert.notice()) || alert.isResolution()) {
            return ":white_check_mark:";
        }
        if ("updated".equals(alert.notice())) {
            return ":arrows_counterclockwise:";
        }
        return emoji(alert.severity());
    }

    private static String emoji(Severity s) {
        return switch (s) {
            case CRITICAL -> ":red_circle:";
            case HIGH -> ":large_orange_circle:";
            case MEDIUM -> ":large_yellow_circle:";
            case LOW -> ":white_circle:";
        };
    }
}
