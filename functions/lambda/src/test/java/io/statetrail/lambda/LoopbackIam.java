package io.statetrail.lambda;

import io.statetrail.alerts.LoopbackServer;
import io.statetrail.core.iam.IamRole;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * IAM on 127.0.0.1, answering the query protocol (form-encoded {@code Action=…&Version=2010-05-08}) in IAM's own XML, as
 * the IAM API Reference's examples show it: {@code ListRoles} page by page ({@code IsTruncated}, {@code Marker};
 * trust policies URL-encoded, no {@code RoleLastUsed}), {@code GetRole} (with {@code RoleLastUsed}),
 * {@code ListOpenIDConnectProviders}, and {@code ErrorResponse} for an unknown role or a refused caller. Shared with the
 * CLI's tests through this module's test jar.
 */
public final class LoopbackIam implements AutoCloseable {

    private static final String NS = "https://iam.amazonaws.com/doc/2010-05-08/";

    private final List<IamRole> roles = new CopyOnWriteArrayList<>();
    private final List<String> providers = new CopyOnWriteArrayList<>();
    private final int pageSize;
    private volatile boolean denied;
    private final LoopbackServer server;
    /** The Action of every request, in order. */
    public final List<String> actions = new CopyOnWriteArrayList<>();

    /** @param pageSize how many roles a ListRoles page holds (IAM's default is 100) */
    public LoopbackIam(int pageSize) throws IOException {
        this.pageSize = pageSize;
        this.server = new LoopbackServer((n, request) -> answer(form(request.body())));
    }

    public LoopbackIam with(List<IamRole> roles, List<String> providers) {
        this.roles.clear();
        this.roles.addAll(roles);
        this.providers.clear();
        this.providers.addAll(providers);
        return this;
    }

    /** From now on every call is refused with AccessDenied, as for a caller without iam:ListRoles. */
    public LoopbackIam deny() {
        denied = true;
        return this;
    }

    public String endpoint() {
        return server.url("");
    }

    /** A client as the functions build one (global region, signed), pointed here. */
    public IamClient client() {
        return IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(URI.create(endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .build();
    }

    private LoopbackServer.Response answer(Map<String, String> params) {
        String action = params.getOrDefault("Action", "");
        actions.add(action);
        if (denied) {
            return error(403, "AccessDenied", "User: arn:aws:sts::222222222222:assumed-role/statetrail-member/statetrail is not authorized "
                    + "to perform: iam:" + action + " on resource: arn:aws:iam::222222222222:role/");
        }
        return switch (action) {
            case "ListRoles" -> listRoles(params.get("Marker"));
            case "GetRole" -> getRole(params.get("RoleName"));
            case "ListOpenIDConnectProviders" -> ok(action, "<OpenIDConnectProviderList>" + String.join("",
                    providers.stream().map(p -> "<member><Arn>" + xml(p) + "</Arn></member>").toList()) + "</OpenIDConnectProviderList>");
            default -> error(400, "InvalidAction", "Could not find operation " + action + " for version 2010-05-08");
        };
    }

    private LoopbackServer.Response listRoles(String marker) {
        int from = marker == null ? 0 : Integer.parseInt(new String(java.util.Base64.getDecoder().decode(marker), StandardCharsets.UTF_8));
        int to = Math.min(roles.size(), from + pageSize);
        StringBuilder b = new StringBuilder();
        b.append("<IsTruncated>").append(to < roles.size()).append("</IsTruncated>");
        if (to < roles.size()) {
            b.append("<Marker>").append(java.util.Base64.getEncoder().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)))
                    .append("</Marker>");
        }
        b.append("<Roles>");
        for (IamRole r : roles.subList(from, to)) {
            b.append("<member>").append(role(r, false)).append("</member>");
        }
        b.append("</Roles>");
        return ok("ListRoles", b.toString());
    }

    private LoopbackServer.Response getRole(String name) {
        for (IamRole r : roles) {
            if (r.name().equals(name)) {
                return ok("GetRole", "<Role>" + role(r, true) + "</Role>");
            }
        }
        return error(404, "NoSuchEntity", "The role with name " + name + " cannot be found.");
    }

    private static String role(IamRole r, boolean full) {
        String s = "<Path>" + xml(r.path()) + "</Path><AssumeRolePolicyDocument>"
                + URLEncoder.encode(r.trustPolicy(), StandardCharsets.UTF_8).replace("+", "%20")
                + "</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration><RoleId>" + r.roleId()
                + "</RoleId><RoleName>" + xml(r.name()) + "</RoleName><Arn>" + xml(r.arn()) + "</Arn><CreateDate>"
                + r.created() + "</CreateDate>";
        if (full) {
            s += r.lastUsed() == null ? "<RoleLastUsed/>"
                    : "<RoleLastUsed><LastUsedDate>" + r.lastUsed() + "</LastUsedDate><Region>eu-west-1</Region></RoleLastUsed>";
        }
        return s;
    }

    private static LoopbackServer.Response ok(String action, String result) {
        return LoopbackServer.Response.of(200, "text/xml", "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result>" + result
                + "</" + action + "Result><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>"
                + "</ResponseMetadata></" + action + "Response>");
    }

    private static LoopbackServer.Response error(int status, String code, String message) {
        return LoopbackServer.Response.of(status, "text/xml", "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + xml(message) + "</Message></Error><RequestId>4c5a1e2b-EXAMPLE</RequestId></ErrorResponse>");
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
    }
}
