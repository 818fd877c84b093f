package dev.prowctl.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A parsed server line: {@code [@tags] [:prefix] COMMAND params [:trailing]} (tags are ignored). */
record IrcMessage(String prefix, String command, List<String> params, String trailing) {

    static IrcMessage parse(String line) {
        String rest = line;
        String prefix = "";
        if (rest.startsWith("@")) {
            int space = rest.indexOf(' ');
            rest = space < 0 ? "" : rest.substring(space + 1);
        }
        if (rest.startsWith(":")) {
            int space = rest.indexOf(' ');
            prefix = space < 0 ? rest.substring(1) : rest.substring(1, space);
            rest = space < 0 ? "" : rest.substring(space + 1);
        }
        String trailing = "";
        int colon = rest.indexOf(" :");
        if (colon >= 0) {
            trailing = rest.substring(colon + 2);
            rest = rest.substring(0, colon);
        } else if (rest.startsWith(":")) {
            trailing = rest.substring(1);
            rest = "";
        }
        List<String> parts = new ArrayList<>(List.of(rest.strip().split(" +")));
        String command = parts.isEmpty() ? "" : parts.remove(0).toUpperCase(Locale.ROOT);
        if (colon < 0 && !parts.isEmpty() && trailing.isEmpty()) {
            trailing = parts.get(parts.size() - 1);
        }
        return new IrcMessage(prefix, command, parts, trailing);
    }

    String param(int index) {
        return index < params.size() ? params.get(index) : "";
    }

    /** The sender's nick: the prefix up to {@code !}. */
    String nick() {
        int bang = prefix.indexOf('!');
        return bang < 0 ? prefix : prefix.substring(0, bang);
    }
}
