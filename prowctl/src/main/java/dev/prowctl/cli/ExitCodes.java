package dev.prowctl.cli;

/**
 * Every exit code prowctl returns, named once with its number and help text. The same list is printed at the end of
 * {@code prowctl --help} (see {@link Prowctl#EXIT_CODE_HELP}; the other commands' help points to it), so scripts and
 * Telegraf can tell failures apart.
 */
public enum ExitCodes {
    /** Everything asked for was done. */
    OK(0, "done"),
    /** Done in part: some items failed (per-item errors were reported, then a summary). */
    PARTIAL(1, "done in part: some items failed (see the summary on stderr)"),
    /** The command line was wrong (unknown option, bad value, missing argument). */
    USAGE(2, "wrong command line"),
    /** A server could not be reached: connection refused, DNS failure, timeout. */
    UNREACHABLE(3, "a server could not be reached or timed out"),
    /** A server answered with an error (4xx/5xx) that retries did not cure. */
    SERVER_ERROR(4, "a server answered with an error"),
    /** Input was malformed: a payload, page or file that is not what it should be. */
    BAD_INPUT(5, "malformed input (payload, page or file)"),
    /** Credentials were missing, wrong (401) or lacked a permission (403). */
    AUTH(6, "missing or wrong credentials, or a missing permission"),
    /** The server lacks what was asked for in this version (404 on an endpoint, unsupported version). */
    UNSUPPORTED(7, "not available in this server version"),
    /** A required local tool or file is missing or could not be written (docker, compose, output dir). */
    ENVIRONMENT(8, "a local tool or file is missing or not writable"),
    /** A bug in prowctl: please report it with the output of --verbose. */
    INTERNAL(70, "internal error (a bug; rerun with --verbose)");

    private final int code;
    private final String help;

    ExitCodes(int code, String help) {
        this.code = code;
        this.help = help;
    }

    /** The number the process exits with. */
    public int code() {
        return code;
    }

    /** One line for the exit-code list of --help. */
    public String help() {
        return help;
    }

    /** The constant for an exit code; {@link #INTERNAL} for a number prowctl never returns. */
    public static ExitCodes of(int code) {
        for (ExitCodes exitCode : values()) {
            if (exitCode.code == code) {
                return exitCode;
            }
        }
        return INTERNAL;
    }
}
