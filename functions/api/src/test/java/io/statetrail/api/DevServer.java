package io.statetrail.api;

/** Serves the fixture trail for looking at the dashboard by hand: {@code DevServer [port] [now]}. */
public final class DevServer {
    private DevServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        ApiServer s = ApiServer.start(new FixtureQueries(), args.length > 0 ? Integer.parseInt(args[0]) : 0,
                args.length > 1 ? args[1] : "2026-11-18T12:00:00Z");
        System.out.println("serving " + s.uri());
        Thread.currentThread().join();
    }
}
