package dev.prowctl.scraper.pipeline;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import dev.prowctl.http.ProgressListener;
import dev.prowctl.http.Redaction;
import dev.prowctl.scraper.influx.InfluxException;
import dev.prowctl.scraper.influx.InfluxTarget;
import dev.prowctl.scraper.influx.InfluxWriter;
import dev.prowctl.scraper.output.LineProtocol;
import dev.prowctl.scraper.prow.ProwRun;

/**
 * Writes the runs to InfluxDB, one point per run, encoded by the same {@link LineProtocol} that prints them. Lines
 * InfluxDB rejects are returned as {@link RunSink.Rejection}s (with a null item for each line InfluxDB counted as
 * dropped without naming it); an {@link InfluxException} (credentials, a missing
 * database) fails the whole write, and a server that cannot be reached is a {@link ScrapeException}.
 */
public final class InfluxSink implements RunSink {

    private final InfluxWriter writer;
    private final InfluxTarget target;
    private final LineProtocol encoder;

    public InfluxSink(InfluxWriter writer, InfluxTarget target, LineProtocol encoder) {
        this.writer = writer;
        this.target = target;
        this.encoder = encoder;
    }

    @Override
    public Outcome accept(List<ProwRun> runs, ProgressListener progress) throws IOException {
        List<String> lines = new ArrayList<>(runs.size());
        ChunkedEncoding.encode(runs, this::lines, lines::addAll);
        InfluxWriter.Result result;
        try {
            result = writer.write(lines, progress::update);
        } catch (InfluxException e) {
            throw e;
        } catch (ConnectException | NoRouteToHostException | UnknownHostException e) {
            throw unreachable("could not reach InfluxDB " + target.shownUrl() + ": " + Redaction.text(e.getMessage()),
                    e);
        } catch (InterruptedIOException e) {
            throw unreachable("InfluxDB " + target.shownUrl() + " timed out", e);
        } catch (IOException e) {
            throw unreachable("writing to InfluxDB " + target.shownUrl() + " failed: "
                    + Redaction.text(e.getMessage()), e);
        }
        List<Rejection> rejected = result.rejected().stream()
                .map(r -> new Rejection(r.line(), r.reason())).toList();
        return new Outcome(result.sent(), rejected);
    }

    /** One line per run, without its LF: InfluxWriter batches lines. */
    private List<String> lines(List<ProwRun> chunk) {
        List<String> lines = new ArrayList<>(chunk.size());
        StringBuilder line = new StringBuilder(1024);
        for (ProwRun run : chunk) {
            line.setLength(0);
            ChunkedEncoding.append(encoder, run, line);
            lines.add(line.substring(0, line.length() - 1));
        }
        return lines;
    }

    private static ScrapeException unreachable(String message, IOException cause) {
        return new ScrapeException(ScrapeException.Reason.UNREACHABLE, message, cause);
    }
}
