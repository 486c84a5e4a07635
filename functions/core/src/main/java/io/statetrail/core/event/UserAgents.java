package io.statetrail.core.event;

import java.util.Locale;

/**
 * What a {@code userAgent} says, read defensively (it is set by the caller: absent, cut off or hostile text are all
 * possible): the GitHub run context {@code aws-actions/configure-aws-credentials} puts there, and the family of
 * client that made a call.
 *
 * <p>Since v6.2.0 (commit 29d1be3, #1774; read at bcd4089, 2026-08-18) the action's STS client sends the custom user
 * agent {@code configure-aws-credentials-for-github-actions md/action#<GITHUB_ACTION> md/run_id#<GITHUB_RUN_ID>
 * md/attempt#<GITHUB_RUN_ATTEMPT>} ({@code src/helpers.ts}, {@code buildCustomUserAgent}; the SDK renders each
 * {@code ['md', 'label#value']} pair as {@code md/label#value}), each value only when it matches the action's own
 * pattern: {@code [A-Za-z0-9_-]{1,128}}, {@code [0-9]{1,20}}, {@code [0-9]{1,10}}. Older versions send the first
 * token alone ({@code aws-sdk-nodejs/2.… configure-aws-credentials-for-github-actions promise}).
 */
public final class UserAgents {

    public static final String ACTION_TOKEN = "configure-aws-credentials-for-github-actions";

    /** The run context of one user agent; fields are null when absent or not as the action writes them. */
    public record RunContext(String action, String runId, String attempt) {
        public static final RunContext NONE = new RunContext(null, null, null);

        public boolean isEmpty() {
            return action == null && runId == null && attempt == null;
        }
    }

    private UserAgents() {
    }

    /**
     * The run context, only from a user agent that carries the action's token. The action always sends the attempt
     * after the run id (GitHub sets both), so a run id that ends the text without an attempt after it may have been cut
     * off and is left out.
     */
    public static RunContext runContext(String userAgent) {
        if (userAgent == null || !userAgent.contains(ACTION_TOKEN)) {
            return RunContext.NONE;
        }
        String action = null, runId = null, attempt = null;
        boolean attemptAfterRunId = false;
        String[] tokens = userAgent.split("\\s+");
        for (String raw : tokens) {
            String token = trimDecoration(raw);
            if (token.startsWith("md/action#") && action == null) {
                action = value(token, "md/action#", "[A-Za-z0-9_-]{1,128}");
            } else if (token.startsWith("md/run_id#") && runId == null) {
                runId = value(token, "md/run_id#", "[0-9]{1,20}");
            } else if (token.startsWith("md/attempt#") && attempt == null) {
                attempt = value(token, "md/attempt#", "[0-9]{1,10}");
                attemptAfterRunId = runId != null;
            }
        }
        if (runId != null && !attemptAfterRunId) {
            runId = null;
        }
        return new RunContext(action, runId, attempt);
    }

    private static String value(String token, String prefix, String pattern) {
        String v = token.substring(prefix.length());
        return v.matches(pattern) ? v : null;
    }

    /** The console and some services wrap user agents in brackets; a list may add a comma. */
    private static String trimDecoration(String token) {
        int end = token.length();
        while (end > 0 && "]),;".indexOf(token.charAt(end - 1)) >= 0) {
            end--;
        }
        return token.substring(0, end);
    }

    /**
     * The kind of client, for comparing where a run's credentials were used: {@code terraform}, {@code opentofu},
     * {@code configure-aws-credentials}, {@code aws-cli}, {@code aws-sdk-<language>}, {@code boto3}, {@code curl},
     * {@code python-requests}, {@code browser}, {@code console}, {@code aws-service}, {@code none} or {@code other}
     * (a script or tool that names itself otherwise).
     */
    public static String family(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "none";
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        if (ua.contains("opentofu")) {
            return "opentofu";
        }
        if (ua.contains("terraform/") || ua.contains("terraform-provider-") || ua.contains("hashicorp/")) {
            return "terraform";
        }
        if (ua.contains(ACTION_TOKEN)) {
            return "configure-aws-credentials";
        }
        if (ua.contains("console") || ua.contains("aws-internal/")) {
            return "console";
        }
        if (ua.contains("aws-cli/")) {
            return "aws-cli";
        }
        if (ua.contains("boto3/")) {
            return "boto3";
        }
        if (ua.contains("curl/")) {
            return "curl";
        }
        if (ua.contains("python-requests/")) {
            return "python-requests";
        }
        int sdk = ua.indexOf("aws-sdk-");
        if (sdk >= 0) {
            String lang = ua.substring(sdk + "aws-sdk-".length()).split("[/ #]", 2)[0];
            return "aws-sdk-" + (lang.matches("[a-z0-9-]{1,16}") ? lang.replaceAll("-v\\d+$", "") : "other");
        }
        if (ua.contains("botocore/")) {
            return "boto3";
        }
        if (ua.startsWith("mozilla/") || ua.startsWith("[mozilla/")) {
            return "browser";
        }
        if (ua.equals("aws internal") || ua.endsWith(".amazonaws.com")) {
            return "aws-service";
        }
        return "other";
    }
}
