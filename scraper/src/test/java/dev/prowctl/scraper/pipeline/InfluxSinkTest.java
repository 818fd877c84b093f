package dev.prowctl.scraper.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.prowctl.http.ProgressListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.influx.InfluxTarget;
import dev.prowctl.scraper.influx.InfluxWriter;
import dev.prowctl.scraper.output.LineProtocol;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.Fixtures;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.RunDeriver;
import dev.prowctl.testing.InfluxServer;
import dev.prowctl.testing.TestEnv;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** The pipeline into a real influxd: the points are the printed lines, and an absent server names its URL. */
@ExtendWith(InfluxServer.PerClass.class)
class InfluxSinkTest {

    private static InfluxServer influx;

    @BeforeAll
    static void start(InfluxServer server) throws IOException, InterruptedException {
        influx = server;
    }

    private static InfluxSink sink(InfluxTarget target) {
        return new InfluxSink(new InfluxWriter(new OkHttpClient(), target, 4, 1, Duration.ZERO), target,
                new LineProtocol("build"));
    }

    @Test
    void writesThePrintedLinesOfTheSharedPayload() throws Exception {
        String db = influx.createDatabase("pipeline");
        InfluxTarget target = new InfluxTarget.V1(HttpUrl.get(influx.url()), db, null, null, null);
        ScrapePipeline pipeline = new ScrapePipeline(JobFilter.ANY,
                new RunDeriver(DeckUrl.parse("https://prow.ci.openshift.org/"), RunDeriver.DEFAULT_GCSWEB),
                RunClassifier.NONE, ScrapeListener.NONE);
        List<Long> progress = new ArrayList<>();

        ScrapeResult result = pipeline.run(ScrapeSources.file(Fixtures.shared("prowjobs.json")),
                (runs, p) -> sink(target).accept(runs, (done, total) -> {
                    progress.add(done);
                    p.update(done, total);
                }));

        assertThat(result.delivered()).isEqualTo(new RunSink.Outcome(6, List.of()));
        assertThat(progress).containsExactly(4L, 6L);
        String answer = influx.query(db, "SELECT count(\"build_id\") FROM \"build\"");
        assertThat(answer).contains("\"values\":[[0,6]]");
    }

    @Test
    void linesInfluxRejectsComeBackAsRejections() throws Exception {
        String db = influx.createDatabase("rejections");
        InfluxTarget target = new InfluxTarget.V1(HttpUrl.get(influx.url()), db, null, null, null);
        List<ProwRun> runs = Fixtures.collect(Fixtures.shared("prowjobs.json"), JobFilter.ANY).runs();
        // state_int is an integer field; a string there first (in the same shard) makes every run's point conflict
        assertThat(influx.write(db, "build,job_name=other state_int=\"x\" " + LineProtocol.timestamp(runs.get(0)))
                .statusCode()).isEqualTo(204);

        RunSink.Outcome outcome = sink(target).accept(runs, ProgressListener.NONE);

        assertThat(outcome.sent()).isEqualTo(runs.size());
        // influxd 1.x names no line here, it only counts them ("dropped=N"): unnamed rejections, as many
        assertThat(outcome.rejected()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.item()).isNull();
            assertThat(r.reason()).contains("field type conflict").doesNotContain("dropped=");
        });
        // and what is counted as written is what influxd stored (the conflicting point has no build_id)
        assertThat(influx.query(db, "SELECT count(\"build_id\") FROM \"build\""))
                .contains(outcome.written() == 0 ? "\"results\":[{\"statement_id\":0}]"
                        : "\"values\":[[0," + outcome.written() + "]]");
    }

    @Test
    void aServerThatIsNotListeningIsUnreachableAndNamed() throws IOException {
        InfluxTarget target = new InfluxTarget.V1(HttpUrl.get("http://127.0.0.1:" + TestEnv.freePort()), "db",
                null, null, null);
        List<ProwRun> runs = Fixtures.collect(Fixtures.shared("prowjobs.json"), JobFilter.ANY).runs();

        assertThatThrownBy(() -> sink(target).accept(runs, ProgressListener.NONE))
                .isInstanceOfSatisfying(ScrapeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ScrapeException.Reason.UNREACHABLE))
                .hasMessageStartingWith("could not reach InfluxDB " + target.url());
    }
}
