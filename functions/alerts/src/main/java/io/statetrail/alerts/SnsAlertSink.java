package io.statetrail.alerts;

import io.statetrail.core.finding.Finding;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.port.AlertSink;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Publishes each finding of an alert as its own SNS message (JSON per {@code docs/alerts.md}), with the String message
 * attributes {@code type}, {@code severity}, {@code repository} and {@code account} so subscribers can filter. The
 * group's size is in the body. A failure part-way names the findings already published, so only the rest is retried.
 */
public final class SnsAlertSink implements AlertSink {

    public static final String NAME = "sns";
    /** Attribute values are outside text: keep them short (filter policies match whole values anyway). */
    static final int MAX_ATTRIBUTE = 256;

    private final Supplier<SnsClient> sns;
    private final String topicArn;

    /** @param sns created on first use, so a function that never alerts never builds the client */
    public SnsAlertSink(Supplier<SnsClient> sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String send(Alert alert) throws AlertException {
        // One Publish per finding, as docs/alerts.md describes: a batch of one.
        BatchedSend.send("SNS", "Publish", "messages", alert.findings(), 1, batch -> {
            sns.get().publish(request(alert, batch.get(0)));
            return List.of();
        });
        return null; // SNS messages have ids, but nothing replies to them
    }

    /** The exact request for one finding: what the tests pin. */
    public PublishRequest request(Alert alert, Finding f) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attribute(attributes, "type", f.type());
        attribute(attributes, "severity", f.severity() == null ? null : f.severity().label());
        attribute(attributes, "repository", f.repository());
        attribute(attributes, "account", f.account());
        attribute(attributes, "notice", alert.notice());
        String follow = alert.isFollowUp() ? alert.notice() + " " : "";
        return PublishRequest.builder()
                .topicArn(topicArn)
                // Only our own words in the subject (email subscribers see it): type and severity, never outside text.
                .subject("statetrail " + follow + (f.severity() == null ? "" : f.severity().label() + " ") + f.type())
                .message(AlertJson.messageText(alert, f))
                .messageAttributes(attributes)
                .build();
    }

    private static void attribute(Map<String, MessageAttributeValue> out, String name, String value) {
        String v = attributeText(value);
        if (v != null) {
            out.put(name, MessageAttributeValue.builder().dataType("String").stringValue(v).build());
        }
    }

    /** SNS refuses empty values and characters outside XML 1.0; absent attributes match {@code "exists": false}. */
    static String attributeText(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_ATTRIBUTE));
        for (int i = 0; i < value.length() && out.length() < MAX_ATTRIBUTE; ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            boolean xml = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
            out.appendCodePoint(xml ? cp : 0xFFFD);
        }
        return out.toString();
    }
}
