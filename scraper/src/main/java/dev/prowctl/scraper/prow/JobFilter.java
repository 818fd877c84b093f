package dev.prowctl.scraper.prow;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Deck's page filters ({@code cmd/deck/static/prow/prow.ts}), applied to one ProwJob. Every criterion is optional
 * ({@code null} = any); all given ones must hold.
 *
 * <p>{@code job}: deck matches exactly when the text equals a known job name, otherwise treats {@code *} as the
 * only wildcard in an anchored, case-sensitive pattern. Prow job names cannot contain {@code *}, so "equal to this
 * name, or matching the glob" selects exactly what deck selects without knowing every job name in advance.
 * {@code type}, {@code state}, {@code cluster}, {@code repo} ({@code org/repo} from refs, else extra_refs[0]),
 * {@code pull} (any {@code refs.pulls[].number}) and {@code author} (any {@code refs.pulls[].author}) are exact.
 */
public record JobFilter(String job, String type, String state, String repo, String pull, String author,
                        String cluster) {

    public static final JobFilter ANY = new JobFilter(null, null, null, null, null, null, null);

    /** This filter with every non-empty value of {@code overrides} replacing the corresponding one here. */
    public JobFilter overriddenBy(JobFilter overrides) {
        return new JobFilter(pick(overrides.job, job), pick(overrides.type, type), pick(overrides.state, state),
                pick(overrides.repo, repo), pick(overrides.pull, pull), pick(overrides.author, author),
                pick(overrides.cluster, cluster));
    }

    private static String pick(String preferred, String fallback) {
        return preferred == null || preferred.isEmpty() ? fallback : preferred;
    }

    /** The criteria given, as {@code job=*oadp* type=periodic}, or {@code (none)}. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        append(text, "job", job);
        append(text, "type", type);
        append(text, "state", state);
        append(text, "repo", repo);
        append(text, "pull", pull);
        append(text, "author", author);
        append(text, "cluster", cluster);
        return text.isEmpty() ? "(none)" : text.toString().trim();
    }

    private static void append(StringBuilder text, String name, String value) {
        if (value != null && !value.isEmpty()) {
            text.append(' ').append(name).append('=').append(value);
        }
    }

    /** Compiles the job glob once; use the returned predicate for every item. */
    public Matcher matcher() {
        return new Matcher(this, job == null || job.isEmpty() ? null : globToRegex(job));
    }

    /** Deck's glob: split on {@code *}, quote each part, join with {@code .*}, anchor. */
    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder("^");
        String[] parts = glob.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            if (!parts[i].isEmpty()) {
                regex.append(Pattern.quote(parts[i]));
            }
        }
        return Pattern.compile(regex.append('$').toString(), Pattern.DOTALL);
    }

    /** A compiled filter. */
    public static final class Matcher {
        private final JobFilter filter;
        private final Pattern jobPattern;

        private Matcher(JobFilter filter, Pattern jobPattern) {
            this.filter = filter;
            this.jobPattern = jobPattern;
        }

        public boolean matches(ProwJob pj) {
            JobFilter f = filter;
            if (jobPattern != null && !f.job.equals(pj.job())
                    && (pj.job() == null || !jobPattern.matcher(pj.job()).matches())) {
                return false;
            }
            if (!exact(f.type, pj.type()) || !exact(f.state, pj.state()) || !exact(f.cluster, pj.cluster())) {
                return false;
            }
            if (blank(f.repo) && blank(f.pull) && blank(f.author)) {
                return true;
            }
            ProwJob.Refs main = pj.mainRefs();
            if (!blank(f.repo) && (main == null || !f.repo.equals(main.org() + "/" + main.repo()))) {
                return false;
            }
            if (!blank(f.pull) || !blank(f.author)) {
                if (pj.refs() == null) {
                    return false;
                }
                boolean pullOk = blank(f.pull) || pj.refs().pulls().stream()
                        .anyMatch(p -> p.number() != null && f.pull.equals(String.valueOf(p.number())));
                boolean authorOk = blank(f.author) || pj.refs().pulls().stream()
                        .anyMatch(p -> f.author.equals(p.author()));
                return pullOk && authorOk;
            }
            return true;
        }

        private static boolean exact(String wanted, String actual) {
            return blank(wanted) || Objects.equals(wanted, actual);
        }

        private static boolean blank(String s) {
            return s == null || s.isEmpty();
        }
    }
}
