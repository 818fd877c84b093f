package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.stream.Stream;
import java.util.zip.ZipException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.prowctl.grafana.GrafanaException;
import dev.prowctl.scraper.influx.InfluxException;
import dev.prowctl.scraper.pipeline.ScrapeException;
import dev.prowctl.scraper.prow.DeckException;
import dev.prowctl.scraper.prow.PayloadException;
import dev.prowctl.stack.StackException;
import picocli.CommandLine;

/**
 * Every kind of failure becomes one line and its documented exit code; a bug is 70 with a hint; stack traces only
 * with --verbose.
 */
class FailureMapTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new CommandFailure(ExitCodes.USAGE, "--x must be positive"), ExitCodes.USAGE,
                        "--x must be positive"),
                Arguments.of(new PayloadException(PayloadException.Problem.HTML, "deck sent an HTML page", null),
                        ExitCodes.BAD_INPUT, "deck sent an HTML page"),
                Arguments.of(new DeckException(401, "deck refused it"), ExitCodes.AUTH, "deck refused it"),
                Arguments.of(new DeckException(403, "deck refused it"), ExitCodes.AUTH, "deck refused it"),
                Arguments.of(new DeckException(404, "no deck"), ExitCodes.SERVER_ERROR, "no deck"),
                Arguments.of(new DeckException(503, "busy"), ExitCodes.SERVER_ERROR, "busy"),
                Arguments.of(new ScrapeException(ScrapeException.Reason.UNREACHABLE, "could not reach deck d", null),
                        ExitCodes.UNREACHABLE, "could not reach deck d"),
                Arguments.of(new ScrapeException(ScrapeException.Reason.UNREADABLE, "could not read f", null),
                        ExitCodes.ENVIRONMENT, "could not read f"),
                Arguments.of(new InfluxException(InfluxException.Reason.AUTH, "refused"), ExitCodes.AUTH, "refused"),
                Arguments.of(new InfluxException(InfluxException.Reason.NOT_FOUND, "no db"), ExitCodes.SERVER_ERROR,
                        "no db"),
                Arguments.of(new InfluxException(InfluxException.Reason.UNSUPPORTED, "no v2"), ExitCodes.UNSUPPORTED,
                        "no v2"),
                Arguments.of(new InfluxException(InfluxException.Reason.SERVER_ERROR, "500"), ExitCodes.SERVER_ERROR,
                        "500"),
                Arguments.of(new GrafanaException(GrafanaException.Problem.UNREACHABLE, 0, "g"), ExitCodes.UNREACHABLE,
                        "g"),
                Arguments.of(new GrafanaException(GrafanaException.Problem.AUTH, 401, "g"), ExitCodes.AUTH, "g"),
                Arguments.of(new GrafanaException(GrafanaException.Problem.UNSUPPORTED, 404, "g"),
                        ExitCodes.UNSUPPORTED, "g"),
                Arguments.of(new GrafanaException(GrafanaException.Problem.BAD_INPUT, 400, "g"), ExitCodes.BAD_INPUT,
                        "g"),
                Arguments.of(new GrafanaException(GrafanaException.Problem.CONFLICT, 409, "g"),
                        ExitCodes.SERVER_ERROR, "g"),
                Arguments.of(new StackException(StackException.Reason.INVALID_SETTING, "s"), ExitCodes.USAGE, "s"),
                Arguments.of(new StackException(StackException.Reason.MISSING_TOOL, "s"), ExitCodes.ENVIRONMENT, "s"),
                Arguments.of(new StackException(StackException.Reason.UNREACHABLE, "s"), ExitCodes.UNREACHABLE, "s"),
                Arguments.of(new StackException(StackException.Reason.FAILED, "s"), ExitCodes.SERVER_ERROR, "s"),
                Arguments.of(new StackException(StackException.Reason.BAD_OUTPUT, "s"), ExitCodes.BAD_INPUT, "s"),
                Arguments.of(new StackException(StackException.Reason.INTERRUPTED, "s"), ExitCodes.INTERNAL, "s"),
                Arguments.of(new ConnectException("Connection refused"), ExitCodes.UNREACHABLE,
                        "could not connect: Connection refused"),
                Arguments.of(new UnknownHostException("deck.invalid"), ExitCodes.UNREACHABLE,
                        "unknown host deck.invalid"),
                Arguments.of(new SocketTimeoutException("Read timed out"), ExitCodes.UNREACHABLE,
                        "timed out: Read timed out"),
                Arguments.of(new InterruptedIOException("interrupted"), ExitCodes.UNREACHABLE,
                        "timed out: interrupted"),
                Arguments.of(new NoSuchFileException("/x/y"), ExitCodes.BAD_INPUT, "no such file: /x/y"),
                Arguments.of(new FileNotFoundException("/x/y"), ExitCodes.BAD_INPUT, "no such file: /x/y"),
                Arguments.of(new ZipException("Not in GZIP format"), ExitCodes.BAD_INPUT,
                        "not valid gzip: Not in GZIP format"),
                Arguments.of(new AccessDeniedException("/x/y"), ExitCodes.ENVIRONMENT, "permission denied: /x/y"),
                Arguments.of(new IOException("disk on fire"), ExitCodes.ENVIRONMENT, "I/O error: disk on fire"),
                Arguments.of(new UncheckedIOException(new NoSuchFileException("/x/y")), ExitCodes.BAD_INPUT,
                        "no such file: /x/y"),
                Arguments.of(new NullPointerException("oops"), ExitCodes.INTERNAL, "internal error: oops"),
                Arguments.of(new IllegalStateException("bug"), ExitCodes.INTERNAL, "internal error: bug"),
                // libraries that quote a cause with toString() name no Java class to the user
                Arguments.of(new IOException("GET https://deck/x failed: java.net.UnknownHostException: deck"),
                        ExitCodes.ENVIRONMENT, "I/O error: GET https://deck/x failed: deck"),
                Arguments.of(new ScrapeException(ScrapeException.Reason.UNREACHABLE,
                        "could not reach deck https://u:pw@deck/?token=t1: Connection refused", null),
                        ExitCodes.UNREACHABLE, "could not reach deck https://***@deck/?token=***: Connection refused"),
                Arguments.of(new PayloadException(PayloadException.Problem.MALFORMED,
                        "job \u001b]0;owned\u0007name\u001b[2J\rforged", null), ExitCodes.BAD_INPUT,
                        "job nameforged"),
                Arguments.of(new OutOfMemoryError("Java heap space"), ExitCodes.INTERNAL,
                        FailureMap.outOfMemory().message()),
                Arguments.of(new java.util.concurrent.ExecutionException(new OutOfMemoryError("Java heap space")),
                        ExitCodes.INTERNAL, FailureMap.outOfMemory().message()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("failures")
    void mapsEachKindToItsExitCodeAndOneLine(Throwable failure, ExitCodes code, String message) {
        FailureMap.Failure mapped = FailureMap.describe(failure);

        assertThat(mapped.exitCode()).isEqualTo(code);
        assertThat(mapped.message()).isEqualTo(message).doesNotContain("\n");
    }

    /** What the handler prints for {@code failure} when {@code args} were parsed. */
    private static String handle(Exception failure, ExitCodes expected, String... args) {
        StringWriter err = new StringWriter();
        CommandLine root = TestCommandLine.create(new PrintWriter(new StringWriter()), new PrintWriter(err));
        CommandLine.ParseResult parsed = root.parseArgs(args);
        CommandLine scrape = root.getSubcommands().get("scrape");

        int code = new ErrorHandler().handleExecutionException(failure, scrape, parsed);

        assertThat(code).isEqualTo(expected.code());
        return err.toString();
    }

    @Test
    void aKnownFailureIsOneLineWithoutAStackTrace() {
        String err = handle(new DeckException(403, "deck refused https://deck/prowjobs.js with HTTP 403"),
                ExitCodes.AUTH, "scrape");

        assertThat(err).isEqualTo("prowctl scrape: deck refused https://deck/prowjobs.js with HTTP 403"
                + System.lineSeparator());
    }

    @Test
    void aBugIsExit70WithAHintAndNoStackTrace() {
        String err = handle(new IllegalStateException("cannot happen"), ExitCodes.INTERNAL, "scrape");

        assertThat(err.lines()).containsExactly("prowctl scrape: internal error: cannot happen",
                "This is a bug in prowctl; run again with --verbose to see the stack trace.");
    }

    @Test
    void verboseAddsTheStackTrace() {
        String err = handle(new IllegalStateException("cannot happen"), ExitCodes.INTERNAL, "--verbose", "scrape");

        assertThat(err).startsWith("prowctl scrape: internal error: cannot happen")
                .contains("\tat dev.prowctl.cli.FailureMapTest");
    }

    @Test
    void theVerboseStackTraceIsRedactedToo() {
        String err = handle(new IllegalStateException("posting to https://hooks.example/services/T/B/s3cret",
                new java.net.ConnectException("https://u:pw@influx:8086/write?p=pw\u001b]0;owned\u0007")),
                ExitCodes.INTERNAL, "--verbose", "scrape");

        assertThat(err).contains("\tat dev.prowctl.cli.FailureMapTest", "services/***", "https://***@influx:8086")
                .doesNotContain("s3cret").doesNotContain(":pw@").doesNotContain("\u001b").doesNotContain("owned");
    }

    @Test
    void runningOutOfMemoryIsOneLineWithTheHeapToRaiseAndExit70() {
        String err = handle(new java.util.concurrent.ExecutionException(new OutOfMemoryError("Java heap space")),
                ExitCodes.INTERNAL, "scrape");

        assertThat(err.lines()).singleElement().asString()
                .startsWith("prowctl scrape: out of memory reading the input (Java heap limit ")
                .contains("raise it, e.g. JAVA_OPTS=-Xmx");
    }
}
