package io.statetrail.api;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import io.statetrail.service.query.AuditQueries;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Wires {@link Review} over whichever {@link AuditQueries} the running application provides (DynamoDB Local for
 * {@code ./statetrail serve}, the real table in the Lambda). {@code statetrail.now} pins the clock, for looking at old
 * data as if it were live (lock ages, "last 24 hours").
 */
@Factory
public class ApiFactory {

    @Singleton
    Review review(AuditQueries queries, @Nullable @Property(name = "statetrail.now") String now) {
        Clock clock = Clock.systemUTC();
        if (now != null && !now.isBlank()) {
            try {
                clock = Clock.fixed(Instant.parse(now.trim()), ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("statetrail.now '" + now + "' is not an ISO-8601 instant such as 2026-11-05T15:00:00Z");
            }
        }
        return new Review(queries, clock);
    }
}
