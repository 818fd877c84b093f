package dev.prowctl.grafana.fake;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;

/**
 * A fake Grafana for tests and the benchmark: an in-memory Grafana on a loopback port that behaves like one of the
 * supported release lines ({@link Line}): which endpoints exist, status codes and bodies as Grafana's docs and
 * spec give them, version bumps, 409/412 conflicts, provenance. Every request it receives and every response it
 * sends is checked against Grafana's published OpenAPI spec ({@link SpecContract}); {@link #violations()} lists
 * what did not conform. It can sit under a sub-path and add latency to every request.
 *
 * <p>This class is the fake's face (starting, seeding, inspecting); each API area is its own class
 * ({@link DashboardsApi}, {@link FoldersApi}, {@link DatasourcesApi}, {@link AccessApi}, {@link AlertsApi},
 * {@link ProvisioningApi}, {@link HealthApi}) and {@link FakeDispatcher} answers the requests. State is guarded by
 * this object.
 */
public final class FakeGrafana implements AutoCloseable {

    /** The Grafana lines the fake imitates, with the version /api/health reports and what differs between them. */
    public enum Line {
        V8_4("8.4.6"), V11_6("11.6.3"), V12("12.2.1-16426244399"), V13("13.0.0");

        final String version;

        Line(String version) {
            this.version = version;
        }

        public String version() {
            return version;
        }

        /** Unified alerting, service accounts, nested folders and datasource updates by uid. */
        boolean modern() {
            return this != V8_4;
        }

        /** Legacy dashboard alerts and notification channels. */
        boolean legacyAlerting() {
            return this == V8_4;
        }

        /** The /api/datasources/{id} routes, disabled by default on 13. */
        boolean numericDatasourceIds() {
            return this != V13;
        }

        /** A dashboard saved with folderId lands in that folder; 13 ignores folderId. */
        boolean acceptsFolderId() {
            return this != V13;
        }

        /** The /api/auth/keys routes; gone on 12. */
        boolean hasApiKeys() {
            return this == V8_4 || this == V11_6;
        }

        /** POST /api/auth/keys creates a key; 11.6 answers 410. */
        boolean createsApiKeys() {
            return this == V8_4;
        }

        /** 11.x answers "null" rather than [] when there are no templates. */
        boolean answersNullForNoTemplates() {
            return this == V11_6;
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

    private final Line line;
    private final String subPath;
    private final MockWebServer server = new MockWebServer();
    private final Routes routes = new Routes();
    private final Paging paging = new Paging();
    private final DatasourcesApi datasources;
    private final FoldersApi folders;
    private final DashboardsApi dashboards;
    private final AccessApi access;
    private final AlertsApi alerts;
    private final ProvisioningApi provisioning;
    private final FakeDispatcher dispatcher;
    private final HealthApi health;

    private FakeGrafana(Line line, Path spec, String subPath, Duration latency) {
        this.line = line;
        this.subPath = subPath;
        this.health = new HealthApi(line.version);
        Ids ids = new Ids();
        datasources = new DatasourcesApi(ids);
        folders = new FoldersApi(line, ids, paging);
        dashboards = new DashboardsApi(line, ids, paging, folders);
        access = new AccessApi(line, ids);
        alerts = new AlertsApi(ids, subPath, this::url);
        provisioning = new ProvisioningApi(line, ids, folders);
        health.register(routes);
        dashboards.register(routes);
        folders.register(routes);
        datasources.register(routes);
        access.register(routes);
        alerts.register(routes);
        provisioning.register(routes);
        dispatcher = new FakeDispatcher(line, routes, subPath, latency,
                spec == null ? null : SpecContract.validator(spec), this);
    }

    /** Starts a fake of {@code line} at the root path, checking its traffic against {@code spec}. */
    public static FakeGrafana start(Line line, Path spec) throws IOException {
        return start(line, spec, "/", Duration.ZERO);
    }

    /**
     * @param spec    Grafana's OpenAPI spec ({@link Fakes#spec()}); null only where the check is unwanted on
     *                purpose (the benchmark measures the client, not the check)
     * @param subPath "/" or a sub-path like "/grafana/"
     * @param latency added to every answer (the benchmark uses 20 ms)
     */
    public static FakeGrafana start(Line line, Path spec, String subPath, Duration latency) throws IOException {
        FakeGrafana fake = new FakeGrafana(line, spec, subPath, latency);
        fake.server.setDispatcher(fake.dispatcher);
        fake.server.setServerSocketFactory(new NoDelayServerSockets());
        fake.server.start(InetAddress.getLoopbackAddress(), 0);
        return fake;
    }

    public Line line() {
        return line;
    }

    /** The base URL, with the sub-path, ending in '/'. */
    public HttpUrl url() {
        return server.url(subPath);
    }

    public List<Seen> requests() {
        return List.copyOf(dispatcher.seen());
    }

    /** Requests other than GET, excluding /api/health. */
    public List<Seen> writes() {
        return dispatcher.seen().stream().filter(Seen::isWrite).toList();
    }

    /** Requests and responses that did not conform to Grafana's published spec. */
    public List<String> violations() {
        return List.copyOf(dispatcher.violations());
    }

    public void clearRequests() {
        dispatcher.seen().clear();
    }

    /**
     * Caps the page size of /api/search and /api/folders, as Grafana caps "limit" (at 5000), so that tests can
     * check paging through big instances with a few items.
     */
    public void capPageSize(int cap) {
        paging.cap(cap);
    }

    /** Turns off the routes below a path, as a disabled feature does ("[unified_alerting] enabled = false"). */
    public void disable(String pathPrefix) {
        routes.disable(pathPrefix);
    }

    /**
     * As {@code [auth.anonymous] hide_version = true}: {@code /api/health} answers only {@code {"database":"ok"}}
     * (Grafana's apiHealthHandler sets version and commit only without it); a logged-in caller still finds the
     * version in {@code /api/frontend/settings} ({@code buildInfo.version}).
     */
    public synchronized void hideVersion() {
        health.hideVersion();
    }

    /**
     * Reports another version than the line's. With {@link Line#V8_4} and "9.0.x" it is Grafana 9.0 with the
     * {@code serviceAccounts} feature toggle off, as far as keys go: the service-account routes answer 404 and
     * legacy API keys are still created.
     */
    public synchronized void reportVersion(String version) {
        health.version(version);
    }

    /** Makes /api/health answer {@code status}; for 503 with Grafana's {@code {"database":"failing"}}. */
    public synchronized void healthAnswers(int status) {
        health.status(status);
    }

    /**
     * Puts an authenticating proxy in front of the fake: every request is answered {@code status} (401, 403) with a
     * plain-text body, as an oauth2-proxy or a basic-auth nginx does, and never reaches Grafana.
     */
    public void behindAuthProxy(int status) {
        dispatcher.proxyStatus(status);
    }

    /** Runs {@code listener} after each request is answered (e.g. to delete something between two requests). */
    public void afterEachRequest(Consumer<Seen> listener) {
        dispatcher.afterEach(listener);
    }

    @Override
    public void close() {
        server.close();
    }

    // ------------------------------------------------------------------ seeding

    public synchronized ObjectNode addDatasource(String uid, String name, String type, String url) {
        return datasources.add(uid, name, type, url);
    }

    public synchronized void addFolder(String uid, String title, String parentUid) {
        folders.add(uid, title, parentUid);
    }

    public synchronized void addDashboard(String uid, String title, String folderUid, ObjectNode extra) {
        dashboards.add(uid, title, folderUid, extra);
    }

    public synchronized void removeDashboard(String uid) {
        dashboards.remove(uid);
    }

    public synchronized void addContactPoint(String uid, String name, String type, ObjectNode settings) {
        provisioning.addContactPoint(uid, name, type, settings);
    }

    public synchronized void addRule(String uid, String title, String folderUid, String group) {
        provisioning.addRule(uid, title, folderUid, group);
    }

    public synchronized void addTemplate(String name, String template) {
        provisioning.addTemplate(name, template);
    }

    public synchronized void addMuteTiming(String name) {
        provisioning.addMuteTiming(name);
    }

    public synchronized void setPolicies(ObjectNode tree) {
        provisioning.setPolicies(tree);
    }

    public synchronized void addAlertNotification(String uid, String name, String type, ObjectNode settings) {
        alerts.addNotification(uid, name, type, settings);
    }

    /** A firing (or, with state "ok"/"suppressed", not firing) alert. */
    public synchronized void addFiringAlert(String name, String state, String summary) {
        alerts.addFiringAlert(name, state, summary);
    }

    public synchronized void addServiceAccount(String name) {
        addServiceAccount(name, "Viewer");
    }

    public synchronized void addServiceAccount(String name, String role) {
        access.addServiceAccount(name, role);
    }

    public synchronized void addToken(long serviceAccountId, String name) {
        access.addToken(serviceAccountId, name);
    }

    // ------------------------------------------------------------------ inspecting

    /** Secrets the fake stores for a datasource (never returned by GET; tests check what import sent). */
    public synchronized Map<String, String> datasourceSecrets(String uid) {
        return datasources.secrets(uid);
    }

    /** Each dashboard as {@code {"dashboard": ..., "folderUid": ...}}, by uid. */
    public synchronized Map<String, JsonNode> dashboards() {
        return dashboards.all();
    }

    public synchronized Map<String, JsonNode> datasources() {
        return datasources.all();
    }

    public synchronized Map<String, JsonNode> folders() {
        return folders.all();
    }

    public synchronized Map<String, JsonNode> contactPoints() {
        return provisioning.contactPoints();
    }

    public synchronized Map<String, JsonNode> rules() {
        return provisioning.rules();
    }

    public synchronized Map<String, JsonNode> templates() {
        return provisioning.templates();
    }

    public synchronized Map<String, JsonNode> muteTimings() {
        return provisioning.muteTimings();
    }

    public synchronized JsonNode policies() {
        return provisioning.policies();
    }

    public synchronized Collection<ObjectNode> serviceAccounts() {
        return access.serviceAccounts();
    }

    public synchronized List<ObjectNode> tokens(long serviceAccountId) {
        return access.tokens(serviceAccountId);
    }

    public synchronized List<ObjectNode> apiKeys() {
        return access.apiKeys();
    }
}
