package dev.prowctl.grafana.fake;

import java.util.stream.Stream;

/** The {@code limit}/{@code page} query of /api/search and /api/folders, with Grafana's cap on the page size. */
final class Paging {

    private volatile int cap = 5000;

    void cap(int pageSize) {
        cap = pageSize;
    }

    /** The page the call asks for (limit defaults to 1000, page to 1). */
    <T> Stream<T> page(Stream<T> items, Call c) {
        int limit = Math.min(cap, c.query("limit").isEmpty() ? 1000 : Integer.parseInt(c.query("limit")));
        int page = c.query("page").isEmpty() ? 1 : Integer.parseInt(c.query("page"));
        return items.skip((long) (page - 1) * limit).limit(limit);
    }
}
