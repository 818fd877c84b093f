package dev.prowctl.cli;

/**
 * Every exit code prowctl returns, named once. The same list is printed at the end of every command's
 * {@code --help} (see {@link Prowctl#EXIT_CODE_HELP}), so scripts and Telegraf can tell failures apart.
 */
public final class ExitCodes {
    /** Everything asked for was done. */
    public static final int OK = 0;
    /** Done in part: some items failed (per-item errors were reported, then a summary). */
    public static final int PARTIAL = 1;
    /** The command line was wrong (unknown option, bad value, missing argument). */
    public static final int USAGE = 2;
    /** A server could not be reached: connection refused, DNS failure, timeout. */
    public static final int UNREACHABLE = 3;
    /** A server answered with an error (4xx/5xx) that retries did not cure. */
    public static final int SERVER_ERROR = 4;
    /** Input was malformed: a payload, page or file that is not what it should be. */
    public static final int BAD_INPUT = 5;
    /** Credentials were missing, wrong (401) or lacked a permission (403). */
    public static final int AUTH = 6;
    /** The server lacks what was asked for in this version (404 on an endpoint, unsupported version). */
    public static final int UNSUPPORTED = 7;
    /** A required local tool or file is missing or could not be written (docker, compose, output dir). */
    public static final int ENVIRONMENT = 8;
    /** A bug in prowctl: please report it with the output of --verbose. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }
}
