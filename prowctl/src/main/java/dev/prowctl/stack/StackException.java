package dev.prowctl.stack;

/** The stack could not do what was asked; the message says what and, where it can, what to do about it. */
public final class StackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why: the command line maps each reason to its exit code. */
    public enum Reason {
        /** A setting is invalid or unsafe (a project name, the default password on a public address). */
        INVALID_SETTING,
        /** docker, compose, the compose file or a file next to it is missing or unreadable. */
        MISSING_TOOL,
        /** The Docker daemon cannot be reached, or the services did not become healthy in time. */
        UNREACHABLE,
        /** compose failed, or a service stopped. */
        FAILED,
        /** docker printed something that is not what it prints. */
        BAD_OUTPUT,
        /** The wait was interrupted. */
        INTERRUPTED
    }

    private final Reason reason;

    public StackException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StackException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
