package dev.prowctl.grafana.fake;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * A fake Grafana for tests and the benchmark: an in-memory Grafana on a loopback port that behaves like one of the
 * supported release lines ({@link Line}): which endpoints exist, status codes and bodies as Grafana's docs and
 * spec give them, version bumps, 409/412 conflicts, provenance. Every request it receives and every response it
 * sends is checked against Grafana's published OpenAPI spec ({@link SpecContract}); {@link #violations()} lists
 * what did not conform. It can sit under a sub-path and add latency to every request.
 */
public final class FakeGrafana extends Dispatcher implements AutoCloseable {

    /** The Grafana lines the fake imitates, with the version /api/health reports. */
    public enum Line {
        V8_4("8.4.6"), V11_6("11.6.3"), V12("12.2.1-16426244399"), V13("13.0.0");

        final String version;

        Line(String version) {
            this.version = version;
        }

        public String version() {
            return version;
        }

        boolean modern() {
            return this != V8_4;
        }
    }

    /** One request as the fake saw it (credentials reduced to their kind). */
    public record Seen(String method, String path, String query, String auth, Map<String, String> headers,
                       String body, int status) {
        public boolean isWrite() {
            return !method.equals("GET");
        }
    }

    public static final String ADMIN_TOKEN = "glsa_admin_token_for_tests";
    public static final String VIEWER_TOKEN = "glsa_viewer_token_for_tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Line line;
    private final String subPath;
    private final Duration latency;
    private final MockWebServer server = new MockWebServer();
    private final OpenApiInteractionValidator contract;
    private final String contractSkipReason;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<Route> routes = new ArrayList<>();

    // State. Guarded by "this".
    private final Map<String, ObjectNode> datasources = new TreeMap<>();
    private final Map<String, ObjectNode> folders = new LinkedHashMap<>();
    private final Map<String, ObjectNode> dashboards = new TreeMap<>();
    private final Map<String, ObjectNode> dashboardMeta = new TreeMap<>();
    private final Map<String, ObjectNode> contactPoints = new LinkedHashMap<>();
    private ObjectNode policies;
    private final Map<String, ObjectNode> rules = new LinkedHashMap<>();
    private final Map<String, ObjectNode> templates = new TreeMap<>();
    private final Map<String, ObjectNode> muteTimings = new TreeMap<>();
    private final Map<String, ObjectNode> notifications = new LinkedHashMap<>();
    private final List<ObjectNode> firing = new ArrayList<>();
    private final Map<Long, ObjectNode> serviceAccounts = new LinkedHashMap<>();
    private final Map<Long, List<ObjectNode>> tokens = new HashMap<>();
    private final List<ObjectNode> apiKeys = new ArrayList<>();
    private final Map<String, String> roleByToken = new HashMap<>();
    private long nextId = 1;

    private FakeGrafana(Line line, String subPath, Duration latency, Path spec) {
        this.line = line;
        this.subPath = subPath;
        this.latency = latency;
        if (spec != null && Files.isRegularFile(spec)) {
            this.contract = SpecContract.validator(spec);
            this.contractSkipReason = null;
        } else {
            this.contract = null;
            this.contractSkipReason = "spec check skipped: " + spec + " is absent";
        }
        roleByToken.put(ADMIN_TOKEN, "Admin");
        roleByToken.put(VIEWER_TOKEN, "Viewer");
        policies = (ObjectNode) F.objectNode().put("receiver", "grafana-default-email")
                .set("group_by", F.arrayNode().add("grafana_folder").add("alertname"));
        defineRoutes();
    }

    /** Starts a fake of {@code line} at the root path, checking against {@code spec} (null or absent: no check). */
    public static FakeGrafana start(Line line, Path spec) throws IOException {
        return start(line, spec, "/", Duration.ZERO);
    }

    /**
     * @param subPath "/" or a sub-path like "/grafana/"
     * @param latency added to every answer (the benchmark uses 20 ms)
     */
    public static FakeGrafana start(Line line, Path spec, String subPath, Duration latency) throws IOException {
        FakeGrafana fake = new FakeGrafana(line, spec, subPath, latency);
        fake.server.setDispatcher(fake);
        fake.server.setServerSocketFactory(new NoDelayServerSockets());
        fake.server.start(InetAddress.getLoopbackAddress(), 0);
        return fake;
    }

    private FakeGrafana(Line line, Path spec, String subPath, Duration latency) {
        this(line, subPath, latency, spec);
    }

    /**
     * Server sockets whose connections send small writes at once. Without TCP_NODELAY every answer waits for the
     * client's delayed ACK (about 40 ms on Linux), which would swamp the latency the benchmark simulates.
     */
    private static final class NoDelayServerSockets extends javax.net.ServerSocketFactory {
        @Override
        public java.net.ServerSocket createServerSocket() throws IOException {
            return new java.net.ServerSocket() {
                @Override
                public java.net.Socket accept() throws IOException {
                    java.net.Socket socket = super.accept();
                    socket.setTcpNoDelay(true);
                    return socket;
                }
            };
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port) throws IOException {
            throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog) throws IOException {
            throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
        }
    }

    /** The spec in ../shared, or null when it is absent (the check is then skipped, see {@link #contractNote()}). */
    public static Path sharedSpec() {
        String env = System.getenv("PROWCTL_SHARED_DIR");
        String prop = System.getProperty("prowctl.shared.dir");
        Path dir = env != null ? Paths.get(env) : prop != null ? Paths.get(prop) : Paths.get("../shared");
        Path spec = dir.resolve("grafana-openapi/grafana-11.4.0-api-merged.swagger2.json");
        return Files.isRegularFile(spec) ? spec : null;
    }

    public Line line() {
        return line;
    }

    /** The base URL, with the sub-path, ending in '/'. */
    public HttpUrl url() {
        return server.url(subPath);
    }

    /** Why requests are not checked against the spec, or null when they are. */
    public String contractNote() {
        return contractSkipReason;
    }

    public List<Seen> requests() {
        return List.copyOf(seen);
    }

    /** Requests other than GET, excluding /api/health. */
    public List<Seen> writes() {
        return seen.stream().filter(Seen::isWrite).toList();
    }

    /** Requests and responses that did not conform to Grafana's published spec. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    public void clearRequests() {
        seen.clear();
    }

    @Override
    public void close() {
        server.close();
    }

    // ------------------------------------------------------------------ seeding and inspecting state

    public synchronized ObjectNode addDatasource(String uid, String name, String type, String url) {
        ObjectNode ds = F.objectNode().put("id", nextId++).put("uid", uid).put("orgId", 1).put("name", name)
                .put("type", type).put("typeLogoUrl", "public/app/plugins/datasource/" + type + "/img/logo.svg")
                .put("access", "proxy").put("url", url).put("user", "").put("database", "").put("basicAuth", false)
                .put("basicAuthUser", "").put("withCredentials", false).put("isDefault", false)
                .put("readOnly", false).put("version", 1);
        ds.set("jsonData", F.objectNode());
        ds.set("secureJsonFields", F.objectNode());
        datasources.put(uid, ds);
        return ds;
    }

    /** Secrets the fake stores (never returned by GET; tests check what import sent). */
    private final Map<String, Map<String, String>> datasourceSecrets = new HashMap<>();

    public synchronized Map<String, String> datasourceSecrets(String uid) {
        return Map.copyOf(datasourceSecrets.getOrDefault(uid, Map.of()));
    }

    public synchronized void addFolder(String uid, String title, String parentUid) {
        ObjectNode f = F.objectNode().put("id", nextId++).put("uid", uid).put("title", title).put("version", 1)
                .put("url", "/dashboards/f/" + uid + "/");
        if (parentUid != null && line.modern()) {
            f.put("parentUid", parentUid);
        }
        folders.put(uid, f);
    }

    public synchronized void addDashboard(String uid, String title, String folderUid, ObjectNode extra) {
        ObjectNode d = extra == null ? F.objectNode() : extra.deepCopy();
        d.put("uid", uid).put("title", title).put("id", nextId++).put("version", 1).put("schemaVersion", 39);
        if (!d.has("panels")) {
            d.set("panels", F.arrayNode().add(F.objectNode().put("id", 1).put("type", "timeseries")
                    .put("title", "runs of " + title)));
        }
        dashboards.put(uid, d);
        dashboardMeta.put(uid, F.objectNode().put("folderUid", folderUid == null ? "" : folderUid));
    }

    public synchronized void addContactPoint(String uid, String name, String type, ObjectNode settings) {
        contactPoints.put(uid, (ObjectNode) F.objectNode().put("uid", uid).put("name", name).put("type", type)
                .put("disableResolveMessage", false).put("provenance", "").set("settings", settings));
    }

    public synchronized void addRule(String uid, String title, String folderUid, String group) {
        ObjectNode rule = F.objectNode().put("id", nextId++).put("uid", uid).put("orgID", 1)
                .put("folderUID", folderUid).put("ruleGroup", group).put("title", title).put("condition", "A")
                .put("noDataState", "NoData").put("execErrState", "Error").put("for", "5m")
                .put("updated", "2026-11-27T10:00:00Z").put("provenance", "").put("isPaused", false);
        rule.set("data", F.arrayNode().add(F.objectNode().put("refId", "A").put("datasourceUid", "influx")
                .put("queryType", "").set("model", F.objectNode().put("query", "SELECT count(*) FROM runs"))));
        rule.set("annotations", F.objectNode().put("summary", title + " is failing"));
        rule.set("labels", F.objectNode().put("team", "oadp"));
        rules.put(uid, rule);
    }

    public synchronized void addTemplate(String name, String template) {
        templates.put(name, F.objectNode().put("name", name).put("template", template).put("provenance", "")
                .put("version", "v1"));
    }

    public synchronized void addMuteTiming(String name) {
        ObjectNode mt = F.objectNode().put("name", name).put("version", "v1").put("provenance", "");
        mt.set("time_intervals", F.arrayNode().add(F.objectNode().set("weekdays", F.arrayNode().add("saturday")
                .add("sunday"))));
        muteTimings.put(name, mt);
    }

    public synchronized void setPolicies(ObjectNode tree) {
        policies = tree.deepCopy();
    }

    public synchronized void addAlertNotification(String uid, String name, String type, ObjectNode settings) {
        notifications.put(uid, (ObjectNode) F.objectNode().put("id", nextId++).put("uid", uid).put("name", name)
                .put("type", type).put("isDefault", false).put("sendReminder", false)
                .put("disableResolveMessage", false).put("created", "2022-03-01T10:00:00Z")
                .put("updated", "2022-03-01T10:00:00Z").set("settings", settings));
    }

    /** A firing (or, with state "ok"/"suppressed", not firing) alert. */
    public synchronized void addFiringAlert(String name, String state, String summary) {
        firing.add(F.objectNode().put("name", name).put("state", state).put("summary", summary)
                .put("id", nextId++));
    }

    public synchronized void addServiceAccount(String name) {
        addServiceAccount(name, "Viewer");
    }

    public synchronized void addServiceAccount(String name, String role) {
        long id = nextId++;
        serviceAccounts.put(id, F.objectNode().put("id", id).put("name", name).put("login", "sa-" + name)
                .put("orgId", 1).put("role", role).put("isDisabled", false).put("tokens", 0));
    }

    public synchronized void addToken(long serviceAccountId, String name) {
        tokens.computeIfAbsent(serviceAccountId, k -> new ArrayList<>())
                .add(F.objectNode().put("id", nextId++).put("name", name).put("hasExpired", false));
    }

    public synchronized Map<String, JsonNode> dashboards() {
        Map<String, JsonNode> out = new TreeMap<>();
        dashboards.forEach((uid, d) -> out.put(uid, F.objectNode().<ObjectNode>set("dashboard", d.deepCopy())
                .put("folderUid", dashboardMeta.get(uid).path("folderUid").asText())));
        return out;
    }

    public synchronized Map<String, JsonNode> datasources() {
        return new TreeMap<>(datasources);
    }

    public synchronized Map<String, JsonNode> folders() {
        return new TreeMap<>(folders);
    }

    public synchronized Map<String, JsonNode> contactPoints() {
        return new TreeMap<>(contactPoints);
    }

    public synchronized Map<String, JsonNode> rules() {
        return new TreeMap<>(rules);
    }

    public synchronized Map<String, JsonNode> templates() {
        return new TreeMap<>(templates);
    }

    public synchronized Map<String, JsonNode> muteTimings() {
        return new TreeMap<>(muteTimings);
    }

    public synchronized JsonNode policies() {
        return policies.deepCopy();
    }

    public synchronized Collection<ObjectNode> serviceAccounts() {
        return List.copyOf(serviceAccounts.values());
    }

    public synchronized List<ObjectNode> tokens(long serviceAccountId) {
        return List.copyOf(tokens.getOrDefault(serviceAccountId, List.of()));
    }

    public synchronized List<ObjectNode> apiKeys() {
        return List.copyOf(apiKeys);
    }

    // ------------------------------------------------------------------ HTTP

    private record Reply(int status, JsonNode body) {
    }

    /** What a handler gets: the path parameters, the query, the parsed body and the caller's role. */
    private record Call(Matcher path, HttpUrl url, JsonNode body, String role, Map<String, String> headers) {
        String param(int i) {
            return path.group(i);
        }

        String query(String name) {
            String v = url.queryParameter(name);
            return v == null ? "" : v;
        }
    }

    private record Route(String method, Pattern path, java.util.function.Predicate<Line> exists, String permission,
                         Function<Call, Reply> handler) {
    }

    private static final Reply NO_ROUTE = new Reply(404, F.objectNode().put("message", "Not found"));

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
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : request.getHeaders().names()) {
            if (!name.equalsIgnoreCase("Authorization")) {
                headers.put(name, request.getHeaders().get(name));
            }
        }
        String authKind = authKind(request.getHeaders().get("Authorization"));
        Reply reply;
        boolean routeExists = false;
        if (apiPath == null) {
            reply = new Reply(404, F.objectNode().put("message", "Not found"));
        } else {
            Route route = findRoute(method, apiPath);
            if (route == null) {
                reply = NO_ROUTE;
            } else {
                routeExists = true;
                reply = handle(route, method, apiPath, url, body, request.getHeaders().get("Authorization"), headers);
            }
        }
        String responseBody = reply.body() == null ? "" : reply.body().toString();
        seen.add(new Seen(method, apiPath == null ? encoded : decode(apiPath), url.encodedQuery(), authKind,
                headers, body, reply.status()));
        if (contract != null && apiPath != null) {
            checkContract(method, apiPath, url, headers, body, reply.status(), responseBody, routeExists);
        }
        MockResponse.Builder response = new MockResponse.Builder().code(reply.status());
        if (reply.body() != null) {
            response.setHeader("Content-Type", "application/json").body(responseBody);
        }
        return response.build();
    }

    private void checkContract(String method, String apiPath, HttpUrl url, Map<String, String> headers, String body,
                               int status, String responseBody, boolean routeExists) {
        String decoded = decode(apiPath);
        if (SpecContract.exceptionFor(method, decoded, line == Line.V8_4) != null) {
            return;
        }
        Map<String, String> checked = new LinkedHashMap<>(headers);
        checked.put("Authorization", "redacted");
        violations.addAll(SpecContract.check(contract, method, apiPath, url, checked, body, status, responseBody,
                routeExists));
    }

    private final List<String> disabledPrefixes = new CopyOnWriteArrayList<>();
    private volatile int pageCap = 5000;

    /**
     * Caps the page size of /api/search and /api/folders, as Grafana caps "limit" (at 5000), so that tests can
     * check paging through big instances with a few items.
     */
    public void capPageSize(int cap) {
        pageCap = cap;
    }

    /** Turns off the routes below a path, as a disabled feature does ("[unified_alerting] enabled = false"). */
    public void disable(String pathPrefix) {
        disabledPrefixes.add(pathPrefix);
    }

    private Route findRoute(String method, String apiPath) {
        String decoded = decode(apiPath);
        if (disabledPrefixes.stream().anyMatch(decoded::startsWith)) {
            return null;
        }
        for (Route r : routes) {
            if (r.method().equals(method) && r.path().matcher(decoded).matches() && r.exists().test(line)) {
                return r;
            }
        }
        return null;
    }

    private Reply handle(Route route, String method, String apiPath, HttpUrl url, String body, String authorization,
                         Map<String, String> headers) {
        String role = null;
        if (!route.permission().equals("none")) {
            role = role(authorization);
            if (role == null) {
                return new Reply(401, F.objectNode().put("message", authorization != null
                        && authorization.startsWith("Bearer ") ? "invalid API key" : "Unauthorized"));
            }
            boolean allowed = switch (route.permission()) {
                case "read" -> true;
                case "edit" -> !role.equals("Viewer");
                default -> role.equals("Admin");
            };
            if (!allowed) {
                return new Reply(403, F.objectNode().put("message", "You'll need additional permissions to perform "
                        + "this action. Permissions needed: " + permissionName(apiPath, method)));
            }
        }
        JsonNode parsed = null;
        if (!body.isEmpty()) {
            try {
                parsed = JSON.readTree(body);
            } catch (IOException e) {
                return new Reply(400, F.objectNode().put("message", "bad request data"));
            }
        }
        Matcher m = route.path().matcher(decode(apiPath));
        m.matches();
        synchronized (this) {
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

    private String role(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (authorization.startsWith("Bearer ")) {
            return roleByToken.get(authorization.substring(7));
        }
        if (authorization.startsWith("Basic ")) {
            String userPass = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
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
        return java.net.URLDecoder.decode(encodedPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private void route(String method, String path, java.util.function.Predicate<Line> exists, String permission,
                       Function<Call, Reply> handler) {
        routes.add(new Route(method, Pattern.compile(path), exists, permission, handler));
    }

    private static Reply ok(JsonNode body) {
        return new Reply(200, body);
    }

    private static Reply error(int status, String message) {
        return new Reply(status, F.objectNode().put("message", message));
    }

    // ------------------------------------------------------------------ the API, per line

    private void defineRoutes() {
        java.util.function.Predicate<Line> all = l -> true;
        java.util.function.Predicate<Line> modern = Line::modern;
        java.util.function.Predicate<Line> legacyOnly = l -> l == Line.V8_4;

        route("GET", "/api/health", all, "none", c -> ok(F.objectNode().put("commit", "abc1234")
                .put("database", "ok").put("version", line.version)));

        // Search and dashboards.
        route("GET", "/api/search", all, "read", this::search);
        route("GET", "/api/dashboards/uid/([^/]+)", all, "read", c -> {
            ObjectNode d = dashboards.get(c.param(1));
            if (d == null) {
                return error(404, "Dashboard not found");
            }
            ObjectNode meta = dashboardMeta.get(c.param(1)).deepCopy();
            String folderUid = meta.path("folderUid").asText();
            meta.put("slug", slug(d.path("title").asText())).put("version", d.path("version").asInt())
                    .put("provisioned", false).put("folderTitle", folderUid.isEmpty() ? "General"
                            : folders.get(folderUid).path("title").asText())
                    .put("url", "/d/" + c.param(1) + "/" + slug(d.path("title").asText()));
            if (!line.modern()) {
                meta.put("folderId", folderUid.isEmpty() ? 0 : folders.get(folderUid).path("id").asLong());
            }
            return ok(F.objectNode().<ObjectNode>set("dashboard", d.deepCopy()).set("meta", meta));
        });
        route("POST", "/api/dashboards/db", all, "edit", this::saveDashboard);

        // Folders.
        route("GET", "/api/folders", all, "read", c -> {
            String parent = line.modern() ? c.query("parentUid") : "";
            int limit = Math.min(pageCap, c.query("limit").isEmpty() ? 1000 : Integer.parseInt(c.query("limit")));
            int page = c.query("page").isEmpty() ? 1 : Integer.parseInt(c.query("page"));
            List<ObjectNode> matching = folders.values().stream()
                    .filter(f -> !line.modern() || f.path("parentUid").asText().equals(parent)).toList();
            ArrayNode out = F.arrayNode();
            matching.stream().skip((long) (page - 1) * limit).limit(limit).forEach(f -> {
                ObjectNode hit = F.objectNode().put("id", f.path("id").asLong()).put("uid", f.path("uid").asText())
                        .put("title", f.path("title").asText());
                if (f.hasNonNull("parentUid")) {
                    hit.put("parentUid", f.path("parentUid").asText());
                }
                out.add(hit);
            });
            return ok(out);
        });
        route("GET", "/api/folders/([^/]+)", all, "read", c -> {
            ObjectNode f = folders.get(c.param(1));
            return f == null ? error(404, "folder not found") : ok(f.deepCopy());
        });
        route("POST", "/api/folders", all, "edit", c -> {
            String uid = c.body().path("uid").asText("");
            if (uid.isEmpty()) {
                uid = "f" + nextId;
            }
            if (folders.containsKey(uid)) {
                return error(409, "a folder with the same uid already exists");
            }
            String parent = line.modern() ? c.body().path("parentUid").asText("") : "";
            if (!parent.isEmpty() && !folders.containsKey(parent)) {
                return error(400, "parent folder not found");
            }
            addFolder(uid, c.body().path("title").asText(), parent.isEmpty() ? null : parent);
            return ok(folders.get(uid).deepCopy());
        });
        route("PUT", "/api/folders/([^/]+)", all, "edit", c -> {
            ObjectNode f = folders.get(c.param(1));
            if (f == null) {
                return error(404, "folder not found");
            }
            if (!c.body().path("overwrite").asBoolean(false)
                    && c.body().path("version").asInt() != f.path("version").asInt()) {
                return error(409, "the folder has been changed by someone else");
            }
            f.put("title", c.body().path("title").asText()).put("version", f.path("version").asInt() + 1);
            return ok(f.deepCopy());
        });
        route("POST", "/api/folders/([^/]+)/move", modern, "edit", c -> {
            ObjectNode f = folders.get(c.param(1));
            if (f == null) {
                return error(404, "folder not found");
            }
            String parent = c.body().path("parentUid").asText("");
            if (parent.isEmpty()) {
                f.remove("parentUid");
            } else {
                f.put("parentUid", parent);
            }
            f.put("version", f.path("version").asInt() + 1);
            return ok(f.deepCopy());
        });

        // Datasources: by uid everywhere; numeric-id routes disabled by default on 13.
        route("GET", "/api/datasources", all, "read", c -> {
            ArrayNode out = F.arrayNode();
            datasources.values().forEach(ds -> {
                ObjectNode item = ds.deepCopy();
                item.remove(List.of("secureJsonFields", "version", "basicAuthUser", "withCredentials"));
                item.put("typeName", item.path("type").asText());
                out.add(item);
            });
            return ok(out);
        });
        route("GET", "/api/datasources/uid/([^/]+)", all, "read", c -> {
            ObjectNode ds = datasources.get(c.param(1));
            return ds == null ? error(404, "Data source not found") : ok(ds.deepCopy());
        });
        route("GET", "/api/datasources/(\\d+)", l -> l != Line.V13, "read", c -> {
            ObjectNode ds = byId(c.param(1));
            return ds == null ? error(404, "Data source not found") : ok(ds.deepCopy());
        });
        route("POST", "/api/datasources", all, "admin", c -> {
            String name = c.body().path("name").asText();
            if (datasources.values().stream().anyMatch(ds -> ds.path("name").asText().equals(name))) {
                return error(409, "data source with the same name already exists");
            }
            String uid = c.body().path("uid").asText("");
            if (uid.isEmpty()) {
                uid = "ds" + nextId;
            }
            if (datasources.containsKey(uid)) {
                return error(409, "data source with the same uid already exists");
            }
            ObjectNode ds = addDatasource(uid, name, c.body().path("type").asText(), c.body().path("url").asText(""));
            applyDatasource(ds, c.body());
            return ok(F.objectNode().put("id", ds.path("id").asLong()).put("name", name)
                    .put("message", "Datasource added").set("datasource", ds.deepCopy()));
        });
        route("PUT", "/api/datasources/uid/([^/]+)", modern, "admin", c -> updateDatasource(datasources.get(c.param(1)), c));
        route("PUT", "/api/datasources/(\\d+)", l -> l != Line.V13, "admin", c -> updateDatasource(byId(c.param(1)), c));

        // Service accounts (9+) and legacy API keys.
        route("GET", "/api/serviceaccounts/search", modern, "admin", c -> {
            String q = c.query("query").toLowerCase(Locale.ROOT);
            ArrayNode list = F.arrayNode();
            serviceAccounts.values().stream()
                    .filter(sa -> sa.path("name").asText().toLowerCase(Locale.ROOT).contains(q))
                    .forEach(sa -> list.add(sa.deepCopy()));
            ObjectNode out = F.objectNode().put("totalCount", list.size()).put("page", 1).put("perPage", 100);
            out.set("serviceAccounts", list);
            return ok(out);
        });
        route("POST", "/api/serviceaccounts", modern, "admin", c -> {
            long id = nextId++;
            ObjectNode sa = F.objectNode().put("id", id).put("name", c.body().path("name").asText())
                    .put("login", "sa-" + c.body().path("name").asText()).put("orgId", 1)
                    .put("role", c.body().path("role").asText("Viewer")).put("isDisabled", false).put("tokens", 0);
            serviceAccounts.put(id, sa);
            return new Reply(201, sa.deepCopy());
        });
        route("GET", "/api/serviceaccounts/(\\d+)/tokens", modern, "admin", c -> {
            ArrayNode out = F.arrayNode();
            tokens.getOrDefault(Long.parseLong(c.param(1)), List.of()).forEach(t -> out.add(t.deepCopy()));
            return ok(out);
        });
        route("POST", "/api/serviceaccounts/(\\d+)/tokens", modern, "admin", c -> {
            long said = Long.parseLong(c.param(1));
            if (!serviceAccounts.containsKey(said)) {
                return error(404, "service account not found");
            }
            String name = c.body().path("name").asText();
            List<ObjectNode> list = tokens.computeIfAbsent(said, k -> new ArrayList<>());
            if (list.stream().anyMatch(t -> t.path("name").asText().equals(name))) {
                return error(409, "service account token with given name already exists in the organization");
            }
            long id = nextId++;
            list.add(F.objectNode().put("id", id).put("name", name).put("hasExpired", false));
            serviceAccounts.get(said).put("tokens", list.size());
            return ok(F.objectNode().put("id", id).put("name", name).put("key", "glsa_" + name + "_" + id));
        });
        route("GET", "/api/auth/keys", l -> l == Line.V8_4 || l == Line.V11_6, "admin", c -> {
            ArrayNode out = F.arrayNode();
            apiKeys.forEach(k -> out.add(F.objectNode().put("id", k.path("id").asLong())
                    .put("name", k.path("name").asText()).put("role", k.path("role").asText())));
            return ok(out);
        });
        route("POST", "/api/auth/keys", l -> l == Line.V8_4 || l == Line.V11_6, "admin", c -> {
            if (line != Line.V8_4) {
                return error(410, "this endpoint has been removed, please use POST /api/serviceaccounts and "
                        + "POST /api/serviceaccounts/{id}/tokens instead");
            }
            String name = c.body().path("name").asText();
            if (apiKeys.stream().anyMatch(k -> k.path("name").asText().equals(name))) {
                return error(409, "API Key Organization ID And Name Must Be Unique");
            }
            long id = nextId++;
            apiKeys.add(F.objectNode().put("id", id).put("name", name).put("role", c.body().path("role").asText()));
            return ok(F.objectNode().put("id", id).put("name", name).put("key", "eyJrIjoi" + id));
        });

        // Legacy alerting (8.x).
        route("GET", "/api/alerts", legacyOnly, "read", c -> {
            ArrayNode out = F.arrayNode();
            for (ObjectNode a : firing) {
                if (!c.query("state").isEmpty() && !a.path("state").asText().equals(c.query("state"))) {
                    continue;
                }
                out.add(F.objectNode().put("id", a.path("id").asLong()).put("dashboardId", 1)
                        .put("dashboardUid", "oadp").put("dashboardSlug", "oadp").put("panelId", 2)
                        .put("name", a.path("name").asText()).put("state", a.path("state").asText())
                        .put("newStateDate", "2026-11-27T10:00:00Z").put("url", subPath + "d/oadp/oadp"));
            }
            return ok(out);
        });
        route("GET", "/api/alerts/(\\d+)", legacyOnly, "read", c -> firing.stream()
                .filter(a -> a.path("id").asText().equals(c.param(1))).findFirst()
                .map(a -> ok(F.objectNode().put("Id", a.path("id").asLong()).put("Name", a.path("name").asText())
                        .put("Message", a.path("summary").asText()).put("State", a.path("state").asText())))
                .orElse(error(404, "Alert not found")));
        route("GET", "/api/alert-notifications", legacyOnly, "read", c -> {
            ArrayNode out = F.arrayNode();
            notifications.values().forEach(n -> out.add(n.deepCopy()));
            return ok(out);
        });
        route("GET", "/api/alert-notifications/uid/([^/]+)", legacyOnly, "read", c -> {
            ObjectNode n = notifications.get(c.param(1));
            return n == null ? error(404, "Alert notification not found") : ok(n.deepCopy());
        });
        route("POST", "/api/alert-notifications", legacyOnly, "admin", c -> {
            String uid = c.body().path("uid").asText("");
            if (uid.isEmpty()) {
                uid = "n" + nextId;
            }
            addAlertNotification(uid, c.body().path("name").asText(), c.body().path("type").asText(),
                    (ObjectNode) c.body().path("settings").deepCopy());
            return ok(notifications.get(uid).deepCopy());
        });
        route("PUT", "/api/alert-notifications/uid/([^/]+)", legacyOnly, "admin", c -> {
            ObjectNode n = notifications.get(c.param(1));
            if (n == null) {
                return error(404, "Alert notification not found");
            }
            c.body().fields().forEachRemaining(e -> n.set(e.getKey(), e.getValue().deepCopy()));
            return ok(n.deepCopy());
        });

        // Unified alerting (9+): the Grafana-managed Alertmanager and the provisioning API.
        route("GET", "/api/alertmanager/grafana/api/v2/alerts", modern, "read", c -> {
            ArrayNode out = F.arrayNode();
            for (ObjectNode a : firing) {
                String state = a.path("state").asText();
                if (state.equals("ok")) {
                    continue;
                }
                if (c.query("silenced").equals("false") && state.equals("suppressed")) {
                    continue;
                }
                ObjectNode alert = F.objectNode();
                alert.set("labels", F.objectNode().put("alertname", a.path("name").asText()).put("team", "oadp"));
                alert.set("annotations", F.objectNode().put("summary", a.path("summary").asText()));
                alert.put("startsAt", "2026-11-27T10:00:00Z").put("endsAt", "2026-11-27T10:20:00Z")
                        .put("updatedAt", "2026-11-27T10:05:00Z").put("fingerprint", "fp" + a.path("id").asText())
                        .put("generatorURL", url() + "alerting/grafana/" + a.path("id").asText() + "/view");
                alert.set("status", F.objectNode().put("state", state.equals("suppressed") ? "suppressed" : "active")
                        .set("silencedBy", F.arrayNode()));
                alert.set("receivers", F.arrayNode().add(F.objectNode().put("name", "irc")));
                out.add(alert);
            }
            return ok(out);
        });
        route("GET", "/api/v1/provisioning/contact-points", modern, "admin", c -> {
            ArrayNode out = F.arrayNode();
            contactPoints.values().stream()
                    .filter(cp -> c.query("name").isEmpty() || cp.path("name").asText().equals(c.query("name")))
                    .forEach(cp -> out.add(redacted(cp)));
            return ok(out);
        });
        route("POST", "/api/v1/provisioning/contact-points", modern, "admin", c -> {
            String uid = c.body().path("uid").asText("");
            if (uid.isEmpty()) {
                uid = "cp" + nextId++;
            }
            if (contactPoints.containsKey(uid)) {
                return error(400, "contact point with this uid already exists");
            }
            ObjectNode cp = ((ObjectNode) c.body().deepCopy()).put("uid", uid).put("provenance", provenance(c));
            contactPoints.put(uid, cp);
            return new Reply(202, redacted(cp));
        });
        route("PUT", "/api/v1/provisioning/contact-points/([^/]+)", modern, "admin", c -> {
            ObjectNode existing = contactPoints.get(c.param(1));
            if (existing == null) {
                return error(400, "contact point not found");
            }
            ObjectNode cp = ((ObjectNode) c.body().deepCopy()).put("uid", c.param(1)).put("provenance", provenance(c));
            // Redacted secrets in an update keep what Grafana has.
            c.body().path("settings").fields().forEachRemaining(e -> {
                if (e.getValue().asText().equals("[REDACTED]")) {
                    ((ObjectNode) cp.get("settings")).set(e.getKey(), existing.path("settings").path(e.getKey()));
                }
            });
            contactPoints.put(c.param(1), cp);
            return new Reply(202, F.objectNode());
        });
        route("GET", "/api/v1/provisioning/policies", modern, "admin", c -> ok(policies.deepCopy()));
        route("PUT", "/api/v1/provisioning/policies", modern, "admin", c -> {
            policies = ((ObjectNode) c.body().deepCopy());
            if (!provenance(c).isEmpty()) {
                policies.put("provenance", provenance(c));
            }
            return new Reply(202, F.objectNode());
        });
        route("GET", "/api/v1/provisioning/alert-rules", modern, "admin", c -> {
            ArrayNode out = F.arrayNode();
            rules.values().forEach(r -> out.add(r.deepCopy()));
            return ok(out);
        });
        route("GET", "/api/v1/provisioning/alert-rules/([^/]+)", modern, "admin", c -> {
            ObjectNode r = rules.get(c.param(1));
            return r == null ? new Reply(404, null) : ok(r.deepCopy());
        });
        route("POST", "/api/v1/provisioning/alert-rules", modern, "admin", c -> {
            String folder = c.body().path("folderUID").asText();
            if (!folders.containsKey(folder)) {
                return error(400, "invalid alert rule: folder does not exist");
            }
            ObjectNode r = ((ObjectNode) c.body().deepCopy()).put("id", nextId++).put("orgID", 1)
                    .put("updated", "2026-11-28T02:00:00Z").put("provenance", provenance(c));
            if (r.path("uid").asText("").isEmpty()) {
                r.put("uid", "rule" + nextId++);
            }
            rules.put(r.path("uid").asText(), r);
            return new Reply(201, r.deepCopy());
        });
        route("PUT", "/api/v1/provisioning/alert-rules/([^/]+)", modern, "admin", c -> {
            ObjectNode old = rules.get(c.param(1));
            if (old == null) {
                return error(400, "rule not found");
            }
            ObjectNode r = ((ObjectNode) c.body().deepCopy()).put("uid", c.param(1))
                    .put("id", old.path("id").asLong()).put("orgID", 1)
                    .put("updated", "2026-11-28T02:00:01Z").put("provenance", provenance(c));
            rules.put(c.param(1), r);
            return ok(r.deepCopy());
        });
        route("GET", "/api/v1/provisioning/templates", modern, "admin", c -> {
            if (templates.isEmpty() && line == Line.V11_6) {
                return ok(null); // 11.x answers "null" rather than [] when there are none
            }
            ArrayNode out = F.arrayNode();
            templates.values().forEach(t -> out.add(t.deepCopy()));
            return ok(out);
        });
        route("GET", "/api/v1/provisioning/templates/([^/]+)", modern, "admin", c -> {
            ObjectNode t = templates.get(c.param(1));
            return t == null ? error(404, "template not found") : ok(t.deepCopy());
        });
        route("PUT", "/api/v1/provisioning/templates/([^/]+)", modern, "admin", c -> {
            ObjectNode old = templates.get(c.param(1));
            if (old != null && c.body().hasNonNull("version")
                    && !c.body().path("version").asText().equals(old.path("version").asText())) {
                return error(409, "provided version does not match current version");
            }
            int v = old == null ? 1 : Integer.parseInt(old.path("version").asText().substring(1)) + 1;
            ObjectNode t = F.objectNode().put("name", c.param(1)).put("template", c.body().path("template").asText())
                    .put("provenance", provenance(c)).put("version", "v" + v);
            templates.put(c.param(1), t);
            return new Reply(202, t.deepCopy());
        });
        route("GET", "/api/v1/provisioning/mute-timings", modern, "admin", c -> {
            ArrayNode out = F.arrayNode();
            muteTimings.values().forEach(t -> out.add(t.deepCopy()));
            return ok(out);
        });
        route("GET", "/api/v1/provisioning/mute-timings/([^/]+)", modern, "admin", c -> {
            ObjectNode t = muteTimings.get(c.param(1));
            return t == null ? new Reply(404, null) : ok(t.deepCopy());
        });
        route("POST", "/api/v1/provisioning/mute-timings", modern, "admin", c -> {
            String name = c.body().path("name").asText();
            if (muteTimings.containsKey(name)) {
                return error(400, "mute timing with this name already exists");
            }
            ObjectNode t = ((ObjectNode) c.body().deepCopy()).put("version", "v1").put("provenance", provenance(c));
            muteTimings.put(name, t);
            return new Reply(201, t.deepCopy());
        });
        route("PUT", "/api/v1/provisioning/mute-timings/([^/]+)", modern, "admin", c -> {
            ObjectNode old = muteTimings.get(c.param(1));
            if (old == null) {
                return error(400, "mute timing not found");
            }
            if (c.body().hasNonNull("version") && !c.body().path("version").asText().equals(old.path("version").asText())) {
                return error(409, "provided version does not match current version");
            }
            int v = Integer.parseInt(old.path("version").asText().substring(1)) + 1;
            ObjectNode t = ((ObjectNode) c.body().deepCopy()).put("name", c.param(1)).put("version", "v" + v)
                    .put("provenance", provenance(c));
            muteTimings.put(c.param(1), t);
            return new Reply(202, t.deepCopy());
        });
    }

    /** Without X-Disable-Provenance the resource becomes API-provisioned (read-only in the UI). */
    private static String provenance(Call c) {
        String header = c.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("X-Disable-Provenance")).map(Map.Entry::getValue)
                .findFirst().orElse("");
        return header.equals("true") ? "" : "api";
    }

    /** Grafana redacts secure settings on GET (slack's webhook url is one of them). */
    private static ObjectNode redacted(ObjectNode cp) {
        ObjectNode copy = cp.deepCopy();
        JsonNode settings = copy.path("settings");
        List<String> secure = cp.path("type").asText().equals("slack") ? List.of("password", "token", "url")
                : List.of("password", "token", "apiKey");
        for (String secret : secure) {
            if (settings.has(secret)) {
                ((ObjectNode) settings).put(secret, "[REDACTED]");
            }
        }
        return copy;
    }

    private Reply search(Call c) {
        String type = c.query("type");
        String query = c.query("query").toLowerCase(Locale.ROOT);
        int limit = Math.min(pageCap, c.query("limit").isEmpty() ? 1000 : Integer.parseInt(c.query("limit")));
        int page = c.query("page").isEmpty() ? 1 : Integer.parseInt(c.query("page"));
        List<ObjectNode> hits = new ArrayList<>();
        if (type.isEmpty() || type.equals("dash-folder")) {
            folders.values().forEach(f -> hits.add(F.objectNode().put("id", f.path("id").asLong())
                    .put("uid", f.path("uid").asText()).put("title", f.path("title").asText())
                    .put("type", "dash-folder").put("url", "/dashboards/f/" + f.path("uid").asText())));
        }
        if (type.isEmpty() || type.equals("dash-db")) {
            dashboards.forEach((uid, d) -> {
                String folderUid = dashboardMeta.get(uid).path("folderUid").asText();
                ObjectNode hit = F.objectNode().put("id", d.path("id").asLong()).put("uid", uid)
                        .put("title", d.path("title").asText()).put("type", "dash-db")
                        .put("uri", "db/" + slug(d.path("title").asText()))
                        .put("url", "/d/" + uid + "/" + slug(d.path("title").asText()));
                hit.set("tags", F.arrayNode());
                if (!folderUid.isEmpty()) {
                    hit.put("folderUid", folderUid).put("folderTitle", folders.get(folderUid).path("title").asText())
                            .put("folderId", folders.get(folderUid).path("id").asLong());
                }
                hits.add(hit);
            });
        }
        ArrayNode out = F.arrayNode();
        hits.stream().filter(h -> h.path("title").asText().toLowerCase(Locale.ROOT).contains(query))
                .sorted(Comparator.comparing(h -> h.path("title").asText()))
                .skip((long) (page - 1) * limit).limit(limit).forEach(out::add);
        return ok(out);
    }

    private Reply saveDashboard(Call c) {
        JsonNode body = c.body();
        if (body == null || !body.path("dashboard").isObject()) {
            return error(400, "bad request data");
        }
        ObjectNode d = ((ObjectNode) body.get("dashboard")).deepCopy();
        String folderUid = body.path("folderUid").asText("");
        if (folderUid.isEmpty() && body.has("folderId") && line != Line.V13) {
            long folderId = body.path("folderId").asLong();
            folderUid = folders.values().stream().filter(f -> f.path("id").asLong() == folderId)
                    .map(f -> f.path("uid").asText()).findFirst().orElse("");
        }
        if (!folderUid.isEmpty() && !folders.containsKey(folderUid)) {
            return error(400, "folder not found");
        }
        boolean overwrite = body.path("overwrite").asBoolean(false);
        String uid = d.path("uid").asText("");
        String title = d.path("title").asText("");
        final String targetFolder = folderUid;
        final String givenUid = uid;
        String sameTitle = dashboards.entrySet().stream()
                .filter(e -> e.getValue().path("title").asText().equals(title)
                        && dashboardMeta.get(e.getKey()).path("folderUid").asText().equals(targetFolder)
                        && !e.getKey().equals(givenUid))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        ObjectNode existing = uid.isEmpty() ? null : dashboards.get(uid);
        if (!overwrite) {
            if (sameTitle != null) {
                return new Reply(412, F.objectNode().put("message",
                        "A dashboard with the same name in the folder already exists").put("status", "name-exists"));
            }
            if (existing != null && d.path("version").asInt(-1) != existing.path("version").asInt()) {
                return new Reply(412, F.objectNode().put("message",
                        "The dashboard has been changed by someone else").put("status", "version-mismatch"));
            }
        } else if (sameTitle != null && existing == null) {
            dashboards.remove(sameTitle);
            dashboardMeta.remove(sameTitle);
        }
        if (uid.isEmpty()) {
            uid = "gen" + nextId;
            d.put("uid", uid);
        }
        int version = existing == null ? 1 : existing.path("version").asInt() + 1;
        long id = existing == null ? nextId++ : existing.path("id").asLong();
        d.put("id", id).put("version", version);
        dashboards.put(uid, d);
        dashboardMeta.put(uid, F.objectNode().put("folderUid", folderUid));
        ObjectNode out = F.objectNode().put("id", id).put("uid", uid).put("status", "success")
                .put("title", title).put("version", version).put("url", "/d/" + uid + "/" + slug(title));
        if (!folderUid.isEmpty()) {
            out.put("folderUid", folderUid);
        }
        return ok(out);
    }

    private ObjectNode byId(String id) {
        return datasources.values().stream().filter(ds -> ds.path("id").asText().equals(id)).findFirst().orElse(null);
    }

    private Reply updateDatasource(ObjectNode ds, Call c) {
        if (ds == null) {
            return error(404, "Data source not found");
        }
        if (c.body().has("version") && c.body().path("version").asInt() < ds.path("version").asInt()) {
            return error(409, "Datasource has already been updated by someone else. Please reload and try again");
        }
        String oldUid = ds.path("uid").asText();
        applyDatasource(ds, c.body());
        ds.put("version", ds.path("version").asInt() + 1);
        if (!ds.path("uid").asText().equals(oldUid)) {
            datasources.remove(oldUid);
            datasources.put(ds.path("uid").asText(), ds);
        }
        return ok(F.objectNode().put("id", ds.path("id").asLong()).put("name", ds.path("name").asText())
                .put("message", "Datasource updated").set("datasource", ds.deepCopy()));
    }

    private void applyDatasource(ObjectNode ds, JsonNode body) {
        for (String field : List.of("name", "type", "access", "url", "user", "database", "basicAuth",
                "basicAuthUser", "withCredentials", "isDefault", "jsonData", "uid")) {
            if (body.has(field)) {
                ds.set(field, body.get(field).deepCopy());
            }
        }
        if (body.path("secureJsonData").isObject()) {
            Map<String, String> secrets = datasourceSecrets.computeIfAbsent(ds.path("uid").asText(), k -> new HashMap<>());
            body.get("secureJsonData").fields().forEachRemaining(e -> {
                secrets.put(e.getKey(), e.getValue().asText());
                ((ObjectNode) ds.get("secureJsonFields")).put(e.getKey(), true);
            });
        }
    }

    private static String slug(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
