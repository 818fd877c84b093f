package dev.prowctl.scraper.flake;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * A local stand-in for a deck, the GCS JSON API and gcsweb, all on one 127.0.0.1 port, serving the objects a test
 * puts in its buckets:
 * <ul>
 * <li>{@code /storage/v1/b/<bucket>/o?prefix=&delimiter=/&pageToken=} lists like GCS (pages of {@link #apiPageSize});
 * {@code /storage/v1/b/<bucket>/o/<object>?alt=media} reads an object; a listing item carries the object's custom
 * {@code metadata} and honours {@code fields=items(...)} as GCS does;</li>
 * <li>{@code /gcs/<bucket>/<dir>/} renders gcsweb's HTML listing (pages of {@link #gcswebPageSize} with a
 * {@code a.next-button ?marker=}), {@code /gcs/<bucket>/<file>} serves the file;</li>
 * <li>{@code /view/gs/<bucket>/<path>} serves a spyglass page set with {@link #spyglassPage};
 * {@code /prowjobs.js} serves {@link #prowjobs}; any other target set with {@link #page}.</li>
 * </ul>
 * The API honours {@code startOffset} and {@code endOffset} (lexicographic bounds on names).
 * Faults: buckets the API refuses ({@link #refuseApi}, gcsweb too with {@link #refuseGcsweb}), a number of 503s or
 * slow answers for paths containing a string, and a latency added to every answer. Every request is counted.
 */
public final class FakeArtifactsServer implements Closeable {

    private final MockWebServer server = new MockWebServer();
    private final Map<String, NavigableMap<String, String>> buckets = new ConcurrentHashMap<>();
    /** Objects' custom metadata, by bucket and object name (as {@code x-goog-meta-*} headers or the API set it). */
    private final Map<String, Map<String, Map<String, String>>> metadata = new ConcurrentHashMap<>();
    private final Map<String, String> spyglassPages = new ConcurrentHashMap<>();
    private final Map<String, MockResponse> pages = new ConcurrentHashMap<>();
    private final Set<String> apiRefused = ConcurrentHashMap.newKeySet();
    private final Set<String> gcswebRefused = ConcurrentHashMap.newKeySet();
    private final List<InjectedFault> faults = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requestCount = new AtomicInteger();
    public volatile int apiPageSize = 1000;
    public volatile int gcswebPageSize = 1000;
    public volatile long latencyMillis;
    /** Runs as each request arrives (a test moves its fake clock on: every request "takes" some time). */
    public volatile Runnable onRequest = () -> { };
    /** Runs with each request's target (path and query) before it is answered; may hold that answer back. */
    public volatile java.util.function.Consumer<String> beforeAnswer = target -> { };
    /** Released at {@link #close}: a delayed answer stops waiting then, so closing never waits for one. */
    private final CountDownLatch closing = new CountDownLatch(1);
    public volatile String prowjobs = "{\"items\":[]}";

    public FakeArtifactsServer() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.setServerSocketFactory(new NoDelayServerSockets());
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpUrl apiUrl() {
        return server.url("/");
    }

    public HttpUrl gcswebPrefix() {
        return server.url("/gcs/");
    }

    public HttpUrl url(String path) {
        return server.url(path);
    }

    /** The spyglass URL of a run, as {@code status.url} holds it. */
    public String spyglassUrl(String bucket, String path) {
        return server.url("/view/gs/" + bucket + "/" + path).toString();
    }

    public void put(String bucket, String object, String content) {
        put(bucket, object, content, Map.of());
    }

    /**
     * Stores an object with custom metadata, which the API's listing returns in each item's {@code metadata} (when
     * {@code fields} asks for it, as GCS does); gcsweb shows none.
     */
    public void put(String bucket, String object, String content, Map<String, String> custom) {
        Map<String, Map<String, String>> inBucket = metadata.computeIfAbsent(bucket, b -> new ConcurrentHashMap<>());
        if (custom.isEmpty()) {
            inBucket.remove(object);
        } else {
            inBucket.put(object, Map.copyOf(custom));
        }
        buckets.computeIfAbsent(bucket, b -> new ConcurrentSkipListMap<>()).put(object, content);
    }

    /** Deletes an object (a run without {@code finished.json}, a lost {@code prowjob.json}). */
    public void remove(String bucket, String object) {
        buckets.getOrDefault(bucket, new ConcurrentSkipListMap<>()).remove(object);
        metadata.getOrDefault(bucket, Map.of()).remove(object);
    }

    public void spyglassPage(String bucket, String path, String html) {
        spyglassPages.put("/view/gs/" + bucket + "/" + path, html);
    }

    /** Any other page, by its exact request target (path and query), e.g. deck's {@code /prowjob?prowjob=}. */
    public void page(String target, String contentType, String body) {
        pages.put(target, new MockResponse(200, Headers.of("Content-Type", contentType), body));
    }

    public void refuseApi(String bucket) {
        apiRefused.add(bucket);
    }

    public void refuseGcsweb(String bucket) {
        gcswebRefused.add(bucket);
    }

    /** The buckets become readable again on both paths (access was granted, a proxy was fixed). */
    public void allowAll() {
        apiRefused.clear();
        gcswebRefused.clear();
    }

    public void failNext(String pathPart, int times, int code) {
        faults.add(new InjectedFault(pathPart, times, code, 0));
    }

    public void slowNext(String pathPart, int times, long delayMillis) {
        faults.add(new InjectedFault(pathPart, times, 0, delayMillis));
    }

    public int requestCount() {
        return requestCount.get();
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    public void resetCounts() {
        requestCount.set(0);
        requests.clear();
    }

    private MockResponse answer(RecordedRequest request) {
        requestCount.incrementAndGet();
        requests.add(request.getTarget());
        onRequest.run();
        beforeAnswer.accept(request.getTarget());
        MockResponse response = route(request);
        long delay = latencyMillis;
        synchronized (faults) {
            for (InjectedFault fault : faults) {
                if (request.getTarget().contains(fault.pathPart()) && fault.take()) {
                    if (fault.code() != 0) {
                        response = text(fault.code(), "injected fault");
                    }
                    delay += fault.delayMillis();
                    break;
                }
            }
        }
        if (delay > 0) {
            // waiting here (not MockResponse.headersDelay, which writes headers and body apart and adds a
            // delayed-ACK stall of ~40 ms on loopback) keeps the added latency at what was asked for
            try {
                closing.await(delay, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return response;
    }

    private MockResponse route(RecordedRequest request) {
        HttpUrl url = request.getUrl();
        List<String> segments = url.pathSegments();
        String path = url.encodedPath();
        MockResponse page = pages.get(request.getTarget());
        if (page != null) {
            return page;
        }
        if (path.equals("/prowjobs.js")) {
            return new MockResponse(200, Headers.of("Content-Type", "application/json"), prowjobs);
        }
        if (path.startsWith("/view/gs/")) {
            String spyglass = spyglassPages.get(String.join("/", segments).replaceFirst("^", "/"));
            return spyglass == null ? text(404, "no such run") : html(spyglass);
        }
        if (segments.size() >= 4 && segments.get(0).equals("storage") && segments.get(2).equals("b")) {
            String bucket = segments.get(3);
            if (apiRefused.contains(bucket)) {
                return json(403, "{\"error\":{\"code\":403,\"message\":\"Anonymous caller does not have "
                        + "storage.objects.list access to the Google Cloud Storage bucket.\"}}");
            }
            NavigableMap<String, String> objects = buckets.get(bucket);
            if (objects == null) {
                return json(404, "{\"error\":{\"code\":404,\"message\":\"The specified bucket does not exist.\"}}");
            }
            if (segments.size() == 5) {
                return json(200, FakeListings.api(objects, metadata.getOrDefault(bucket, Map.of()), url,
                        apiPageSize));
            }
            if (segments.size() == 6 && "media".equals(url.queryParameter("alt"))) {
                String content = objects.get(segments.get(5));
                return content == null ? json(404, "{\"error\":{\"code\":404,\"message\":\"No such object\"}}")
                        : new MockResponse(200, Headers.of("Content-Type", "application/octet-stream"), content);
            }
        }
        if (segments.size() >= 2 && segments.get(0).equals("gcs")) {
            String bucket = segments.get(1);
            if (gcswebRefused.contains(bucket)) {
                return text(403, "Forbidden");
            }
            NavigableMap<String, String> objects = buckets.getOrDefault(bucket, new ConcurrentSkipListMap<>());
            String rest = String.join("/", segments.subList(2, segments.size()));
            if (rest.isEmpty() || rest.endsWith("/")) {
                return html(FakeListings.gcsweb(bucket, objects, rest, url, gcswebPageSize));
            }
            String content = objects.get(rest);
            return content == null ? text(404, "Not Found") : text(200, content);
        }
        return text(404, "no route for " + path);
    }

    private static MockResponse text(int code, String body) {
        return new MockResponse(code, Headers.of("Content-Type", "text/plain"), body);
    }

    private static MockResponse html(String body) {
        return new MockResponse(200, Headers.of("Content-Type", "text/html; charset=utf-8"), body);
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse(code, Headers.of("Content-Type", "application/json"), body);
    }

    @Override
    public void close() {
        closing.countDown();
        server.close();
    }
}
