package dev.prowctl.grafana;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import dev.prowctl.http.Redaction;
import dev.prowctl.http.Retry;
import dev.prowctl.http.TerminalText;

/**
 * The Grafana HTTP API: one instance per process, built once and shared (it is thread-safe). It knows the base
 * URL (sub-paths work: every path is relative to it), sends the credential, detects the server version once via
 * {@code GET /api/health}, and turns every failure into a {@link GrafanaException} with a one-line message that
 * names the endpoint, the kind of credential used (never its value) and what is needed. Reads (GET) are retried
 * on 408/429/5xx and connection failures ({@link Retry}); writes are sent once, since one that timed out may have
 * been applied.
 */
public final class GrafanaClient {

    private static final MediaType JSON = MediaType.get("application/json");
    /** Three tries within about a second, or what Grafana's Retry-After asks, at most 5 s. */
    private static final int READ_ATTEMPTS = 3;
    private static final Retry WRITES = Retry.never();

    private final OkHttpClient http;
    private final GrafanaSettings settings;
    private final Consumer<String> verbose;
    private final Retry reads;
    private GrafanaVersion version;

    /**
     * @param http     the process's HTTP client (timeouts, pool)
     * @param settings where Grafana is and how to log in
     * @param verbose  receives one line per endpoint call when the user asked for --verbose; never a secret
     */
    public GrafanaClient(OkHttpClient http, GrafanaSettings settings, Consumer<String> verbose) {
        this(http, settings, verbose, new Retry(READ_ATTEMPTS, Duration.ofMillis(250), Duration.ofSeconds(5)));
    }

    /** With the retries of reads given (tests inject one that does not really sleep). */
    public GrafanaClient(OkHttpClient http, GrafanaSettings settings, Consumer<String> verbose, Retry reads) {
        this.http = http;
        this.settings = settings;
        this.verbose = verbose;
        this.reads = reads;
    }

    public GrafanaSettings settings() {
        return settings;
    }

    /**
     * The server's version, asked once with {@code GET /api/health} (Grafana needs no login there; the credential
     * is sent anyway, for an auth proxy in front of it). With {@code [auth.anonymous] hide_version} the health
     * answer has no version: then {@code GET /api/frontend/settings} is probed, whose {@code buildInfo} tells a
     * logged-in caller the version.
     */
    public synchronized GrafanaVersion version() {
        if (version == null) {
            Reply reply = send("GET", api("health").build(), null, false);
            String raw = healthVersion(reply);
            if (raw == null) {
                raw = probeHiddenVersion();
            }
            try {
                version = GrafanaVersion.parse(raw);
            } catch (IllegalArgumentException e) {
                throw new GrafanaException(GrafanaException.Problem.SERVER_ERROR, 200, "Grafana at "
                        + settings.displayUrl() + " reports an " + TerminalText.oneLine(e.getMessage()));
            }
            if (!version.atLeast(8, 0)) {
                throw new GrafanaException(GrafanaException.Problem.UNSUPPORTED, 200, "Grafana " + version
                        + " at " + settings.displayUrl() + " is too old: prowctl supports 8.x and 9 to 13");
            }
            verbose.accept("Grafana " + TerminalText.oneLine(version.raw()) + " at " + settings.displayUrl()
                    + ": using " + (version.hasUnifiedAlerting() ? "unified alerting (/api/v1/provisioning, "
                    + "/api/alertmanager/grafana)" : "legacy alerting (/api/alerts, /api/alert-notifications)")
                    + ", " + (version.hasServiceAccounts() ? "service accounts" : "legacy API keys")
                    + ", " + (version.hasNestedFolders() ? "nested folders" : "flat folders")
                    + ", datasources by uid; credential: " + settings.credentials().describe());
        }
        return version;
    }

    /** The version in a health answer, null when Grafana hides it; any other answer is a failure. */
    private String healthVersion(Reply reply) {
        int status = reply.status();
        String where = "Grafana at " + settings.displayUrl() + " (GET api/health → " + status;
        if (status == 401 || status == 403) {
            // Grafana itself never asks for a login on /api/health: something in front of it does.
            throw new GrafanaException(GrafanaException.Problem.AUTH, status, where + "): /api/health needs no "
                    + "login in Grafana, so a proxy in front of it refused " + settings.credentials().describe()
                    + "; give credentials the proxy accepts (--token, --user/--password) or Grafana's own URL");
        }
        if (status >= 500) {
            throw new GrafanaException(GrafanaException.Problem.SERVER_ERROR, status, where + ") is up but unhealthy"
                    + detail(reply.body(), "database") + detail(reply.body(), "message"));
        }
        if (status != 200 || !reply.body().isObject()
                || !(reply.body().has("database") || reply.body().has("version"))) {
            throw new GrafanaException(GrafanaException.Problem.UNREACHABLE, status, "no Grafana API at "
                    + settings.displayUrl() + " (GET api/health → " + status
                    + "); check --url, including any sub-path such as https://host/grafana/");
        }
        return reply.body().hasNonNull("version") ? reply.body().get("version").asText() : null;
    }

    private String probeHiddenVersion() {
        HttpUrl url = api("frontend", "settings").build();
        Reply reply = send("GET", url, null, false);
        String raw = reply.ok() ? Json.text(reply.body().path("buildInfo"), "version") : "";
        if (raw.isEmpty()) {
            throw new GrafanaException(GrafanaException.Problem.AUTH, reply.status(), "Grafana at "
                    + settings.displayUrl() + " hides its version ([auth.anonymous] hide_version) and GET "
                    + path(url) + " → " + reply.status() + " did not tell it to " + settings.credentials().describe()
                    + "; log in (--token, --user/--password) so that prowctl can see which API it has");
        }
        verbose.accept("GET api/health has no version (hide_version): got it from " + path(url));
        return raw;
    }

    private static String detail(JsonNode body, String field) {
        String text = Json.text(body, field);
        return text.isEmpty() ? "" : ", " + field + ": " + TerminalText.oneLine(text);
    }

    /**
     * A URL below {@code <base>/api/}, one path segment per argument: each is encoded as one segment (names may
     * hold '/', '?' or '%'), and "", "." and ".." are refused ({@link #segment}).
     */
    public HttpUrl.Builder api(String... segments) {
        HttpUrl.Builder b = settings.baseUrl().newBuilder();
        // The base ends with '/', i.e. an empty last segment: replace it rather than appending after it.
        b.removePathSegment(settings.baseUrl().pathSize() - 1);
        b.addPathSegment("api");
        for (String s : segments) {
            b.addPathSegment(segment(s));
        }
        return b;
    }

    /**
     * A uid or name checked for use as one URL path segment. OkHttp resolves "." and ".." as dot segments (they
     * would address another endpoint) and "" would address the list: none of them names a resource.
     *
     * @throws GrafanaException (BAD_INPUT, status 0) naming the value
     */
    public static String segment(String value) {
        if (value == null || value.isEmpty() || value.equals(".") || value.equals("..")) {
            throw new GrafanaException(GrafanaException.Problem.BAD_INPUT, 0, "invalid uid or name '"
                    + (value == null ? "" : value) + "': empty, '.' and '..' cannot name a Grafana resource in a URL");
        }
        return value;
    }

    /** GET, expecting 2xx. */
    public JsonNode get(HttpUrl url) {
        return expectOk("GET", url, send("GET", url, null, false));
    }

    /** GET that returns null on 404 (the resource does not exist); other failures throw. */
    public JsonNode getOrNull(HttpUrl url) {
        Reply reply = send("GET", url, null, false);
        if (reply.status() == 404) {
            return null;
        }
        return expectOk("GET", url, reply);
    }

    public JsonNode post(HttpUrl url, JsonNode body) {
        return expectOk("POST", url, send("POST", url, body, false));
    }

    public JsonNode put(HttpUrl url, JsonNode body) {
        return expectOk("PUT", url, send("PUT", url, body, false));
    }

    /**
     * A write to the alerting provisioning API, with {@code X-Disable-Provenance: true} so the resource stays
     * editable in the UI.
     */
    public JsonNode writeAlerting(String method, HttpUrl url, JsonNode body) {
        return expectOk(method, url, send(method, url, body, true));
    }

    /** Sends one request and returns the raw status and parsed body, without judging the status. */
    public Reply send(String method, HttpUrl url, JsonNode body, boolean disableProvenance) {
        Request.Builder request = new Request.Builder().url(url).header("Accept", "application/json");
        String auth = settings.credentials().authorizationHeader();
        if (auth != null) {
            request.header("Authorization", auth);
        }
        if (disableProvenance) {
            request.header("X-Disable-Provenance", "true");
        }
        RequestBody requestBody = body == null ? null : RequestBody.create(Json.bytes(body), JSON);
        if (requestBody == null && !method.equals("GET") && !method.equals("DELETE")) {
            requestBody = RequestBody.create(new byte[0], JSON);
        }
        request.method(method, requestBody);
        return execute(request.build(), method + " " + path(url));
    }

    private Reply execute(Request request, String what) {
        long start = System.nanoTime();
        Retry retry = request.method().equals("GET") ? reads : WRITES;
        try (Response response = retry.call(() -> http.newCall(request).execute(), Response::code,
                r -> r.header("Retry-After")).reply()) {
            ResponseBody body = response.body();
            byte[] bytes = body.bytes();
            JsonNode json;
            try {
                json = bytes.length == 0 ? NullNode.getInstance() : Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                if (response.isSuccessful()) {
                    throw new GrafanaException(GrafanaException.Problem.SERVER_ERROR, response.code(),
                            what + " at " + settings.displayUrl() + " answered " + response.code()
                                    + " with a body that is not JSON; is this Grafana's URL?");
                }
                json = NullNode.getInstance();
            }
            verbose.accept(what + " → " + response.code() + " (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
            return new Reply(response.code(), json == null ? NullNode.getInstance() : json);
        } catch (ConnectException | UnknownHostException e) {
            throw new GrafanaException(GrafanaException.Problem.UNREACHABLE, 0, "cannot reach Grafana at "
                    + settings.displayUrl() + " (" + what + "): " + Redaction.text(e.getMessage()), e);
        } catch (InterruptedIOException e) {
            throw new GrafanaException(GrafanaException.Problem.UNREACHABLE, 0, "Grafana at " + settings.displayUrl()
                    + " timed out (" + what + ")", e);
        } catch (IOException e) {
            throw new GrafanaException(GrafanaException.Problem.UNREACHABLE, 0, "Grafana at " + settings.displayUrl()
                    + " failed (" + what + "): " + Redaction.text(e.toString()), e);
        }
    }

    private JsonNode expectOk(String method, HttpUrl url, Reply reply) {
        if (reply.status() >= 200 && reply.status() < 300) {
            return reply.body();
        }
        throw failure(method, url, reply);
    }

    /** The exception for a non-2xx reply: decided on the status code, Grafana's message shown as-is. */
    public GrafanaException failure(String method, HttpUrl url, Reply reply) {
        String what = method + " " + path(url);
        String message = TerminalText.oneLine(Json.text(reply.body(), "message"));
        String said = message.isEmpty() ? "" : ": " + message;
        String credential = settings.credentials().describe();
        int status = reply.status();
        return switch (status) {
            case 401 -> new GrafanaException(GrafanaException.Problem.AUTH, status, "Grafana rejected " + credential
                    + " (" + what + " → 401" + said + "); check the token (--token, --token-file, $GRAFANA_TOKEN) "
                    + "or the user and password");
            case 403 -> new GrafanaException(GrafanaException.Problem.AUTH, status, "permission denied for "
                    + credential + " (" + what + " → 403" + said + "); "
                    + (message.contains("Permissions needed") ? "grant those permissions"
                    : "it needs a role that may do this (Editor or Admin)"));
            case 404 -> new GrafanaException(GrafanaException.Problem.NOT_FOUND, status, what + " → 404" + said);
            case 409 -> new GrafanaException(GrafanaException.Problem.CONFLICT, status, what
                    + " → 409 conflict: it already exists under another uid or name" + said);
            case 412 -> new GrafanaException(GrafanaException.Problem.CONFLICT, status, what
                    + " → 412 precondition failed (" + preconditionMeaning(Json.text(reply.body(), "status")) + ")"
                    + said);
            case 400, 422 -> new GrafanaException(GrafanaException.Problem.BAD_INPUT, status, "Grafana rejected "
                    + what + " → " + status + said);
            default -> new GrafanaException(GrafanaException.Problem.SERVER_ERROR, status, what + " → " + status
                    + said);
        };
    }

    /**
     * The exception for an endpoint this server lacks: says the version and what to use instead.
     */
    public GrafanaException unsupported(String endpoint, String alternative) {
        return new GrafanaException(GrafanaException.Problem.UNSUPPORTED, 404, "Grafana " + version()
                + " has no " + endpoint + "; " + alternative);
    }

    private static String preconditionMeaning(String status) {
        return switch (status) {
            case "version-mismatch" -> "someone changed it meanwhile: version mismatch";
            case "name-exists" -> "another dashboard in that folder has the same title";
            case "plugin-dashboard" -> "it belongs to a plugin";
            default -> status.isEmpty() ? "conflicting change" : status;
        };
    }

    /** The request path relative to the base URL, for messages ("GET api/search"). */
    public String path(HttpUrl url) {
        String base = settings.baseUrl().encodedPath();
        String path = url.encodedPath();
        String rel = path.startsWith(base) ? path.substring(base.length()) : path;
        return url.encodedQuery() == null ? rel : rel + "?" + url.encodedQuery();
    }

    /** One answer: the status and the parsed JSON body ({@link NullNode} when empty or not JSON). */
    public record Reply(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }
}
