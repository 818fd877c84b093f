package dev.prowctl.scraper.influx;

import java.util.Locale;

import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;

/**
 * What an answer to a write means when it is neither a success nor a partial write: one line for the user, naming
 * the InfluxDB (its URL redacted) and what it answered (server text stripped of control characters).
 */
final class WriteAnswers {

    /** The most of a server's text quoted in a message. */
    private static final int QUOTED = 120;

    private WriteAnswers() {
    }

    /** "InfluxDB at URL": the URL as it may be shown. */
    static String where(InfluxTarget target) {
        return "InfluxDB at " + target.shownUrl();
    }

    /** A 3xx: an auth proxy's login page or a moved server; the write was not done. */
    static InfluxException redirected(InfluxTarget target, int code, String location) {
        String to = location == null || location.isBlank() ? "without a Location"
                : "to " + quote(Redaction.url(location));
        return new InfluxException(InfluxException.Reason.SERVER_ERROR, where(target) + " answered " + code + " " + to
                + ": a proxy in front of it? Writes do not follow redirects; give the URL InfluxDB itself answers on");
    }

    /** A 2xx with a body: InfluxDB answers a write with 204 and no body, so this is another server. */
    static InfluxException notAWriteAnswer(InfluxTarget target, int code, String contentType, String body) {
        boolean html = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("html")
                || body.stripLeading().startsWith("<");
        String what = html ? "an HTML page" : "\"" + quote(body.strip()) + "\"";
        return new InfluxException(InfluxException.Reason.SERVER_ERROR, where(target) + " answered " + code
                + " with " + what + " instead of 204 No Content, so nothing confirms the write: a proxy in front"
                + " of it, or not an InfluxDB?");
    }

    /** Any other error status (400/422 partial writes are handled by the writer). */
    static InfluxException failure(InfluxTarget target, int code, String message, int attempts) {
        String quoted = quote(message);
        return switch (code) {
            case 401, 403 -> new InfluxException(InfluxException.Reason.AUTH, where(target)
                    + " refused the write with HTTP " + code + ": check the user/password or token (" + quoted + ")");
            case 404 -> notFound(target, message);
            case 413 -> new InfluxException(InfluxException.Reason.SERVER_ERROR, where(target)
                    + " says the request is too large (HTTP 413): use a smaller --batch-size");
            default -> new InfluxException(InfluxException.Reason.SERVER_ERROR, where(target) + " answered HTTP "
                    + code + (attempts > 1 ? " after " + attempts + " attempts" : "") + ": " + quoted);
        };
    }

    private static InfluxException notFound(InfluxTarget target, String message) {
        if (message.contains("database not found") && target instanceof InfluxTarget.V1 v1) {
            return new InfluxException(InfluxException.Reason.NOT_FOUND, where(target) + " has no database \""
                    + quote(v1.database()) + "\": create it (CREATE DATABASE \"" + quote(v1.database())
                    + "\") or fix --influx-db");
        }
        if (target instanceof InfluxTarget.V2 v2 && message.toLowerCase(Locale.ROOT).contains("bucket")) {
            return new InfluxException(InfluxException.Reason.NOT_FOUND, where(target) + " has no bucket \""
                    + quote(v2.bucket()) + "\" in org \"" + quote(v2.org()) + "\": " + quote(message));
        }
        if (target instanceof InfluxTarget.V2) {
            return new InfluxException(InfluxException.Reason.UNSUPPORTED, where(target)
                    + " has no /api/v2/write (InfluxDB 1.x before 1.8): use --influx-db instead of org/bucket/token");
        }
        return new InfluxException(InfluxException.Reason.UNSUPPORTED, where(target)
                + " has no /write endpoint (HTTP 404: " + quote(message) + "): is the URL an InfluxDB?");
    }

    /** Server or user text as it may be quoted: one line, no control characters or secrets, at most 120 chars. */
    static String quote(String text) {
        String clean = Redaction.text(TerminalText.oneLine(text));
        return clean.length() > QUOTED ? clean.substring(0, QUOTED) + "..." : clean;
    }
}
