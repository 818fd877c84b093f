package dev.prowctl.scraper.influx;

import dev.prowctl.http.Redaction;
import okhttp3.HttpUrl;

/** Where and how to write: InfluxDB 1.x ({@code /write}) or 2.x/3.x ({@code /api/v2/write}). */
public sealed interface InfluxTarget {

    HttpUrl url();

    /** The URL as it may be shown in a message. */
    default String shownUrl() {
        return Redaction.url(url().toString());
    }

    /** InfluxDB 1.x: database, optional retention policy, optional user and password (sent as basic auth). */
    record V1(HttpUrl url, String database, String retentionPolicy, String user, String password)
            implements InfluxTarget {
        @Override
        public String toString() {
            return "InfluxDB " + shownUrl() + " database " + database
                    + (retentionPolicy == null ? "" : " rp " + retentionPolicy);
        }
    }

    /** InfluxDB 2.x/3.x: organisation, bucket and API token. */
    record V2(HttpUrl url, String org, String bucket, String token) implements InfluxTarget {
        @Override
        public String toString() {
            return "InfluxDB " + shownUrl() + " org " + org + " bucket " + bucket;
        }
    }
}
