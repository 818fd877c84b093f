package dev.prowctl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs prowctl in-process and keeps what it wrote to stdout and stderr, separately. */
public record CliRun(ExitCodes exitCode, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Prowctl.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(ExitCodes.of(code), out.toString(), err.toString());
    }

    /** For assertion messages: both streams, so a wrong exit code explains itself. */
    @Override
    public String toString() {
        return "exit " + exitCode.code() + " (" + exitCode + ")\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
    }
}
