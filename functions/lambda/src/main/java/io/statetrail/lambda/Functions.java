package io.statetrail.lambda;

import io.micronaut.context.ApplicationContext;

/**
 * The one Micronaut context of a function instance, started on first use (in SnapStart, during the init phase, so
 * it is in the snapshot). Compile-time dependency injection: no classpath scanning, no reflection.
 */
final class Functions {

    private static volatile ApplicationContext context;

    private Functions() {
    }

    static ApplicationContext context() {
        ApplicationContext c = context;
        if (c == null) {
            synchronized (Functions.class) {
                c = context;
                if (c == null) {
                    c = ApplicationContext.builder()
                            .environments("function")
                            .deduceEnvironment(false)
                            .banner(false)
                            .start();
                    context = c;
                }
            }
        }
        return c;
    }
}
