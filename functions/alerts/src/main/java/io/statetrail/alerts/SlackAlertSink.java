package io.statetrail.alerts;

import io.statetrail.service.alert.Alert;
import io.statetrail.service.port.AlertSink;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Posts each alert as one Block Kit message to a Slack incoming webhook (URL from Secrets Manager in AWS, read on first
 * use). Slack answers {@code 200 ok}; 429 and 5xx are retryable, other 4xx ({@code invalid_payload},
 * {@code no_service}, {@code channel_is_archived}…) need an operator and are retried only rarely.
 */
public final class SlackAlertSink implements AlertSink {

    public static final String NAME = "slack";

    private final Supplier<String> webhookUrl;
    private final HttpClient http;
    private final Duration timeout;

    public SlackAlertSink(Supplier<String> webhookUrl, HttpClient http, Duration timeout) {
        this.webhookUrl = webhookUrl;
        this.http = http;
        this.timeout = timeout;
    }

    public SlackAlertSink(Supplier<String> webhookUrl) {
        this(webhookUrl, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Duration.ofSeconds(10));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(Alert alert) throws AlertException {
        URI uri;
        try {
            String url = webhookUrl.get();
            if (url == null || url.isBlank()) {
                throw new AlertException("Slack webhook URL is empty", false, null);
            }
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            // Never echo the URL: it is the credential.
            throw new AlertException("Slack webhook URL is not a URL", false, null);
        } catch (RuntimeException e) {
            throw new AlertException("cannot read the Slack webhook URL: " + e.getClass().getSimpleName(), true, e);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(SlackMessage.json(alert), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AlertException("Slack webhook unreachable: " + e.getClass().getSimpleName(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlertException("interrupted while posting to Slack", true, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        String body = response.body() == null ? "" : response.body();
        String reason = "Slack webhook answered " + status + " " + (body.length() > 100 ? body.substring(0, 100) : body).strip();
        if (status == 429) {
            reason += response.headers().firstValue("Retry-After").map(s -> " (Retry-After " + s + ")").orElse("");
        }
        throw new AlertException(reason, status == 429 || status == 408 || status >= 500, null);
    }
}
