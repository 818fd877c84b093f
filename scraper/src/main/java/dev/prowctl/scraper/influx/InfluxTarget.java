package dev.prowctl.scraper.influx;

import okhttp3.HttpUrl;

/** Where and how to write: InfluxDB 1.x ({@code /write}) or 2.x/3.x ({@code /api/v2/write}). */
public sealed interface InfluxTarget {

    HttpUrl url();

    /** InfluxDB 1.x: database, optional retention policy, optional user and password (sent as basic auth). */
    record V1(HttpUrl url, String database, String retentionPolicy, String user, String password)
            implements InfluxTarget {
        @Override
        public String toString() {
            return "InfluxDB " + url + " database " + database
                    + (retentionPolicy == null ? "" : " rp " + retentionPolicy);
        }
    }

    /** InfluxDB 2.x/3.x: organisation, bucket and API token. */
    record V2(HttpUrl url, String org, String bucket, String token) implements InfluxTarget {
        @Override
        public String toString() {
            return "InfluxDB " + url + " org " + org + " bucket " + bucket;
        }
    }
}
