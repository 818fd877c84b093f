package dev.prowctl.stack;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;

/**
 * The HTTP probe behind the status blocks of {@code stack status} ({@link AlertingStatus}, {@link PrometheusStatus}):
 * one GET with a short timeout and no redirects, the printable form of what came back or why nothing did, and the
 * block's printing.
 */
final class StatusProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    HttpResponse<String> get(String url) throws IOException {
        return get(url, null);
    }

    /** GET {@code url}, with an {@code Authorization} header unless it is null. */
    HttpResponse<String> get(String url, String authorization) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Why a probe failed, printable: the message, or the exception's name when it has none. */
    static String reason(IOException e) {
        String message = e.getMessage();
        return printable(message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
    }

    /** Text from a server as one line with no secret and no control sequence. */
    static String printable(String text) {
        return TerminalText.oneLine(Redaction.text(text));
    }

    /**
     * Prints {@code heading} and the indented {@code lines} on {@code out}, nothing when there are none; a
     * {@link StackException} (compose cannot tell) becomes one line on {@code err}: "{@code what} status unknown".
     */
    static void print(PrintWriter out, PrintWriter err, String heading, String what, Supplier<List<String>> lines) {
        List<String> block;
        try {
            block = lines.get();
        } catch (StackException e) {
            err.println("prowctl: " + what + " status unknown: " + e.getMessage());
            err.flush();
            return;
        }
        if (block.isEmpty()) {
            return;
        }
        out.println();
        out.println(heading);
        block.forEach(line -> out.println("  " + line));
        out.flush();
    }
}
