package dev.prowctl.cli;

import java.io.PrintWriter;

import picocli.CommandLine;

/** The CLI as {@link Prowctl#run} builds it, for tests that must hand a command object its dependencies first. */
public final class TestCommandLine {

    private TestCommandLine() {
    }

    public static CommandLine create(PrintWriter out, PrintWriter err) {
        return Prowctl.newCommandLine(new Prowctl(), out, err);
    }
}
