package dev.prowctl.http;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one defence against secrets in URLs reaching a message, a log line or an exception text: user info
 * ({@code http://user:pass@host}), credential query parameters ({@code ?token=...}) and the secret path of chat
 * webhooks ({@code /services/T/B/XXXX}, {@code /hooks/XXXX}, {@code /api/webhooks/ID/TOKEN}) become {@code ***}.
 * Every command passes what it prints about a URL, and every failure message, through {@link #text}.
 */
public final class Redaction {

    /** What stands in for a secret. */
    public static final String MASK = "***";

    /**
     * Query parameters that carry credentials (compared case-insensitively, {@code -} and {@code _} ignored);
     * {@code p} is InfluxDB 1.x's password parameter.
     */
    private static final Set<String> SECRET_PARAMETERS = Set.of("p", "token", "accesstoken", "apikey", "key", "secret",
            "password", "passwd", "pass", "auth", "authorization", "sig", "signature", "xamzsignature",
            "xamzcredential", "xamzsecuritytoken", "xgoogsignature", "xgoogcredential", "code", "clientsecret",
            "sessionid", "session");

    /** Path segments after which everything is a webhook secret (Slack, Mattermost, Discord, Teams, Rocket.Chat). */
    private static final Set<String> SECRET_PATH_MARKERS = Set.of("services", "hooks", "webhooks", "webhookb2");

    /** A URL inside free text: scheme, then everything up to white space or a quote/bracket that ends it. */
    private static final Pattern URL_IN_TEXT = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\"'<>`]+");

    private Redaction() {
    }

    /** {@code text} with every URL in it redacted; null stays null. */
    public static String text(String text) {
        if (text == null || text.indexOf("://") < 0) {
            return text;
        }
        Matcher m = URL_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            // punctuation that ends a sentence is not part of the URL
            String found = m.group();
            int end = found.length();
            while (end > 0 && ".,;:!?)]}".indexOf(found.charAt(end - 1)) >= 0) {
                end--;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(url(found.substring(0, end)) + found.substring(end)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** One URL, redacted (also when it does not parse: this works on the text, never throws). */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            return url;
        }
        int authorityStart = schemeEnd + 3;
        int authorityEnd = indexOfAny(url, "/?#", authorityStart);
        String authority = url.substring(authorityStart, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = MASK + "@" + authority.substring(at + 1);
        }
        String rest = url.substring(authorityEnd);
        int fragment = rest.indexOf('#');
        String fragmentPart = fragment >= 0 ? rest.substring(fragment) : "";
        rest = fragment >= 0 ? rest.substring(0, fragment) : rest;
        int query = rest.indexOf('?');
        String path = query >= 0 ? rest.substring(0, query) : rest;
        String queryPart = query >= 0 ? "?" + redactQuery(rest.substring(query + 1)) : "";
        return url.substring(0, authorityStart) + authority + redactPath(path) + queryPart
                + (fragmentPart.isEmpty() ? "" : "#" + MASK);
    }

    private static String redactPath(String path) {
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length - 1; i++) {
            if (SECRET_PATH_MARKERS.contains(segments[i].toLowerCase(Locale.ROOT)) && !segments[i + 1].isEmpty()) {
                return String.join("/", java.util.Arrays.copyOfRange(segments, 0, i + 1)) + "/" + MASK;
            }
        }
        return path;
    }

    private static String redactQuery(String query) {
        StringBuilder out = new StringBuilder(query.length());
        for (String pair : query.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            String name = eq >= 0 ? pair.substring(0, eq) : pair;
            String normalized = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
            if (eq >= 0 && SECRET_PARAMETERS.contains(normalized)) {
                out.append(name).append('=').append(MASK);
            } else {
                out.append(pair);
            }
        }
        return out.toString();
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}
