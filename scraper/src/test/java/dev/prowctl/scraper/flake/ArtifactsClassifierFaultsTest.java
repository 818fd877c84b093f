package dev.prowctl.scraper.flake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.scraper.prow.ProwRun;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** Retries, timeouts and the deadline of the classifier: on a manual clock, so nothing really waits for them. */
class ArtifactsClassifierFaultsTest extends ClassifierTestBase {

    /** The test step's directory exists without build-log.txt: two requests decide the run (a flake). */
    private static final String STEP_RAN_NOTHING = "artifacts/operator-e2e-aws/e2e/finished.json";

    // ---- faults ------------------------------------------------------------------------------------------------

    @Test
    void serviceUnavailableIsRetriedThenSucceeds() {
        ProwRun run = presubmit("1101", "failure", "operator-e2e-aws", STEP_RAN_NOTHING);
        server.failNext("/o?prefix=", 2, 503);
        server.failNext("alt=media", 1, 429);

        List<ProwRun> out = classifier().classify(List.of(run));

        assertThat(out).singleElement().extracting(ProwRun::flakeReason).isEqualTo("no-build-log:e2e");
        assertThat(server.requestCount()).isEqualTo(5);
        assertThat(summaries).singleElement().extracting(ClassificationSummary::requests).isEqualTo(5);
        assertThat(clock.waits).as("one backoff before each retry").hasSize(3);
    }

    @Test
    void aSlowAnswerTimesOutAndIsAskedAgain() {
        ProwRun run = presubmit("1201", "failure", "operator-e2e-aws", testLog("operator-e2e-aws", "e2e"));
        server.slowNext("/o?prefix=", 1, 10_000); // released when the server closes
        RetryPolicy shortTimeout = new RetryPolicy(Duration.ofMillis(200), 3, Duration.ofMillis(10),
                Duration.ofMillis(40));

        List<ProwRun> out = classifier(server.gcswebPrefix(), Duration.ofSeconds(20), 4, shortTimeout)
                .classify(List.of(run));

        assertThat(out).singleElement().extracting(ProwRun::flakeReason).isEqualTo("build-log:e2e");
        assertThat(server.requests()).filteredOn(r -> r.contains("/o?prefix=")).hasSize(2);
    }

    @Test
    void retriesExhaustedDefersTheRunWithoutCachingIt() throws IOException {
        ProwRun broken = presubmit("1301", "failure", "operator-e2e-aws");
        ProwRun fine = presubmit("1302", "failure", "operator-e2e-aws");
        ProwRun success = presubmit("1303", "success", "operator-e2e-aws");
        server.failNext("1301", 4, 503); // exactly the first attempt and its 3 retries

        List<ProwRun> out = classifier().classify(List.of(broken, fine, success));

        assertThat(out).extracting(ProwRun::id).containsExactly("1302", "1303");
        assertThat(server.requests()).filteredOn(r -> r.contains("1301")).hasSize(4);
        assertThat(warnings).singleElement().asString()
                .contains("1 failed run(s) not classified")
                .contains("#1301")
                .contains("HTTP 503");
        assertThat(summaries.get(0).deferred()).isEqualTo(1);
        JsonNode saved = new ObjectMapper().readTree(stateDir.resolve(FlakeCache.FILE_NAME).toFile());
        assertThat(saved.path("entries").fieldNames()).toIterable().as("verdicts").hasSize(1)
                .allMatch(key -> key.endsWith("/1302"));
        assertThat(saved.path("deferred").fieldNames()).toIterable().as("when 1301 was first left undecided")
                .singleElement().asString().endsWith("/1301");

        // the next scrape, with the server healthy again, emits it once with its final state
        server.resetCounts();
        List<ProwRun> next = classifier().classify(List.of(broken, fine, success));
        assertThat(next).extracting(ProwRun::id).containsExactly("1301", "1302", "1303");
        assertThat(byId(next).get("1301").state()).isEqualTo("flake");
        assertThat(server.requests()).allMatch(r -> r.contains("1301"));
    }

    @Test
    void aDeadlineThatExpiresDefersWhatIsNotDoneAndGuessesNothing() {
        server.onRequest = () -> clock.advance(Duration.ofSeconds(10)); // every request takes 10 s
        List<ProwRun> runs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            runs.add(presubmit("14" + String.format("%02d", i), "failure", "operator-e2e-aws", STEP_RAN_NOTHING));
        }
        runs.add(presubmit("1499", "success", "operator-e2e-aws"));

        // one lookup at a time, two requests each: the tenth request ends at the 100 s deadline
        List<ProwRun> out = classifier(server.gcswebPrefix(), Duration.ofSeconds(100), 1).classify(runs);

        assertThat(out).extracting(ProwRun::id).containsExactly("1400", "1401", "1402", "1403", "1404", "1499");
        assertThat(out).filteredOn(r -> !r.id().equals("1499"))
                .as("what was classified in time carries a verdict; the rest is left out")
                .allSatisfy(r -> assertThat(r.flakeReason()).isEqualTo("no-build-log:e2e"));
        assertThat(server.requestCount()).as("no request starts after the deadline").isEqualTo(10);
        assertThat(summaries.get(0).deferred()).isEqualTo(7);
        assertThat(warnings).singleElement().asString().contains("7 failed run(s) not classified")
                .contains("7 by the deadline");
    }

    @Test
    void theDeadlineCountsFromWhenTheClassifierWasBuiltSoASlowDeckReadUsesItUp() {
        ArtifactsClassifier classifier = classifier(server.gcswebPrefix(), Duration.ofMillis(200), 2);
        clock.advance(Duration.ofMillis(400)); // the scrape reading deck, after it built its classifier
        List<ProwRun> out = classifier.classify(List.of(presubmit("1451", "failure", "operator-e2e-aws"),
                presubmit("1452", "success", "operator-e2e-aws")));

        assertThat(out).extracting(ProwRun::id).containsExactly("1452");
        assertThat(server.requests()).as("no lookup starts after the deadline").isEmpty();
        assertThat(warnings).singleElement().asString().contains("by the deadline");
    }

    @Test
    void anUnresolvableHostIsUndecidedAtOnceInsteadOfRetrying() {
        HttpUrl nowhere = HttpUrl.get("http://no-such-host.invalid/");
        ArtifactsClassifier classifier = new ArtifactsClassifier(new OkHttpClient(), new ClassifierSettings(nowhere,
                nowhere.resolve("/gcs/"), 2, Duration.ofSeconds(60),
                new RetryPolicy(Duration.ofSeconds(5), 5, Duration.ofSeconds(2), Duration.ofSeconds(5))),
                FlakeCache.open(stateDir, Clock.systemUTC(), warnings::add), listener, clock, clock);

        List<ProwRun> out = classifier.classify(List.of(presubmit("1461", "failure", "operator-e2e-aws")));

        assertThat(out).as("asking again will not help: emitted now, not left out").singleElement()
                .satisfies(r -> {
                    assertThat(r.state()).isEqualTo("failure");
                    assertThat(r.flakeReason()).isEqualTo("undecided:unknown-host");
                });
        assertThat(clock.waits).as("five retries with 2 s backoff would wait over 10 s").isEmpty();
        assertThat(warnings).singleElement().asString().contains("unknown host no-such-host.invalid")
                .contains("1 emitted as failure with flake_reason undecided:unknown-host");
    }
}
