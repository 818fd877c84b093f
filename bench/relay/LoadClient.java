import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed-rate load for the relay benchmark: CONNECTIONS keep-alive HTTP/1.1 connections (plain sockets, so the
 * client stays cheap on a 2-core machine) share a schedule of RATE requests per second; request i is due at
 * start + i/RATE and its latency is measured from that due time, so a stall is not hidden by sending less
 * (coordinated omission). Run: java LoadClient.java URL BODY_FILE RATE SECONDS TOKEN [CONNECTIONS=32]
 */
public final class LoadClient {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        String token = args[4];
        int connections = args.length > 5 ? Integer.parseInt(args[5]) : 32;
        int total = rate * seconds;
        byte[] head = ("POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + token
                + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);

        long[] latencies = new long[total];
        AtomicLong ok = new AtomicLong();
        AtomicLong other = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        Thread[] workers = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            int first = c;
            workers[c] = new Thread(() -> {
                Socket socket = null;
                InputStream in = null;
                for (int i = first; i < total; i += connections) {
                    long due = start + i * interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    try {
                        if (socket == null) {
                            socket = new Socket(url.getHost(), url.getPort());
                            socket.setTcpNoDelay(true);
                            in = new java.io.BufferedInputStream(socket.getInputStream());
                        }
                        OutputStream out = socket.getOutputStream();
                        out.write(request);
                        out.flush();
                        int status = readResponse(in);
                        (status == 200 ? ok : other).incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                        try {
                            if (socket != null) {
                                socket.close();
                            }
                        } catch (IOException ignored) {
                            // reconnect on the next request
                        }
                        socket = null;
                    }
                    latencies[i] = System.nanoTime() - due;
                }
            });
            workers[c].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        System.out.printf("sent %d webhooks at %d/s over %d connections in %.1f s (%.0f/s): %d answered 200,"
                + " %d other status, %d failed%n", total, rate, connections, elapsed, total / elapsed, ok.get(),
                other.get(), failed.get());
        System.out.printf("latency ms (from due time): p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f%n",
                pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), pct(latencies, 99.9),
                latencies[total - 1] / 1e6);
        System.exit(failed.get() == 0 && other.get() == 0 ? 0 : 1);
    }

    /** Reads one response (status line, headers, Content-Length body) and returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new IOException("connection closed");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        int length = 0;
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(line.substring(colon + 1).strip());
            }
        }
        if (in.readNBytes(length).length != length) {
            throw new IOException("short body");
        }
        return status;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    private static double pct(long[] sorted, double percent) {
        int index = (int) Math.ceil(percent / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }
}
