package io.statetrail.core.event;

/**
 * One session tag of a role assumption as CloudTrail logged it in {@code requestParameters}.
 *
 * @param kind  where it was logged: {@link Kind#TAG} ({@code tags}, set by the caller, e.g. configure-aws-credentials),
 *              {@link Kind#TRANSITIVE} ({@code incomingTransitiveTags}, passed on from an earlier hop) or
 *              {@link Kind#PRINCIPAL} ({@code principalTags}, from the identity provider's token)
 */
public record SessionTag(Kind kind, String key, String value) {

    /** AWS's limits (IAM User Guide, "Passing session tags in AWS STS"): longer ones are not real, and are cut. */
    public static final int MAX_TAGS = 50;
    public static final int MAX_KEY = 128;
    public static final int MAX_VALUE = 256;

    public enum Kind {
        TAG("tag"), TRANSITIVE("transitiveTag"), PRINCIPAL("principalTag");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The name in a claim's source, e.g. {@code tag:Branch}. */
        public String label() {
            return label;
        }

        public static Kind byLabel(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown session tag kind '" + label + "'");
        }
    }

    public SessionTag {
        key = clip(key, MAX_KEY);
        value = clip(value, MAX_VALUE);
    }

    private static String clip(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        // Never cut a surrogate pair in two.
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }
}
