package dev.prowctl.grafana;

/**
 * A Grafana call that failed, already understood: {@link #problem()} says what kind of failure it is (the CLI maps
 * it to an exit code), {@link #status()} the HTTP status (0 when there was no answer), and the message is one line
 * that names the endpoint and what is needed. Messages never contain credentials.
 */
public final class GrafanaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, in the terms a user acts on. */
    public enum Problem {
        /** No answer: connection refused, DNS, timeout, or no Grafana at that URL. */
        UNREACHABLE,
        /** 401 or 403: wrong credential or missing permission. */
        AUTH,
        /** The endpoint does not exist in this Grafana version. */
        UNSUPPORTED,
        /** 404 on a resource (not on an endpoint). */
        NOT_FOUND,
        /** 409 or 412: the resource exists, or changed meanwhile. */
        CONFLICT,
        /** 400 or 422: Grafana rejected what was sent; or a malformed answer or file. */
        BAD_INPUT,
        /** 5xx or another unexpected answer. */
        SERVER_ERROR
    }

    private final Problem problem;
    private final int status;

    public GrafanaException(Problem problem, int status, String message) {
        super(message);
        this.problem = problem;
        this.status = status;
    }

    public GrafanaException(Problem problem, int status, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.status = status;
    }

    public Problem problem() {
        return problem;
    }

    public int status() {
        return status;
    }
}
