package io.statetrail.core.finding;

import java.util.Locale;

/**
 * Where an analyst's triage of a finding stands. Part of the output contract: the strings are the finding JSON's
 * {@code status} and the API's and CLI's filter values.
 */
public enum FindingStatus {
    OPEN("open"),
    ACKNOWLEDGED("acknowledged"),
    RESOLVED("resolved"),
    FALSE_POSITIVE("false-positive");

    private final String label;

    FindingStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * Closing a finding (resolved, false positive) is a judgement someone will read later without the analyst at hand,
     * so it must say why; acknowledging or reopening may.
     */
    public boolean needsNote() {
        return this == RESOLVED || this == FALSE_POSITIVE;
    }

    public static FindingStatus parse(String text) {
        if (text != null) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (FindingStatus s : values()) {
                if (s.label.equals(t)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown status '" + (text == null ? "" : text.length() > 40 ? text.substring(0, 40) + "…" : text)
                + "' (expected open, acknowledged, resolved or false-positive)");
    }
}
