package io.statetrail.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.port.AlertSink;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Posts each alert as one Block Kit message to Slack. The secret (from Secrets Manager in AWS, read on first use) is
 * either
 * <ul>
 *   <li>an incoming webhook URL: Slack answers {@code 200 ok} and names no message, so a follow-up (withdrawn, updated)
 *       is a message of its own that names the finding; or</li>
 *   <li>a bot token and channel, {@code {"botToken": "xoxb-…", "channel": "C0123456789"}}: messages go through the Web
 *       API's {@code chat.postMessage}, which names each message ({@code channel}, {@code ts}), and follow-ups are posted
 *       as replies in the thread of the page they follow.</li>
 * </ul>
 * 429 and 5xx are retryable, other 4xx and Web API errors such as {@code invalid_auth} or {@code channel_not_found} need
 * an operator and are retried only rarely. Neither the URL nor the token ever appears in an error.
 */
public final class SlackAlertSink implements AlertSink {

    public static final String NAME = "slack";
    public static final URI WEB_API = URI.create("https://slack.com/api/");
    /** Web API errors that pass on their own; every other {@code ok: false} needs an operator. */
    static final Set<String> RETRYABLE_ERRORS = Set.of("ratelimited", "rate_limited", "service_unavailable", "request_timeout",
            "internal_error", "fatal_error");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Supplier<String> secret;
    private final URI webApi;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param secret a webhook URL, or the JSON of a bot token and channel
     * @param webApi base URI of Slack's Web API ({@link #WEB_API}; a loopback server in tests)
     */
    public SlackAlertSink(Supplier<String> secret, URI webApi, HttpClient http, Duration timeout) {
        this.secret = secret;
        this.webApi = webApi;
        this.http = http;
        this.timeout = timeout;
    }

    public SlackAlertSink(Supplier<String> secret, HttpClient http, Duration timeout) {
        this(secret, WEB_API, http, timeout);
    }

    public SlackAlertSink(Supplier<String> secret) {
        this(secret, WEB_API, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Duration.ofSeconds(10));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Where and how to post, from the secret. */
    private record Target(URI uri, String botToken, String channel) {
        boolean webApi() {
            return botToken != null;
        }
    }

    private Target target() throws AlertException {
        String value;
        try {
            value = secret.get();
        } catch (RuntimeException e) {
            throw new AlertException("cannot read the Slack secret: " + e.getClass().getSimpleName(), true, e);
        }
        if (value == null || value.isBlank()) {
            throw new AlertException("Slack secret is empty", false, null);
        }
        value = value.trim();
        if (value.startsWith("{")) {
            JsonNode o;
            try {
                o = MAPPER.readTree(value);
            } catch (IOException e) {
                throw new AlertException("Slack secret is neither a webhook URL nor JSON with botToken and channel", false, null);
            }
            String token = o.path("botToken").asText("");
            String channel = o.path("channel").asText("");
            if (token.isBlank() || channel.isBlank()) {
                throw new AlertException("Slack secret JSON needs botToken and channel", false, null);
            }
            return new Target(webApi.resolve("chat.postMessage"), token, channel);
        }
        try {
            return new Target(URI.create(value), null, null);
        } catch (IllegalArgumentException e) {
            // Never echo the URL: it is the credential.
            throw new AlertException("Slack webhook URL is not a URL", false, null);
        }
    }

    @Override
    public String send(Alert alert) throws AlertException {
        Target target = target();
        ObjectNode message = SlackMessage.build(alert);
        HttpRequest.Builder request = HttpRequest.newBuilder(target.uri())
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8");
        if (target.webApi()) {
            message.put("channel", target.channel());
            message.put("unfurl_links", false);
            message.put("unfurl_media", false);
            String thread = threadTs(alert.threadRef(), target.channel());
            if (thread != null) {
                message.put("thread_ts", thread);
            }
            request.header("Authorization", "Bearer " + target.botToken());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(AlertJson.write(message), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AlertException(what(target) + " unreachable: " + e.getClass().getSimpleName() + safeReason(e.getMessage(), target), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlertException("interrupted while posting to Slack", true, e);
        }
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status / 100 != 2) {
            String reason = what(target) + " answered " + status + " " + clip(body).strip();
            if (status == 429) {
                reason += response.headers().firstValue("Retry-After").map(s -> " (Retry-After " + clip(s) + ")").orElse("");
            }
            throw new AlertException(reason, status == 429 || status == 408 || status >= 500, null);
        }
        if (!target.webApi()) {
            return null;
        }
        JsonNode answer;
        try {
            answer = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AlertException("Slack Web API answered something other than JSON", true, e);
        }
        if (!answer.path("ok").asBoolean(false)) {
            String error = answer.path("error").asText("unknown");
            throw new AlertException("Slack Web API error " + clip(error), RETRYABLE_ERRORS.contains(error), null);
        }
        String channel = answer.path("channel").asText(target.channel());
        String ts = answer.path("ts").asText(null);
        return ts == null ? null : channel + "|" + ts;
    }

    /** The thread to reply in: the page's timestamp, when it was posted to this same channel. */
    static String threadTs(String ref, String channel) {
        if (ref == null) {
            return null;
        }
        int bar = ref.indexOf('|');
        if (bar < 0) {
            return null;
        }
        String refChannel = ref.substring(0, bar);
        // A channel configured by name ("#alerts") is answered with its id: trust the ref then.
        return refChannel.equals(channel) || !channel.matches("[A-Z0-9]+") ? ref.substring(bar + 1) : null;
    }

    /** The exception's own words, unless they could carry the credential (the webhook's path, the token). */
    private static String safeReason(String message, Target target) {
        if (message == null || message.isBlank()) {
            return "";
        }
        String path = target.uri().getRawPath();
        boolean leaks = (path != null && path.length() > 1 && message.contains(path))
                || (target.botToken() != null && message.contains(target.botToken())) || message.contains("hooks.slack");
        return leaks ? "" : " (" + clip(message) + ")";
    }

    private static String what(Target target) {
        return target.webApi() ? "Slack Web API" : "Slack webhook";
    }

    private static String clip(String s) {
        return s.length() > 100 ? s.substring(0, 100) : s;
    }
}
