package dev.prowctl.grafana.fake;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

import dev.prowctl.grafana.fake.FakeGrafana.Line;
import dev.prowctl.grafana.fake.FakeGrafana.Seen;

/**
 * Answers each request as Grafana does: strips the sub-path, finds the route of this line, checks credentials and
 * permissions, runs the handler under the fake's lock, records what it saw and checks the exchange against the spec.
 */
final class FakeDispatcher extends Dispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ROLE_BY_TOKEN = Map.of(
            FakeGrafana.ADMIN_TOKEN, "Admin", FakeGrafana.VIEWER_TOKEN, "Viewer");
    private static final Reply NOT_FOUND = Reply.error(404, "Not found");

    private final Line line;
    private final Routes routes;
    private final String subPath;
    private final Duration latency;
    private final OpenApiInteractionValidator contract;
    private final Object lock;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private volatile int proxyStatus;
    private volatile Consumer<Seen> afterEach = seen -> { };

    /**
     * @param contract the spec check, or null for none
     * @param lock     what handlers run under, so that they see the state as the fake's seeding methods leave it
     */
    FakeDispatcher(Line line, Routes routes, String subPath, Duration latency, OpenApiInteractionValidator contract,
                   Object lock) {
        this.line = line;
        this.routes = routes;
        this.subPath = subPath;
        this.latency = latency;
        this.contract = contract;
        this.lock = lock;
    }

    List<Seen> seen() {
        return seen;
    }

    List<String> violations() {
        return violations;
    }

    /** 0: no proxy; else every request is refused with this status before it reaches Grafana. */
    void proxyStatus(int status) {
        proxyStatus = status;
    }

    void afterEach(Consumer<Seen> listener) {
        afterEach = listener;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        HttpUrl url = request.getUrl();
        String method = request.getMethod();
        String encoded = url.encodedPath();
        String root = subPath.substring(0, subPath.length() - 1);
        String apiPath = encoded.startsWith(root + "/") ? encoded.substring(root.length()) : null;
        String body = request.getBody() == null ? "" : request.getBody().string(StandardCharsets.UTF_8);
        String authorization = request.getHeaders().get("Authorization");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : request.getHeaders().names()) {
            if (!name.equalsIgnoreCase("Authorization")) {
                headers.put(name, request.getHeaders().get(name));
            }
        }
        if (proxyStatus != 0) {
            Seen refused = new Seen(method, encoded, url.encodedQuery(), authKind(authorization), headers, body,
                    proxyStatus);
            seen.add(refused);
            return new MockResponse.Builder().code(proxyStatus).setHeader("Content-Type", "text/plain")
                    .body("Unauthorized\n").build();
        }
        Reply reply = NOT_FOUND;
        boolean routeExists = false;
        if (apiPath != null) {
            Routes.Route route = routes.find(method, decode(apiPath), line);
            if (route != null) {
                routeExists = true;
                reply = handle(route, method, apiPath, url, body, authorization, headers);
            }
        }
        String responseBody = reply.body() == null ? "" : reply.body().toString();
        Seen exchange = new Seen(method, apiPath == null ? encoded : decode(apiPath), url.encodedQuery(),
                authKind(authorization), headers, body, reply.status());
        seen.add(exchange);
        if (contract != null && apiPath != null) {
            checkContract(method, apiPath, url, headers, body, reply.status(), responseBody, routeExists);
        }
        MockResponse.Builder response = new MockResponse.Builder().code(reply.status());
        if (reply.body() != null) {
            response.setHeader("Content-Type", "application/json").body(responseBody);
        }
        afterEach.accept(exchange);
        return response.build();
    }

    private void checkContract(String method, String apiPath, HttpUrl url, Map<String, String> headers, String body,
                               int status, String responseBody, boolean routeExists) {
        if (SpecContract.exceptionFor(method, decode(apiPath), line == Line.V8_4) != null) {
            return;
        }
        Map<String, String> checked = new LinkedHashMap<>(headers);
        checked.put("Authorization", "redacted");
        violations.addAll(SpecContract.check(contract, method, apiPath, url, checked, body, status, responseBody,
                routeExists));
    }

    private Reply handle(Routes.Route route, String method, String apiPath, HttpUrl url, String body,
                         String authorization, Map<String, String> headers) {
        String role = null;
        if (route.access() != Routes.Access.NONE) {
            role = role(authorization);
            if (role == null) {
                return Reply.error(401, authorization != null && authorization.startsWith("Bearer ")
                        ? "invalid API key" : "Unauthorized");
            }
            boolean allowed = switch (route.access()) {
                case READ -> true;
                case EDIT -> !role.equals("Viewer");
                default -> role.equals("Admin");
            };
            if (!allowed) {
                return Reply.error(403, "You'll need additional permissions to perform this action. "
                        + "Permissions needed: " + permissionName(apiPath, method));
            }
        }
        JsonNode parsed = null;
        if (!body.isEmpty()) {
            try {
                parsed = JSON.readTree(body);
            } catch (IOException e) {
                return Reply.error(400, "bad request data");
            }
        }
        Matcher m = route.path().matcher(decode(apiPath));
        m.matches();
        synchronized (lock) {
            return route.handler().apply(new Call(m, url, parsed, role, headers));
        }
    }

    private static String permissionName(String apiPath, String method) {
        String resource = apiPath.startsWith("/api/datasources") ? "datasources"
                : apiPath.startsWith("/api/folders") ? "folders"
                : apiPath.startsWith("/api/dashboards") ? "dashboards"
                : apiPath.startsWith("/api/serviceaccounts") ? "serviceaccounts"
                : apiPath.startsWith("/api/v1/provisioning") ? "alert.provisioning" : "org";
        return resource + ":" + (method.equals("POST") ? "create" : "write");
    }

    /** The role of a token or of admin:admin, or null for unknown credentials. */
    private static String role(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (authorization.startsWith("Bearer ")) {
            return ROLE_BY_TOKEN.get(authorization.substring(7));
        }
        if (authorization.startsWith("Basic ")) {
            byte[] decoded = Base64.getDecoder().decode(authorization.substring(6));
            String userPass = new String(decoded, StandardCharsets.UTF_8);
            return userPass.equals("admin:admin") ? "Admin" : null;
        }
        return null;
    }

    private static String authKind(String authorization) {
        if (authorization == null) {
            return "none";
        }
        return authorization.startsWith("Bearer ") ? "bearer" : authorization.startsWith("Basic ") ? "basic" : "other";
    }

    private static String decode(String encodedPath) {
        return URLDecoder.decode(encodedPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
