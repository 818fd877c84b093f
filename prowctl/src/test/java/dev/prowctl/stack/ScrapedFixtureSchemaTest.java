package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.prowctl.cli.Prowctl;
import dev.prowctl.testing.TestEnv;

/**
 * The dashboards are checked against {@code stack/scraped-runs.lp} (runs of every kind the dashboards show, flakes
 * included). This keeps that fixture honest: each of its lines must have the measurement, tag keys and field keys
 * (with their types) that the real {@code prowctl scrape -o influx} writes for real OpenShift ProwJobs.
 */
class ScrapedFixtureSchemaTest {

    @Test
    void fixtureLinesHaveTheShapeOfRealScrapeOutput() throws IOException {
        String prowjobs = TestEnv.sharedFile("fixtures/prow/prowjobs.json").toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Prowctl.run(new PrintWriter(out), new PrintWriter(err),
                "scrape", "--prowjobs-file", prowjobs, "--job", "*", "--no-flakes", "-o", "influx");
        assertThat(code).as(err.toString()).isZero();

        Map<String, String> realTags = new TreeMap<>();
        Map<String, String> realFields = new TreeMap<>();
        List<String> realLines = out.toString().lines().toList();
        assertThat(realLines).hasSizeGreaterThan(3);
        for (String line : realLines) {
            Shape shape = Shape.of(line);
            assertThat(shape.measurement()).isEqualTo("build");
            realTags.putAll(shape.tags());
            realFields.putAll(shape.fields());
        }
        // The classifier adds this field to flakes; --no-flakes (no network here) leaves it out of the real output.
        realFields.put("flake_reason", "string");

        String fixture;
        try (InputStream in = ScrapedFixtureSchemaTest.class.getResourceAsStream("/stack/scraped-runs.lp")) {
            fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> fixtureLines = fixture.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(fixtureLines).hasSizeGreaterThan(20);
        for (String line : fixtureLines) {
            Shape shape = Shape.of(line);
            assertThat(shape.measurement()).as(line).isEqualTo("build");
            assertThat(realTags).as(line).containsAllEntriesOf(shape.tags());
            assertThat(realFields).as(line).containsAllEntriesOf(shape.fields());
        }
    }

    /** Measurement, tag keys and field keys with their line-protocol types of one line. */
    record Shape(String measurement, Map<String, String> tags, Map<String, String> fields) {

        static Shape of(String line) {
            List<String> sections = split(line, ' ');
            List<String> series = split(sections.get(0), ',');
            Map<String, String> tags = new TreeMap<>();
            for (String tag : series.subList(1, series.size())) {
                tags.put(split(tag, '=').get(0), "tag");
            }
            Map<String, String> fields = new TreeMap<>();
            for (String field : split(sections.get(1), ',')) {
                List<String> kv = split(field, '=');
                String value = kv.get(1);
                fields.put(kv.get(0), value.startsWith("\"") ? "string" : value.endsWith("i") ? "integer" : "float");
            }
            return new Shape(series.get(0), tags, fields);
        }

        /** Splits on {@code separator} outside double quotes and not escaped by a backslash. */
        private static List<String> split(String text, char separator) {
            List<String> parts = new ArrayList<>();
            StringBuilder part = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < text.length()) {
                    part.append(c).append(text.charAt(++i));
                } else if (c == '"') {
                    quoted = !quoted;
                    part.append(c);
                } else if (c == separator && !quoted) {
                    parts.add(part.toString());
                    part.setLength(0);
                } else {
                    part.append(c);
                }
            }
            parts.add(part.toString());
            return parts;
        }
    }
}
