package dev.prowctl.cli;

/**
 * A failure a command has already understood: it carries the one-line message shown to the user and the exit
 * code. Commands translate library exceptions into this; {@link ErrorHandler} prints it without a stack trace
 * (unless {@code --verbose}).
 */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CommandFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
