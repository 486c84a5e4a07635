package io.statetrail.core.finding;

import java.util.Locale;

public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown severity '" + text + "' (expected low, medium, high or critical)");
        }
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
