package dev.prowctl.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Webhook bodies for the tests: fixture files under {@code relay/fixtures} and small Alertmanager-style bodies. */
final class Bodies {
    private Bodies() {
    }

    static String fixture(String name) {
        try (InputStream in = Bodies.class.getResourceAsStream("/relay/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An Alertmanager v4 body with one firing alert named {@code alertname} and the given summary. */
    static String alertmanager(String alertname, String summary) {
        String name = json(alertname);
        String text = json(summary);
        return """
                {"version":"4","groupKey":"{}:{alertname}","truncatedAlerts":0,"status":"firing",
                 "receiver":"relay","groupLabels":{"alertname":%1$s},"commonLabels":{"alertname":%1$s},
                 "commonAnnotations":{"summary":%2$s},"externalURL":"http://am.example:9093",
                 "alerts":[{"status":"firing","labels":{"alertname":%1$s},"annotations":{"summary":%2$s},
                   "startsAt":"2026-11-28T01:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"",
                   "fingerprint":"0123456789abcdef"}]}
                """.formatted(name, text);
    }

    static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\0' -> out.append("\\u0000");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
