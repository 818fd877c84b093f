package dev.prowctl.scraper.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.prowctl.http.ProgressListener;
import dev.prowctl.scraper.pipeline.PrintSink;
import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.ProwRuns;

class OpenMetricsTest {

    private static final long STEP = OpenMetrics.STEP.toSeconds();
    private static final Instant FIRST_END = ProwRuns.START.plusSeconds(1000);
    private static final String RUNS_OF_J = "prowctl_job_runs_total{job_name=\"j\",type=\"periodic\",state=";

    /** One sample: series (name and labels as written), value, timestamp in seconds. */
    private record Sample(String series, String value, long time) {
    }

    private static ProwRun run(String id, String job, String state, Instant end) {
        return ProwRuns.periodic(id, job).state(state).between(end.minusSeconds(100), end)
                .refs("openshift", "oadp-operator", "master").build();
    }

    private static String encode(List<ProwRun> runs) throws IOException {
        StringBuilder out = new StringBuilder();
        new OpenMetrics().writeAll(runs, out);
        return out.toString();
    }

    /** Every sample, by series, in the order written. */
    private static Map<String, List<Sample>> samples(String document) {
        Map<String, List<Sample>> series = new LinkedHashMap<>();
        for (String line : document.lines().toList()) {
            if (line.startsWith("#")) {
                continue;
            }
            int time = line.lastIndexOf(' ');
            int value = line.lastIndexOf(' ', time - 1);
            Sample sample = new Sample(line.substring(0, value), line.substring(value + 1, time),
                    Long.parseLong(line.substring(time + 1)));
            series.computeIfAbsent(sample.series(), k -> new ArrayList<>()).add(sample);
        }
        return series;
    }

    private static List<Sample> only(Map<String, List<Sample>> series, String prefix) {
        List<String> names = series.keySet().stream().filter(name -> name.startsWith(prefix)).toList();
        assertThat(names).as("series starting with " + prefix).hasSize(1);
        return series.get(names.get(0));
    }

    /** The value a series has at the first step at or after {@code at}. */
    private static String valueAfter(List<Sample> samples, Instant at) {
        return samples.stream().filter(s -> s.time() >= at.getEpochSecond()).findFirst().orElseThrow().value();
    }

    @Test
    void countersStartAtZeroBeforeTheFirstRunAndCountEachRunFromItsCompletionOn() throws IOException {
        List<ProwRun> runs = List.of(run("1", "j", "success", FIRST_END),
                run("2", "j", "success", FIRST_END.plusSeconds(1800)),
                run("3", "j", "failure", FIRST_END.plusSeconds(900)));

        Map<String, List<Sample>> series = samples(encode(runs));

        List<Sample> success = only(series, RUNS_OF_J + "\"success\"");
        assertThat(success.get(0).value()).isEqualTo("0");
        assertThat(success.get(0).time()).isLessThan(FIRST_END.getEpochSecond())
                .isGreaterThanOrEqualTo(FIRST_END.getEpochSecond() - STEP);
        assertThat(valueAfter(success, FIRST_END)).isEqualTo("1");
        assertThat(valueAfter(success, FIRST_END.plusSeconds(1800))).isEqualTo("2");
        assertThat(success.get(success.size() - 1).value()).isEqualTo("2");
        List<Sample> failure = only(series, RUNS_OF_J + "\"failure\"");
        assertThat(failure.get(0).value()).isEqualTo("0");
        assertThat(valueAfter(failure, FIRST_END.plusSeconds(900))).isEqualTo("1");
        assertThat(success).extracting(Sample::time).isEqualTo(failure.stream().map(Sample::time).toList());
    }

    @Test
    void consecutiveFailuresSkipFlakesAndAbortsAndResetOnSuccess() throws IOException {
        String[] states = {"failure", "success", "failure", "flake", "error", "aborted", "failure"};
        String[] expected = {"1", "0", "1", "1", "2", "2", "3"};
        List<ProwRun> runs = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            runs.add(run(Integer.toString(i), "j", states[i], FIRST_END.plusSeconds(i * 3600L)));
        }

        List<Sample> streak = only(samples(encode(runs)), OpenMetrics.CONSECUTIVE_FAILURES);

        assertThat(streak.get(0).value()).isEqualTo("0");
        for (int i = 0; i < states.length; i++) {
            assertThat(valueAfter(streak, FIRST_END.plusSeconds(i * 3600L))).as("after run %d (%s)", i, states[i])
                    .isEqualTo(expected[i]);
        }
    }

    @Test
    void lastRunIsTheNewestCompletionFromTheFirstRunOn() throws IOException {
        Instant second = FIRST_END.plusSeconds(4000);
        List<Sample> last = only(samples(encode(List.of(run("1", "j", "success", FIRST_END),
                run("2", "j", "failure", second)))), OpenMetrics.LAST_RUN);

        assertThat(last.get(0).time()).isGreaterThanOrEqualTo(FIRST_END.getEpochSecond());
        assertThat(last.get(0).value()).isEqualTo(Long.toString(FIRST_END.getEpochSecond()));
        assertThat(last.get(last.size() - 1).value()).isEqualTo(Long.toString(second.getEpochSecond()));
    }

    @Test
    void durationsFillTheHistogramBucketsAbortedRunsLeftOut() throws IOException {
        List<ProwRun> runs = List.of(
                ProwRuns.periodic("1", "j").between(FIRST_END.minusSeconds(20), FIRST_END).build(),
                ProwRuns.periodic("2", "j").between(FIRST_END.minusSeconds(100), FIRST_END).build(),
                ProwRuns.periodic("3", "j").between(FIRST_END.minusSeconds(40_000), FIRST_END).build(),
                ProwRuns.periodic("4", "j").state("aborted").between(FIRST_END.minusSeconds(50), FIRST_END).build());

        Map<String, List<Sample>> series = samples(encode(runs));

        Map<String, String> end = new LinkedHashMap<>();
        series.forEach((name, samples) -> end.put(name.replaceAll("\\{.*le=", "{le="),
                samples.get(samples.size() - 1).value()));
        assertThat(end).containsEntry(OpenMetrics.DURATION + "_bucket{le=\"30.0\"}", "1")
                .containsEntry(OpenMetrics.DURATION + "_bucket{le=\"60.0\"}", "1")
                .containsEntry(OpenMetrics.DURATION + "_bucket{le=\"120.0\"}", "2")
                .containsEntry(OpenMetrics.DURATION + "_bucket{le=\"36000.0\"}", "2")
                .containsEntry(OpenMetrics.DURATION + "_bucket{le=\"+Inf\"}", "3");
        assertThat(only(series, OpenMetrics.DURATION + "_count").get(1).value()).isEqualTo("3");
        assertThat(only(series, OpenMetrics.DURATION + "_sum").get(1).value()).isEqualTo("40120");
    }

    @Test
    void aJobsSeriesEndAWeekAfterItsLastRunOrWithTheHistory() throws IOException {
        Instant late = FIRST_END.plus(Duration.ofDays(30));
        Map<String, List<Sample>> series = samples(encode(List.of(run("1", "old", "success", FIRST_END),
                run("2", "new", "success", late))));

        List<Sample> old = only(series, OpenMetrics.CONSECUTIVE_FAILURES + "{job_name=\"old\"");
        List<Sample> recent = only(series, OpenMetrics.CONSECUTIVE_FAILURES + "{job_name=\"new\"");
        long oldEnd = old.get(old.size() - 1).time();
        assertThat(oldEnd).isGreaterThanOrEqualTo(FIRST_END.plus(OpenMetrics.TAIL).getEpochSecond())
                .isLessThan(FIRST_END.plus(OpenMetrics.TAIL).getEpochSecond() + STEP);
        assertThat(recent.get(recent.size() - 1).time()).isGreaterThanOrEqualTo(late.getEpochSecond())
                .isLessThan(late.getEpochSecond() + STEP);
    }

    @Test
    void familiesAreWholeSeriesInTimeOrderOnTheStepGridAndTheDocumentEnds() throws IOException {
        List<ProwRun> runs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            runs.add(run(Integer.toString(i), "job-" + (i % 3), i % 4 == 0 ? "failure" : "success",
                    FIRST_END.plusSeconds(i * 777L)));
        }
        String document = encode(runs);

        assertThat(document).endsWith("\n# EOF\n");
        List<String> familyOrder = new ArrayList<>();
        String current = null;
        for (String line : document.lines().toList()) {
            if (line.startsWith("# TYPE ")) {
                current = line.split(" ")[2];
                assertThat(familyOrder).doesNotContain(current);
                familyOrder.add(current);
            } else if (!line.startsWith("#")) {
                assertThat(line).startsWith(current);
            }
        }
        assertThat(familyOrder).containsExactly(OpenMetrics.RUNS, OpenMetrics.DURATION, OpenMetrics.LAST_RUN,
                OpenMetrics.CONSECUTIVE_FAILURES);
        for (List<Sample> samples : samples(document).values()) {
            for (int i = 0; i < samples.size(); i++) {
                assertThat(samples.get(i).time() % STEP).isZero();
                if (i > 0) {
                    assertThat(samples.get(i).time()).isEqualTo(samples.get(i - 1).time() + STEP);
                }
            }
        }
    }

    @Test
    void labelValuesAreQuotedAsOpenMetricsRequires() {
        assertThat(OpenMetrics.labelValue("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
        assertThat(OpenMetrics.labelValue(null)).isEmpty();
    }

    @Test
    void thePrintSinkWritesOneDocumentForAllRuns() throws IOException {
        List<ProwRun> runs = List.of(run("1", "a", "success", FIRST_END), run("2", "b", "failure", FIRST_END));
        StringWriter printed = new StringWriter();

        new PrintSink(printed, RunEncoder.of(RunEncoder.Format.OPENMETRICS, "unused")).accept(runs,
                ProgressListener.NONE);

        assertThat(printed.toString()).isEqualTo(encode(runs));
        assertThat(printed.toString().split("# EOF", -1)).hasSize(2);
    }
}
