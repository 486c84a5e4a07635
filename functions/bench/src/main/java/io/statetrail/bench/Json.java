package io.statetrail.bench;

/**
 * A minimal JSON writer that keeps fields in the order they are written, as CloudTrail does
 * ({@code eventVersion, userIdentity, eventTime, eventSource, eventName, …}); a data binding would not.
 */
final class Json {

    private final StringBuilder sb;
    private boolean comma;

    Json(StringBuilder sb) {
        this.sb = sb;
    }

    Json o() {
        sep();
        sb.append('{');
        comma = false;
        return this;
    }

    /** Closes an object. */
    Json c() {
        sb.append('}');
        comma = true;
        return this;
    }

    Json a() {
        sep();
        sb.append('[');
        comma = false;
        return this;
    }

    /** Closes an array. */
    Json ca() {
        sb.append(']');
        comma = true;
        return this;
    }

    Json k(String name) {
        sep();
        str(name);
        sb.append(':');
        comma = false;
        return this;
    }

    Json s(String v) {
        sep();
        if (v == null) {
            sb.append("null");
        } else {
            str(v);
        }
        comma = true;
        return this;
    }

    Json n(long v) {
        sep();
        sb.append(v);
        comma = true;
        return this;
    }

    /** A float the way CloudTrail writes S3 byte counts: {@code 97120.0}. */
    Json d(long v) {
        sep();
        sb.append(v).append(".0");
        comma = true;
        return this;
    }

    Json b(boolean v) {
        sep();
        sb.append(v);
        comma = true;
        return this;
    }

    Json nul() {
        sep();
        sb.append("null");
        comma = true;
        return this;
    }

    Json ks(String key, String v) {
        return k(key).s(v);
    }

    Json kn(String key, long v) {
        return k(key).n(v);
    }

    Json kb(String key, boolean v) {
        return k(key).b(v);
    }

    /** An empty object value, e.g. {@code "attributes":{}}. */
    Json kEmpty(String key) {
        return k(key).o().c();
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    private void sep() {
        if (comma) {
            sb.append(',');
        }
    }

    private void str(String v) {
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }
}
