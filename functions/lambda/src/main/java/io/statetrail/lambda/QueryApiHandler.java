package io.statetrail.lambda;

import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

/**
 * {@code io.statetrail.lambda.QueryApiHandler::handleRequest}: the incident-review API behind a Function URL (payload
 * format 2.0). The controllers are those of {@code functions/api}, found on the classpath at compile time; the store
 * bean of {@link StatetrailFactory} answers their {@code AuditQueries}.
 */
public class QueryApiHandler extends APIGatewayV2HTTPEventFunction {

    public QueryApiHandler() {
        super();
    }

    public QueryApiHandler(ApplicationContext context) {
        super(context);
    }
}
