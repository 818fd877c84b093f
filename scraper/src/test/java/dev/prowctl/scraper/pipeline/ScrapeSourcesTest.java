package dev.prowctl.scraper.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.prowctl.http.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.scraper.prow.DeckClient;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.PayloadException;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.testing.TestEnv;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;

/** Failures of the scrape's sources name the file or deck they concern, with a kind the CLI maps to an exit code. */
class ScrapeSourcesTest {

    @TempDir
    Path dir;

    private static void read(ProwJobSource source) throws IOException {
        source.read(job -> { }, ProgressListener.NONE);
    }

    @Test
    void aMissingFileStaysNoSuchFile() {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> read(ScrapeSources.file(missing)))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void brokenGzipIsAMalformedPayloadNamingTheFile() throws IOException {
        Path gzip = Files.write(dir.resolve("broken.json.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        assertThatThrownBy(() -> read(ScrapeSources.file(gzip)))
                .isInstanceOfSatisfying(PayloadException.class,
                        e -> assertThat(e.problem()).isEqualTo(PayloadException.Problem.MALFORMED))
                .hasMessageStartingWith(gzip + " is not valid gzip");
    }

    @Test
    void aFileThatCannotBeReadIsUnreadable() {
        assertThatThrownBy(() -> read(ScrapeSources.file(dir)))
                .isInstanceOfSatisfying(ScrapeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ScrapeException.Reason.UNREADABLE))
                .hasMessageStartingWith("could not read " + dir);
    }

    @Test
    void aDeckThatIsNotListeningIsUnreachable() {
        DeckUrl deck = DeckUrl.parse("http://127.0.0.1:" + TestEnv.freePort() + "/");
        ProwJobSource client = new DeckClient(new OkHttpClient(), deck, Duration.ofSeconds(5), 1, Duration.ZERO);

        assertThatThrownBy(() -> read(ScrapeSources.deck(client, deck, Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(ScrapeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ScrapeException.Reason.UNREACHABLE))
                .hasMessageStartingWith("could not reach deck " + deck.base())
                .hasMessageEndingWith("; to scrape a saved payload instead, use --prowjobs-file FILE (FILE saved from "
                        + deck.prowjobsUrl() + ", or the sample examples/prowjobs.sample.json)");
    }

    @Test
    void aSilentDeckTimesOutNamingTheTimeout() throws IOException {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).body("{}").build());
            server.start();
            DeckUrl deck = DeckUrl.parse(server.url("/").toString());
            Duration timeout = Duration.ofMillis(200);
            ProwJobSource client = new DeckClient(new OkHttpClient(), deck, timeout, 1, Duration.ZERO);

            assertThatThrownBy(() -> read(ScrapeSources.deck(client, deck, timeout)))
                    .isInstanceOfSatisfying(ScrapeException.class,
                            e -> assertThat(e.reason()).isEqualTo(ScrapeException.Reason.UNREACHABLE))
                    .hasMessageStartingWith("deck " + deck.base() + " timed out (nothing for 0.2s); to scrape a "
                            + "saved payload instead, use --prowjobs-file FILE");
        }
    }
}
