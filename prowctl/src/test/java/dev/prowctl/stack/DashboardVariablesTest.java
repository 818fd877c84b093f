package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.prowctl.stack.GrafanaInterpolation.Variable;

/**
 * The Grafana 12.2 interpolation the dashboard tests rely on, against the cases Grafana's own datasource tests and
 * documentation give (datasource.test.ts of the InfluxDB plugin, "Advanced variable format options").
 */
class DashboardVariablesTest {

    private static final Variable JOB_TEXTBOX = new Variable("job", false, false, null, ".*", List.of());
    private static final Variable VARIANT_ALL = new Variable("variant", true, true, ".*", List.of("$__all"),
            List.of("4.14", "4.15"));

    private static String frontend(String query, Variable... variables) {
        Map<String, Variable> byName = new java.util.LinkedHashMap<>();
        for (Variable variable : variables) {
            byName.put(variable.name(), variable);
        }
        return GrafanaInterpolation.frontend(query, byName);
    }

    @Test
    void aSingleValueInsideARegexIsEscapedSoTheDefaultMatchAllMatchesNothing() {
        assertThat(frontend("SELECT 1 FROM b WHERE \"job_name\" =~ /$job/", JOB_TEXTBOX))
                .isEqualTo("SELECT 1 FROM b WHERE \"job_name\" =~ /\\.\\*/");
        assertThat(frontend("WHERE \"job_name\" =~ /^$job$/", JOB_TEXTBOX.withValue("oadp.*e2e")))
                .isEqualTo("WHERE \"job_name\" =~ /^oadp\\.\\*e2e$/");
    }

    @Test
    void theRawFormatKeepsTheValueAsTyped() {
        assertThat(frontend("WHERE \"job_name\" =~ /${job:raw}/", JOB_TEXTBOX)).isEqualTo("WHERE \"job_name\" =~ /.*/");
        assertThat(frontend("WHERE \"job_name\" =~ /${job:regex}/", JOB_TEXTBOX))
                .isEqualTo("WHERE \"job_name\" =~ /\\.\\*/");
    }

    @Test
    void aSingleValueOutsideARegexIsNotEscaped() {
        assertThat(frontend("WHERE \"job_name\" = '$job'", JOB_TEXTBOX.withValue("a.b"))).isEqualTo(
                "WHERE \"job_name\" = 'a.b'");
    }

    @Test
    void multiValuesAreEscapedAndJoinedAsAlternatives() {
        Variable variant = VARIANT_ALL.withValue(List.of("4.14", "4.1+x"));
        assertThat(frontend("\"variant\" =~ /^$variant$/", variant)).isEqualTo("\"variant\" =~ /^(4\\.14|4\\.1\\+x)$/");
        assertThat(frontend("\"variant\" =~ /^$variant$/", variant.withValue(List.of("a/b"))))
                .isEqualTo("\"variant\" =~ /^(a\\/b)$/");
        assertThat(frontend("${variant:regex}", variant.withValue(List.of("a.b")))).isEqualTo("a\\.b");
        assertThat(frontend("${variant:regex}", variant)).isEqualTo("(4\\.14|4\\.1\\+x)");
    }

    @Test
    void allWithACustomAllValueIsInsertedUnescapedElseEveryOptionIs() {
        assertThat(frontend("\"variant\" =~ /^$variant$/", VARIANT_ALL)).isEqualTo("\"variant\" =~ /^.*$/");
        Variable noCustomAll = new Variable("variant", true, true, null, List.of("$__all"), List.of("4.14", "4.15"));
        assertThat(frontend("\"variant\" =~ /^$variant$/", noCustomAll)).isEqualTo("\"variant\" =~ /^(4\\.14|4\\.15)$/");
    }

    @Test
    void numbersAreNeverEscaped() {
        Variable pr = new Variable("pr", false, false, null, "1234", List.of());
        assertThat(frontend("\"pull_request\" =~ /^$pr$/", pr)).isEqualTo("\"pull_request\" =~ /^1234$/");
    }

    @Test
    void macrosAreTheBackendsAndUnknownVariablesStay() {
        String sent = frontend("SELECT count(x) FROM b WHERE $timeFilter AND y = '$nope' GROUP BY time($__interval)",
                JOB_TEXTBOX);
        assertThat(sent).isEqualTo("SELECT count(x) FROM b WHERE $timeFilter AND y = '$nope' GROUP BY time($__interval)");
        assertThat(GrafanaInterpolation.backend(sent, 1000, 2000, "30m", 1_800_000)).isEqualTo(
                "SELECT count(x) FROM b WHERE time >= 1000ms and time <= 2000ms AND y = '$nope' GROUP BY time(30m)");
        assertThat(GrafanaInterpolation.backend("$__interval_ms $interval", 0, 0, "1h", 3_600_000))
                .isEqualTo("3600000 1h");
    }
}
