package io.statetrail.api;

/**
 * A query the API refuses, with the HTTP status and a message written for the person who sent it. The CLI prints the
 * same message and exits 2.
 */
public final class BadQuery extends RuntimeException {

    private final int status;
    private final String code;

    private BadQuery(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** 400: a parameter that cannot be read, a time range that ends before it starts, a page that is too big. */
    public static BadQuery invalid(String message) {
        return new BadQuery(400, "bad-query", message);
    }

    /** 404: an access key, run, state key or finding the audit trail has never seen. */
    public static BadQuery notFound(String message) {
        return new BadQuery(404, "not-found", message);
    }

    /** 403: a status change from where none is accepted (another site, another host, no or a wrong token, unsigned). */
    public static BadQuery forbidden(String message) {
        return new BadQuery(403, "forbidden", message);
    }

    /** 405: a status change on a server that keeps no triage (a read-only trail). */
    public static BadQuery readOnly(String message) {
        return new BadQuery(405, "read-only", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
