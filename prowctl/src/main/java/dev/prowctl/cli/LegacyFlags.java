package dev.prowctl.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps existing Telegraf configs working: the original Go scraper was invoked as
 * {@code prow -url_to_scrape URL -print_for_human}. A command line that starts with one of its flags is run as
 * {@code prowctl scrape ...} with the flags renamed; in a {@code prowctl scrape} command line they are renamed too.
 */
final class LegacyFlags {

    private LegacyFlags() {
    }

    static String[] translate(String[] args) {
        int first = 0; // root options (prowctl --verbose -url_to_scrape URL) come before the command
        while (first < args.length && args[first].equals("--verbose")) {
            first++;
        }
        if (first == args.length) {
            return args;
        }
        List<String> translated = new ArrayList<>(args.length + 1);
        translated.addAll(List.of(args).subList(0, first));
        if (isLegacyFlag(args[first])) {
            translated.add("scrape");
        } else if (!args[first].equals("scrape")) {
            return args;
        }
        for (String arg : List.of(args).subList(first, args.length)) {
            translated.add(rename(arg));
        }
        return translated.toArray(String[]::new);
    }

    private static boolean isLegacyFlag(String arg) {
        String name = arg.replaceFirst("^--?", "");
        return name.startsWith("url_to_scrape") || name.equals("print_for_human");
    }

    private static String rename(String arg) {
        String name = arg.replaceFirst("^--?", "");
        if (name.equals("url_to_scrape")) {
            return "--url";
        }
        if (name.startsWith("url_to_scrape=")) {
            return "--url=" + name.substring("url_to_scrape=".length());
        }
        if (name.equals("print_for_human")) {
            return "--output=human";
        }
        return arg;
    }
}
