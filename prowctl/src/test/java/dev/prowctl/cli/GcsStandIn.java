package dev.prowctl.cli;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * A small GCS JSON API for the backfill command's tests: one bucket of periodic runs stored as Prow stores them
 * ({@code logs/<job>/<build>/prowjob.json}), listed with prefix, delimiter, startOffset, endOffset and page tokens,
 * read with {@code alt=media}; and a deck's {@code /prowjobs.js}. Counts GCS requests. (The full stand-in with gcsweb and faults is the scraper's
 * {@code FakeArtifactsServer}; the library's behaviour is tested there.)
 */
final class GcsStandIn implements AutoCloseable {

    static final String BUCKET = "test-platform-results";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SNOWFLAKE_EPOCH = 1_288_834_974_657L;

    private final MockWebServer server = new MockWebServer();
    private final NavigableMap<String, String> objects = new ConcurrentSkipListMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private int sequence;
    /** What {@code /prowjobs.js} serves: deck's payload. */
    volatile String prowjobs = "{\"items\":[]}";

    GcsStandIn() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.incrementAndGet();
                return answer(request.getUrl());
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    String url() {
        return server.url("/").toString();
    }

    int requests() {
        return requests.get();
    }

    /** Finished periodic runs of {@code job} every {@code every} in [from, to); every third one failed. */
    List<ObjectNode> periodicRuns(String job, Instant from, Instant to, Duration every) {
        List<ObjectNode> runs = new ArrayList<>();
        for (Instant start = from; start.isBefore(to); start = start.plus(every)) {
            String id = String.valueOf(((start.toEpochMilli() + 1000 - SNOWFLAKE_EPOCH) << 22) + sequence++ % 4096);
            String path = "logs/" + job + "/" + id;
            ObjectNode pj = JSON.createObjectNode();
            pj.putObject("metadata").put("name", "pj-" + id);
            ObjectNode spec = pj.putObject("spec").put("type", "periodic").put("job", job).put("cluster", "build01");
            spec.putArray("extra_refs").addObject().put("org", "openshift").put("repo", "oadp-operator")
                    .put("base_ref", "master");
            ObjectNode status = pj.putObject("status");
            status.put("state", runs.size() % 3 == 2 ? "failure" : "success").put("startTime", start.toString())
                    .put("completionTime", start.plusSeconds(2000).toString()).put("build_id", id)
                    .put("url", "https://prow.ci.openshift.org/view/gs/" + BUCKET + "/" + path);
            objects.put(path + "/prowjob.json", pj.toString());
            objects.put(path + "/finished.json", "{\"timestamp\":" + start.plusSeconds(2000).getEpochSecond() + "}");
            objects.put("logs/" + job + "/latest-build.txt", id);
            runs.add(pj);
        }
        return runs;
    }

    /** Replaces an object's content, or removes it ({@code null}). */
    void put(String object, String content) {
        if (content == null) {
            objects.remove(object);
        } else {
            objects.put(object, content);
        }
    }

    static String payload(List<ObjectNode> runs) {
        ObjectNode payload = JSON.createObjectNode();
        ArrayNode items = payload.putArray("items");
        runs.forEach(items::add);
        return payload.toString();
    }

    private MockResponse answer(HttpUrl url) {
        List<String> segments = url.pathSegments();
        if (url.encodedPath().equals("/prowjobs.js")) {
            requests.decrementAndGet(); // deck is not GCS
            return json(200, prowjobs);
        }
        if (segments.size() == 6 && "media".equals(url.queryParameter("alt"))) {
            String content = objects.get(segments.get(5));
            return content == null ? json(404, "{\"error\":{\"code\":404}}") : json(200, content);
        }
        if (segments.size() == 5 && segments.get(4).equals("o")) {
            return json(200, list(url));
        }
        return json(404, "{\"error\":{\"code\":404}}");
    }

    private String list(HttpUrl url) {
        String prefix = url.queryParameter("prefix");
        String start = url.queryParameter("startOffset");
        String end = url.queryParameter("endOffset");
        TreeSet<String> children = new TreeSet<>();
        for (String name : objects.tailMap(prefix, true).keySet()) {
            if (!name.startsWith(prefix)) {
                break;
            }
            int slash = name.indexOf('/', prefix.length());
            children.add(slash < 0 ? name : name.substring(0, slash + 1));
        }
        List<String> inRange = children.stream().filter(c -> start == null || c.compareTo(start) >= 0)
                .filter(c -> end == null || c.compareTo(end) < 0).toList();
        int from = url.queryParameter("pageToken") == null ? 0 : Integer.parseInt(url.queryParameter("pageToken"));
        int to = Math.min(inRange.size(), from + 100);
        ObjectNode page = JSON.createObjectNode();
        ArrayNode prefixes = page.putArray("prefixes");
        ArrayNode items = page.putArray("items");
        for (String child : inRange.subList(from, to)) {
            if (child.endsWith("/")) {
                prefixes.add(child);
            } else {
                items.addObject().put("name", child);
            }
        }
        if (to < inRange.size()) {
            page.put("nextPageToken", String.valueOf(to));
        }
        return page.toString();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse(code, Headers.of("Content-Type", "application/json"), body);
    }

    @Override
    public void close() {
        server.close();
    }
}
