package io.statetrail.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.statetrail.service.query.AuditQueries;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API and dashboard in an embedded HTTP server on the loopback interface, over a given {@link AuditQueries}: what
 * {@code ./statetrail serve} and the tests run. The application that calls it supplies the server implementation
 * (Netty) on its classpath.
 */
public final class ApiServer implements AutoCloseable {

    /** Names a browser may use for a loopback server; anything else is refused (DNS rebinding). */
    public static final String LOOPBACK_HOSTS = "127.0.0.1,localhost,[::1]";

    private final ApplicationContext context;
    private final EmbeddedServer server;

    private ApiServer(ApplicationContext context, EmbeddedServer server) {
        this.context = context;
        this.server = server;
    }

    /**
     * @param port 0 or -1 for any free port
     * @param now  pinned clock (ISO-8601) for looking at old data as if live, or null
     */
    /** Set on the local server: it brings its own {@link Requesters} ({@link LoopbackRequesters}). */
    public static final String LOOPBACK = "statetrail.loopback";

    public static ApiServer start(AuditQueries queries, int port, String now) {
        return start(queries, port, now, System.getProperty("user.name"));
    }

    /** @param user who the dashboard's status changes are by (the operating-system user; the signer over a deployed table) */
    public static ApiServer start(AuditQueries queries, int port, String now, String user) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("micronaut.server.host", "127.0.0.1");
        props.put("micronaut.server.port", port <= 0 ? -1 : port);
        props.put("micronaut.server.cors.enabled", false);
        props.put("statetrail.allowed-hosts", LOOPBACK_HOSTS);
        props.put("micronaut.banner.enabled", false);
        props.put(LOOPBACK, true);
        if (now != null) {
            props.put("statetrail.now", now);
        }
        ApplicationContext ctx = ApplicationContext.builder()
                .deduceEnvironment(false)
                .banner(false)
                .properties(props)
                .singletons(queries, LoopbackRequesters.forThisProcess(user))
                .start();
        try {
            EmbeddedServer server = ctx.getBean(EmbeddedServer.class);
            server.start();
            return new ApiServer(ctx, server);
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getPort());
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            context.close();
        }
    }
}
