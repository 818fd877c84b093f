package dev.prowctl.scraper.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.http.ProgressListener;
import org.junit.jupiter.api.Test;

import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.output.HumanText;
import dev.prowctl.scraper.output.JsonLines;
import dev.prowctl.scraper.output.LineProtocol;
import dev.prowctl.scraper.output.RunEncoder;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.Fixtures;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.RunDeriver;

/** The pipeline API on the shared real payloads and this module's cases: what it reads, emits and reports. */
class ScrapePipelineTest {

    private static final DeckUrl DECK = DeckUrl.parse("https://prow.ci.openshift.org/");

    private static ScrapePipeline pipeline(JobFilter filter, RunClassifier classifier, ScrapeListener listener) {
        return new ScrapePipeline(filter, new RunDeriver(DECK, RunDeriver.DEFAULT_GCSWEB), classifier, listener);
    }

    @Test
    void printsEveryFinishedRunOfTheSharedPayloadWithTheExpectedIds() throws IOException {
        Path payload = Fixtures.shared("prowjobs.json");
        JsonNode expected = new ObjectMapper().readTree(Fixtures.shared("prowjobs.expected.json").toFile());
        List<String> finishedIds = new ArrayList<>();
        expected.forEach(job -> {
            if (!job.path("end_time").isNull()) {
                finishedIds.add(job.path("id").asText());
            }
        });
        StringWriter out = new StringWriter();

        ScrapeResult result = pipeline(JobFilter.ANY, RunClassifier.NONE, ScrapeListener.NONE)
                .run(ScrapeSources.file(payload), new PrintSink(out, new JsonLines()));

        ObjectMapper json = new ObjectMapper();
        List<String> printedIds = new ArrayList<>();
        for (String line : out.toString().lines().toList()) {
            printedIds.add(json.readTree(line).path("id").asText());
        }
        assertThat(printedIds).containsExactlyInAnyOrderElementsOf(finishedIds);
        assertThat(result.counts()).isEqualTo(new ScrapeCounts(expected.size(), expected.size(), 0, null,
                finishedIds.size(), expected.size() - finishedIds.size(), 0));
        assertThat(result.emitted()).isEqualTo(finishedIds.size());
        assertThat(result.delivered()).isEqualTo(new RunSink.Outcome(finishedIds.size(), List.of()));
    }

    @Test
    void countsWhatTheCasesPayloadLeavesOutAndNamesTheFirstProblem() throws IOException {
        ScrapeResult result = pipeline(JobFilter.ANY, RunClassifier.NONE, ScrapeListener.NONE)
                .run(ScrapeSources.file(Fixtures.resource(Fixtures.CASES)), new PrintSink(new StringWriter(),
                        new LineProtocol("build")));

        assertThat(result.counts().skipped()).isEqualTo(3);
        assertThat(result.counts().firstProblem()).isEqualTo("item 13: metadata is not an object");
        assertThat(result.counts().unfinished()).isPositive();
        assertThat(result.counts().overrides()).isPositive();
        assertThat(result.emitted()).isEqualTo(result.counts().finished()).isEqualTo(11);
    }

    @Test
    void theParallelPrintIsTheSequentialEncodingInRunOrder() throws IOException {
        List<ProwRun> cases = Fixtures.collect(Fixtures.resource(Fixtures.CASES), JobFilter.ANY).runs();
        List<ProwRun> runs = new ArrayList<>();
        // more than one window of chunks, and a last chunk that is not full
        for (int i = 0; runs.size() < ChunkedEncoding.WINDOW + ChunkedEncoding.CHUNK + 7; i++) {
            runs.add(cases.get(i % cases.size()).classified(false, "copy-" + i));
        }
        for (RunEncoder encoder : List.of(new LineProtocol("build"), new JsonLines(), new HumanText())) {
            StringBuilder sequential = new StringBuilder();
            for (ProwRun run : runs) {
                encoder.write(run, sequential);
            }
            StringWriter printed = new StringWriter();

            RunSink.Outcome outcome = new PrintSink(printed, encoder).accept(runs, ProgressListener.NONE);

            assertThat(printed.toString()).isEqualTo(sequential.toString());
            assertThat(outcome.written()).isEqualTo(runs.size());
        }
    }

    @Test
    void runsAgainAndAgainWithTheSameResult() throws IOException {
        ScrapePipeline pipeline = pipeline(new JobFilter("*oadp*", null, null, null, null, null, null),
                RunClassifier.NONE, ScrapeListener.NONE);
        ProwJobSource source = ScrapeSources.file(Fixtures.shared("prowjobs_var_omit.js"));
        StringWriter first = new StringWriter();
        StringWriter second = new StringWriter();

        ScrapeResult one = pipeline.run(source, new PrintSink(first, new LineProtocol("build")));
        ScrapeResult two = pipeline.run(source, new PrintSink(second, new LineProtocol("build")));

        assertThat(two).isEqualTo(one);
        assertThat(second.toString()).isEqualTo(first.toString()).isNotEmpty();
    }

    @Test
    void reportsWhatWasReadBeforeClassifyingAndEmitsWhatTheClassifierKeeps() throws IOException {
        List<String> events = new ArrayList<>();
        ScrapeListener listener = new ScrapeListener() {
            @Override
            public void read(ScrapeCounts counts) {
                events.add("read " + counts.finished());
            }

            @Override
            public void stageFinished(Stage stage) {
                events.add("finished " + stage);
            }
        };
        RunClassifier keepFirstTwo = runs -> {
            events.add("classify " + runs.size());
            return runs.subList(0, 2);
        };
        RunSink sink = (runs, progress) -> {
            events.add("sink " + runs.size());
            return new RunSink.Outcome(runs.size(), List.of(new RunSink.Rejection(runs.get(0).id(), "no")));
        };

        ScrapeResult result = pipeline(JobFilter.ANY, keepFirstTwo, listener)
                .run(ScrapeSources.file(Fixtures.shared("prowjobs.json")), sink);

        assertThat(events).containsExactly("finished READING", "read 6", "classify 6", "finished CLASSIFYING",
                "sink 2", "finished WRITING");
        assertThat(result.emitted()).isEqualTo(2);
        assertThat(result.delivered().written()).isEqualTo(1);
    }

    @Test
    void theSinkGetsNothingWhenThePayloadIsMalformed() {
        List<ProwRun> delivered = new ArrayList<>();
        RunSink sink = (runs, progress) -> {
            delivered.addAll(runs);
            return new RunSink.Outcome(runs.size(), List.of());
        };
        ScrapePipeline pipeline = pipeline(JobFilter.ANY, RunClassifier.NONE, ScrapeListener.NONE);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pipeline.run(
                        ScrapeSources.file(Fixtures.shared("job_history_allBuilds_2023.json")), sink))
                .isInstanceOf(dev.prowctl.scraper.prow.PayloadException.class)
                .hasMessageContaining("job_history_allBuilds_2023.json is not a prowjobs.js payload");
        assertThat(delivered).isEmpty();
    }
}
