package dev.prowctl.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.IHelpFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Help whose option descriptions never break a URL across lines, so that it can be copied. picocli wraps with
 * the JDK's line {@link java.text.BreakIterator}, which breaks after the {@code :} of {@code https://} and after
 * {@code .}, {@code /} and {@code ?}; here the characters of a URL stand in, while the table is laid out, for
 * letters it never breaks at (as picocli itself does for {@code -}), and are put back when it is printed. A URL
 * longer than the description column still breaks at the column's end: the help is
 * {@link Prowctl#HELP_WIDTH} wide so that the defaults fit.
 */
final class UnbrokenUrlsHelp implements IHelpFactory {

    private static final Pattern URL = Pattern.compile("[a-z][a-z0-9+.-]*://\\S+");

    /** URL characters the line break iterator may break at, and the letters that stand in for them. */
    private static final String BREAKING = ":/.?&=#%[],;()";
    private static final String STAND_INS = "\u0100\u0101\u0102\u0103\u0104\u0105\u0106\u0107\u0108\u0109\u010a"
            + "\u010b\u010c\u010d";

    @Override
    public Help create(CommandSpec commandSpec, ColorScheme colorScheme) {
        return new Help(commandSpec, colorScheme) {
            @Override
            public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals,
                                              ColorScheme scheme) {
                int longOptions = calcLongOptionColumnWidth(options, positionals, scheme);
                TextTable columns = TextTable.forDefaultColumns(scheme, longOptions,
                        commandSpec.usageMessage().width());
                return new Layout(scheme, new Table(scheme, columns.columns()), createDefaultOptionRenderer(),
                        createDefaultParameterRenderer());
            }
        };
    }

    /** {@code text} with the breakable characters of its URLs replaced by their stand-ins. */
    static String protect(String text) {
        Matcher m = URL.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(swap(m.group(), BREAKING, STAND_INS)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code text} with every stand-in back to the character it stands for. */
    static String restore(String text) {
        return swap(text, STAND_INS, BREAKING);
    }

    private static String swap(String text, String from, String to) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            int at = from.indexOf(text.charAt(i));
            out.append(at >= 0 ? to.charAt(at) : text.charAt(i));
        }
        return out.toString();
    }

    /** The option table: protects URLs while a value is wrapped into its column, restores them when printed. */
    private static final class Table extends TextTable {
        private final ColorScheme scheme;

        Table(ColorScheme scheme, Help.Column[] columns) {
            super(scheme, columns);
            this.scheme = scheme;
        }

        @Override
        public Cell putValue(int row, int col, Text value) {
            String plain = value.plainString();
            String protectedText = protect(plain);
            return super.putValue(row, col, protectedText.equals(plain) ? value
                    : scheme.ansi().new Text(protectedText, scheme));
        }

        @Override
        public StringBuilder toString(StringBuilder text) {
            String table = super.toString(new StringBuilder()).toString();
            return text.append(restore(table));
        }
    }
}
