package dev.prowctl.cli.grafana;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.prowctl.cli.Prowctl;
import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;

/**
 * The benchmark behind bench/grafana/run.sh (not a test): export and import of 500 dashboards against the fake
 * Grafana answering every request after 20 ms, a sequential client ({@code --concurrency 1}: the same requests one
 * after another, as the original Python scripts did) against {@code --concurrency 8}. Prints a Markdown table.
 * The fake runs without the OpenAPI check here, so that only the client's behaviour is measured.
 */
public final class GrafanaBench {

    public static void main(String[] args) throws IOException {
        int dashboards = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Duration latency = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 20);
        System.out.printf("%d dashboards, %d ms latency per request, median of %d rounds%n%n", dashboards,
                latency.toMillis(), rounds);
        System.out.println("| operation | requests | sequential (--concurrency 1) | prowctl --concurrency 8 | speed-up |");
        System.out.println("| --- | --- | --- | --- | --- |");
        try (FakeGrafana source = FakeGrafana.start(FakeGrafana.Line.V13, null, "/", latency)) {
            Fakes.seedTeamGrafana(source, dashboards);
            Result seqExport = median(rounds, () -> export(source, 1));
            Result parExport = median(rounds, () -> export(source, 8));
            row("export", seqExport, parExport);
            Path dir = Files.createTempDirectory("prowctl-bench");
            export(source, 8, dir);
            Result seqImport = median(rounds, () -> importInto(dir, 1, latency));
            Result parImport = median(rounds, () -> importInto(dir, 8, latency));
            row("import into an empty Grafana", seqImport, parImport);
            Result seqNoop = median(rounds, () -> reimport(dir, 1, latency));
            Result parNoop = median(rounds, () -> reimport(dir, 8, latency));
            row("re-import, all unchanged", seqNoop, parNoop);
            delete(dir);
        }
    }

    private record Result(long millis, int requests) {
    }

    private interface Run {
        Result once() throws IOException;
    }

    private static Result median(int rounds, Run run) throws IOException {
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            results.add(run.once());
        }
        results.sort(Comparator.comparingLong(Result::millis));
        return results.get(results.size() / 2);
    }

    private static void row(String what, Result seq, Result par) {
        if (seq.requests() != par.requests()) {
            throw new IllegalStateException(what + ": request counts differ: " + seq + " vs " + par);
        }
        System.out.printf("| %s | %d | %.2f s | %.2f s | %.1fx |%n", what, seq.requests(), seq.millis() / 1000.0,
                par.millis() / 1000.0, (double) seq.millis() / par.millis());
    }

    private static Result export(FakeGrafana source, int concurrency) throws IOException {
        Path dir = Files.createTempDirectory("prowctl-bench");
        try {
            return export(source, concurrency, dir);
        } finally {
            delete(dir);
        }
    }

    private static Result export(FakeGrafana source, int concurrency, Path dir) {
        source.clearRequests();
        long start = System.nanoTime();
        prowctl("grafana", "export", "--dir", dir.toString(), "--concurrency", Integer.toString(concurrency),
                "--url", source.url().toString(), "--token", FakeGrafana.ADMIN_TOKEN);
        return new Result((System.nanoTime() - start) / 1_000_000, source.requests().size());
    }

    private static Result importInto(Path dir, int concurrency, Duration latency) throws IOException {
        try (FakeGrafana target = FakeGrafana.start(FakeGrafana.Line.V13, null, "/", latency)) {
            long start = System.nanoTime();
            prowctl("grafana", "import", "--dir", dir.toString(), "--concurrency", Integer.toString(concurrency),
                    "--url", target.url().toString(), "--token", FakeGrafana.ADMIN_TOKEN);
            return new Result((System.nanoTime() - start) / 1_000_000, target.requests().size());
        }
    }

    private static Result reimport(Path dir, int concurrency, Duration latency) throws IOException {
        try (FakeGrafana target = FakeGrafana.start(FakeGrafana.Line.V13, null, "/", Duration.ZERO)) {
            prowctl("grafana", "import", "--dir", dir.toString(), "--url", target.url().toString(), "--token",
                    FakeGrafana.ADMIN_TOKEN);
            target.clearRequests();
            target.close();
            try (FakeGrafana slow = FakeGrafana.start(FakeGrafana.Line.V13, null, "/", latency)) {
                // Same content, now behind the latency: re-seed by importing without timing, then time the no-op.
                prowctl("grafana", "import", "--dir", dir.toString(), "--url", slow.url().toString(), "--token",
                        FakeGrafana.ADMIN_TOKEN, "--concurrency", "8");
                slow.clearRequests();
                long start = System.nanoTime();
                prowctl("grafana", "import", "--dir", dir.toString(), "--concurrency",
                        Integer.toString(concurrency), "--url", slow.url().toString(), "--token",
                        FakeGrafana.ADMIN_TOKEN);
                long millis = (System.nanoTime() - start) / 1_000_000;
                if (!slow.writes().isEmpty()) {
                    throw new IllegalStateException("re-import wrote " + slow.writes().size() + " times");
                }
                return new Result(millis, slow.requests().size());
            }
        }
    }

    private static void prowctl(String... args) {
        StringWriter err = new StringWriter();
        int code = Prowctl.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
        if (code != 0) {
            throw new IllegalStateException("prowctl " + String.join(" ", args) + " exited " + code + ": " + err);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
