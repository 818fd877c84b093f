package dev.prowctl.stack;

import static dev.prowctl.stack.StackException.Reason.INTERRUPTED;
import static dev.prowctl.stack.StackException.Reason.MISSING_TOOL;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;


/** Runs docker / compose as child processes with the {@link HostEnvironment}'s variables (and nothing else). */
public final class ProcessRunner {

    /** What a finished child process printed. {@code err} is also what a streamed run wrote to stderr. */
    public record Result(int exitCode, String out, String err) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final HostEnvironment host;

    public ProcessRunner(HostEnvironment host) {
        this.host = host;
    }

    /** Runs {@code command} and keeps its stdout and stderr (for short commands: version, ps -q, inspect). */
    public Result capture(List<String> command) {
        Process process = start(command);
        StreamCopy err = StreamCopy.start(process.getErrorStream(), null, false);
        String out = readAll(process.getInputStream(), command);
        return new Result(waitFor(process, command), out, err.finish());
    }

    /**
     * Runs {@code command}, copying its stdout to {@code out} and its stderr to {@code err} as they come (compose
     * prints progress); the returned result keeps the stderr text so callers can explain a failure. What goes to
     * {@code err} is a message: line by line, URL credentials and escape sequences are taken out. Data on
     * {@code out} (logs, ps) is copied as it is.
     */
    public Result stream(List<String> command, PrintWriter out, PrintWriter err) {
        Process process = start(command);
        StreamCopy errCopy = StreamCopy.start(process.getErrorStream(), err, true);
        StreamCopy outCopy = StreamCopy.start(process.getInputStream(), out, out == err);
        outCopy.finish();
        String errText = errCopy.finish();
        return new Result(waitFor(process, command), "", errText);
    }

    private Process start(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(host.workingDir().toFile());
        builder.environment().clear();
        builder.environment().putAll(host.variables());
        try {
            Process process = builder.start();
            // nothing is typed into docker: an empty stdin keeps a prompt from waiting forever
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new StackException(MISSING_TOOL, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    private static int waitFor(Process process, List<String> command) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new StackException(INTERRUPTED, "interrupted while running " + String.join(" ", command), e);
        }
    }

    private static String readAll(InputStream in, List<String> command) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the output of " + command.get(0), e);
        }
    }

    /** Copies a child's stream to a writer (if any) on its own thread and keeps the text. */
    private static final class StreamCopy extends Thread {
        private final Reader reader;
        private final PrintWriter target;
        private final boolean message;
        private final StringBuilder text = new StringBuilder();
        private final StringBuilder line = new StringBuilder();

        private StreamCopy(InputStream in, PrintWriter target, boolean message) {
            super("prowctl-stack-output");
            setDaemon(true);
            this.reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            this.target = target;
            this.message = message;
        }

        static StreamCopy start(InputStream in, PrintWriter target, boolean message) {
            StreamCopy copy = new StreamCopy(in, target, message);
            copy.start();
            return copy;
        }

        @Override
        public void run() {
            char[] buffer = new char[8192];
            try (reader) {
                int n;
                while ((n = reader.read(buffer)) != -1) {
                    synchronized (text) {
                        text.append(buffer, 0, n);
                    }
                    if (target != null) {
                        copy(buffer, n);
                    }
                }
            } catch (IOException closed) {
                // the child went away; what it wrote so far is kept
            }
            if (target != null && line.length() > 0) {
                write(line.toString());
            }
        }

        private void copy(char[] buffer, int n) {
            if (!message) {
                synchronized (target) {
                    target.write(buffer, 0, n);
                    target.flush();
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                line.append(buffer[i]);
                if (buffer[i] == '\n') {
                    write(line.toString());
                    line.setLength(0);
                }
            }
        }

        /** One line of a message: URL credentials and terminal controls out, the line break kept. */
        private void write(String text) {
            boolean newline = text.endsWith("\n");
            String clean = TerminalText.oneLine(Redaction.text(newline ? text.substring(0, text.length() - 1) : text));
            synchronized (target) {
                target.write(newline ? clean + "\n" : clean);
                target.flush();
            }
        }

        String finish() {
            try {
                join(0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (text) {
                return text.toString();
            }
        }
    }
}
