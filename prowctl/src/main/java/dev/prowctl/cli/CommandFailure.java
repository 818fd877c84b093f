package dev.prowctl.cli;

/**
 * A failure a command has already understood: it carries the one-line message shown to the user and the exit
 * code. Commands throw it for what only the command line can explain (a wrong option value); library exceptions
 * go to {@link FailureMap} as they are. {@link ErrorHandler} prints it without a stack trace (unless
 * {@code --verbose}).
 */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ExitCodes exitCode;

    public CommandFailure(ExitCodes exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CommandFailure(ExitCodes exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCodes exitCode() {
        return exitCode;
    }
}
