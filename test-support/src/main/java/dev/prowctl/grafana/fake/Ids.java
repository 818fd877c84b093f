package dev.prowctl.grafana.fake;

/** One id sequence for every resource of a fake, as Grafana's numeric ids are unique per instance here. */
final class Ids {

    private long next = 1;

    /** Takes the next id. */
    long next() {
        return next++;
    }

    /** The id {@link #next()} will take, for generated uids such as "f7". */
    long peek() {
        return next;
    }
}
