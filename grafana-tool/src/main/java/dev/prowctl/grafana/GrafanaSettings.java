package dev.prowctl.grafana;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import okhttp3.HttpUrl;

import dev.prowctl.http.Redaction;

/**
 * Where Grafana is and how to log in. The URL may carry a sub-path ({@code https://host/grafana/}) and, as the
 * original Python helpers accepted, userinfo ({@code http://admin:admin@host:3000}); userinfo is moved into
 * {@link Credentials} and removed from the URL so it never shows up in messages.
 */
public record GrafanaSettings(HttpUrl baseUrl, Credentials credentials) {

    public GrafanaSettings {
        if (!baseUrl.username().isEmpty() || !baseUrl.password().isEmpty()) {
            throw new IllegalArgumentException("baseUrl must not carry credentials");
        }
    }

    /**
     * Builds settings from command-line values. Precedence: an explicit token, then explicit user/password, then
     * userinfo in the URL, then none.
     *
     * @throws IllegalArgumentException when the URL is not an http(s) URL
     */
    public static GrafanaSettings of(String url, String token, String user, String password) {
        // "localhost:3000" as people type it: http is the default scheme, as in Grafana's own docs.
        HttpUrl parsed = HttpUrl.parse(url.contains("://") ? url : "http://" + url);
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + redactUserinfo(url));
        }
        Credentials credentials;
        if (token != null && !token.isBlank()) {
            credentials = new Credentials.Token(token.strip());
        } else if (user != null && !user.isBlank()) {
            credentials = new Credentials.Basic(user, password == null ? "" : password);
        } else if (!parsed.username().isEmpty()) {
            credentials = new Credentials.Basic(decode(parsed.encodedUsername()), decode(parsed.encodedPassword()));
        } else {
            credentials = new Credentials.None();
        }
        HttpUrl.Builder base = parsed.newBuilder().username("").password("").query(null).fragment(null);
        // A sub-path must end with '/' so that relative API paths resolve below it.
        if (!parsed.encodedPath().endsWith("/")) {
            base.addPathSegment("");
        }
        return new GrafanaSettings(base.build(), credentials);
    }

    /** The URL as it can be shown: never with credentials (they were removed in {@link #of}). */
    public String displayUrl() {
        return Redaction.url(baseUrl.toString());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static String redactUserinfo(String url) {
        return url.replaceFirst("//[^/@]*@", "//***@");
    }
}
