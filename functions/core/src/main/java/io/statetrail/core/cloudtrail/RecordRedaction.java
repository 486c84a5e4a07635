package io.statetrail.core.cloudtrail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A CloudTrail record as CloudTrail sent it, minus what would let a reader act as its caller: the one function that
 * decides what the raw record kept for the evidence (and shown on the finding page) may contain. See
 * {@code docs/security.md} "The raw record".
 *
 * <p>Removed wherever they appear (any depth, field names compared without case): the issued session's
 * {@code sessionToken} and {@code secretAccessKey} (CloudTrail logs the token in full for the AssumeRole APIs), the
 * OIDC token ({@code webIdentityToken}) and SAML assertion, {@code x-amz-security-token}, {@code Authorization},
 * presigned-URL signatures ({@code X-Amz-Signature}, SigV2 {@code Signature}) and passwords. Kept: access key ids
 * (not secret, and how analysts pivot), CloudTrail's own {@code HIDDEN_DUE_TO_SECURITY_REASONS}. Inside any text
 * (an error message, a URL) a signature or token query parameter and anything shaped like a JWT are replaced too.
 * Fields come out sorted by name, values unchanged.
 */
public final class RecordRedaction {

    public static final String REDACTED = "<redacted>";
    /** What CloudTrail itself writes in place of some secrets (IAM passwords, some request bodies). */
    static final String CLOUDTRAIL_HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";

    private static final Set<String> SECRET_FIELDS = Set.of("sessiontoken", "secretaccesskey", "webidentitytoken",
            "samlassertion", "x-amz-security-token", "x-amz-signature", "signature", "authorization", "password",
            "newpassword", "oldpassword", "clientsecret");
    // Query parameters of a presigned URL or a signed request, in any text.
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "((?:X-Amz-Security-Token|X-Amz-Signature|Signature|x-amz-security-token|x-amz-signature)=)[^&\\s\"']+");
    // Header-style "Authorization: AWS4-HMAC-SHA256 Credential=..., Signature=..." or "Bearer <token>".
    private static final Pattern BEARER = Pattern.compile("(Bearer\\s+)[A-Za-z0-9._~+/=-]+");
    // A JWT (an OIDC token pasted into an error message or a tag): three base64url parts, the first a JSON header.
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*");

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(RecordReader.MAX_STRING).maxNestingDepth(64).build())
            .build());

    private RecordRedaction() {
    }

    /** The record with its secrets removed, as compact JSON; empty when the text is not one JSON object. */
    public static java.util.Optional<String> redact(String recordJson) {
        return parse(recordJson).map(RecordRedaction::redactTree);
    }

    /** The record as a tree, read with the reader's limits; empty when the text is not one JSON object. */
    public static java.util.Optional<JsonNode> parse(String recordJson) {
        if (recordJson == null) {
            return java.util.Optional.empty();
        }
        try {
            JsonNode node = MAPPER.readTree(recordJson);
            return node != null && node.isObject() ? java.util.Optional.of(node) : java.util.Optional.empty();
        } catch (JsonProcessingException e) {
            return java.util.Optional.empty();
        }
    }

    /** A record already read ({@link #parse}) with its secrets removed, as compact JSON. */
    public static String redactTree(JsonNode record) {
        try {
            return MAPPER.writeValueAsString(clean(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private static JsonNode clean(JsonNode node) {
        if (node.isObject()) {
            // Fields sorted by name: copies of one record delivered in different shapes (a log file, a LookupEvents
            // string) keep the same text, so what is stored does not depend on which delivery came first.
            ObjectNode out = MAPPER.createObjectNode();
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            node.fields().forEachRemaining(fields::add);
            fields.sort(Map.Entry.comparingByKey());
            for (Map.Entry<String, JsonNode> f : fields) {
                if (SECRET_FIELDS.contains(f.getKey().toLowerCase(Locale.ROOT)) && !f.getValue().isNull()) {
                    out.set(f.getKey(), f.getValue().isTextual() && CLOUDTRAIL_HIDDEN.equals(f.getValue().asText())
                            ? f.getValue() : TextNode.valueOf(REDACTED));
                } else {
                    out.set(f.getKey(), clean(f.getValue()));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = (ArrayNode) node;
            for (int i = 0; i < out.size(); i++) {
                out.set(i, clean(out.get(i)));
            }
            return out;
        }
        if (node.isTextual()) {
            String text = text(node.asText());
            return text.equals(node.asText()) ? node : TextNode.valueOf(text);
        }
        return node;
    }

    /** Secrets inside free text: signed-URL parameters, bearer tokens, JWTs. */
    static String text(String s) {
        String out = SECRET_PARAMETER.matcher(s).replaceAll("$1" + REDACTED);
        out = BEARER.matcher(out).replaceAll("$1" + REDACTED);
        return JWT.matcher(out).replaceAll(REDACTED);
    }
}
