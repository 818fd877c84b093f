package dev.prowctl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The relay's secret options: a value as given, or {@code @FILE} to keep it off the command line. */
final class RelaySecrets {

    private RelaySecrets() {
    }

    /** A secret as given, or read from the file named after {@code @}; null when absent. Never echoed. */
    static String read(String value, String option) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!value.startsWith("@")) {
            return value;
        }
        Path file = Path.of(value.substring(1));
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (content.isEmpty()) {
                throw new CommandFailure(ExitCodes.BAD_INPUT, option + ": file " + file + " is empty");
            }
            return content;
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.BAD_INPUT, option + ": cannot read " + file + ": " + e.getMessage());
        }
    }
}
