import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * A local chat-webhook sink for the relay benchmark: counts the messages (lines of "text") it receives in Slack
 * format. POST /hook takes them; GET /count answers the total. Run: java ChatSink.java PORT
 */
public final class ChatSink {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        AtomicLong messages = new AtomicLong();
        AtomicLong posts = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            // One relayed message per line; each starts with "[FIRING:" in the benchmark.
            int count = 0;
            for (int i = body.indexOf("[FIRING:"); i >= 0; i = body.indexOf("[FIRING:", i + 1)) {
                count++;
            }
            messages.addAndGet(count);
            posts.incrementAndGet();
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("ok".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/count", exchange -> {
            byte[] answer = (messages.get() + " " + posts.get() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }
}
