package dev.prowctl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.ITypeConverter;

/**
 * A secret option value, given one of three ways everywhere: the value itself, {@code @FILE} for the content of FILE
 * (surrounding white space stripped; arguments show in {@code ps}, files do not), or an environment variable named
 * in the option's default. Never shown: {@link #toString} hides it, and help shows no default for it.
 */
public final class Secret {

    private final String given;

    private Secret(String given) {
        this.given = given;
    }

    /** The picocli converter: keeps what was given; a file is read only when the secret is used. */
    public static final class Converter implements ITypeConverter<Secret> {
        @Override
        public Secret convert(String value) {
            return new Secret(value);
        }
    }

    /** The secret of {@code option} ({@code null} or blank when not given: then null). */
    public static String reveal(Secret secret, String option) {
        return secret == null ? null : secret.reveal(option);
    }

    /**
     * The secret text, read from the file when given as {@code @FILE}; null when blank.
     *
     * @throws CommandFailure exit 5 when the file cannot be read or is empty
     */
    public String reveal(String option) {
        if (given == null || given.isBlank()) {
            return null;
        }
        if (!given.startsWith("@")) {
            return given;
        }
        return read(Path.of(given.substring(1)), option);
    }

    /** The stripped content of a secret file (also for the deprecated {@code --token-file}). */
    public static String read(Path file, String option) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.BAD_INPUT, option + ": cannot read " + file + ": " + e.getMessage());
        }
        if (content.isEmpty()) {
            throw new CommandFailure(ExitCodes.BAD_INPUT, option + ": file " + file + " is empty");
        }
        return content;
    }

    @Override
    public String toString() {
        return "(secret)";
    }
}
