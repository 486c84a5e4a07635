package io.statetrail.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.http.HttpRequest;
import io.micronaut.servlet.http.ServletHttpRequest;
import io.statetrail.api.BadQuery;
import io.statetrail.api.Requesters;

/**
 * Who changes a finding's status through the Function URL: the IAM principal that signed the request, as Lambda puts
 * it in {@code requestContext.authorizer.iam.userArn} (the URL's auth type is {@code AWS_IAM}, so an unsigned request
 * never reaches the function; one without a principal is refused all the same). The caller cannot choose it: it is
 * not read from the body or a header.
 */
public final class FunctionUrlRequesters implements Requesters {

    @Override
    public String who(HttpRequest<?> request) {
        if (request instanceof ServletHttpRequest<?, ?> servlet && servlet.getNativeRequest() instanceof APIGatewayV2HTTPEvent event) {
            String arn = userArn(event);
            if (arn != null) {
                return arn;
            }
        }
        throw BadQuery.forbidden("a status change needs a request signed with SigV4 (the Function URL's AWS_IAM auth)");
    }

    static String userArn(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getIam() == null) {
            return null;
        }
        String arn = context.getAuthorizer().getIam().getUserArn();
        return arn == null || arn.isBlank() ? null : arn.strip();
    }
}
