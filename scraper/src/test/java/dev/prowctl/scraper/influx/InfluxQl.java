package dev.prowctl.scraper.influx;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Runs InfluxQL against any InfluxDB 1.x ({@code /query}) and returns the parsed series of the first statement. */
final class InfluxQl {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String url;
    private final String database;
    private final String authorization;

    InfluxQl(String url, String database, String authorization) {
        this.url = url;
        this.database = database;
        this.authorization = authorization;
    }

    /** The series of the answer (empty when no rows), failing on an error answer. */
    List<JsonNode> series(String influxql) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/query?epoch=ns&db="
                        + URLEncoder.encode(database, StandardCharsets.UTF_8) + "&q="
                        + URLEncoder.encode(influxql, StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = MAPPER.readTree(response.body());
        JsonNode result = json.path("results").path(0);
        if (response.statusCode() != 200 || json.has("error") || result.has("error")) {
            throw new IOException("query failed: " + influxql + " -> " + response.body());
        }
        List<JsonNode> series = new ArrayList<>();
        result.path("series").forEach(series::add);
        return series;
    }

    /** The single value of a one-row, one-value query such as {@code SELECT count(...)}; 0 when no rows. */
    long count(String influxql) throws IOException, InterruptedException {
        List<JsonNode> series = series(influxql);
        if (series.isEmpty()) {
            return 0;
        }
        return series.get(0).path("values").path(0).path(1).asLong();
    }
}
