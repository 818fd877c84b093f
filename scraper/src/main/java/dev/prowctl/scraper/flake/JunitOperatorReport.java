package dev.prowctl.scraper.flake;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * ci-operator's {@code artifacts/junit_operator.xml}: one {@code <testcase>} per ci-operator step, with a
 * {@code <failure>} child when the step failed. Multi-stage steps are named
 * {@code Run multi-stage test <test> - <test>-<step> container test}, the phases
 * {@code Run multi-stage test pre|test|post phase}; other steps (image builds, imports, lease acquisition) have
 * free-text names.
 *
 * <p>{@link #failedStep()} tells which step made the run fail and whether that step is infrastructure (the cluster
 * never came up, so the test never ran):
 * <ol>
 * <li>with phase testcases: a failed {@code pre} phase means infrastructure, a failed {@code test} phase means a
 * real failure; the step named is the first failed step that is not a post step ({@code gather}, {@code
 * deprovision}, {@code destroy}), else {@code pre-phase} / {@code test-phase};</li>
 * <li>otherwise (no phases, or only post steps failed) by step name: a failed step with one of the dash-separated
 * words {@link #INFRA_WORDS} ({@code ipi-install-install}, {@code ipi-conf-aws}, {@code ofcir-acquire}, {@code
 * baremetalds-devscripts-setup}, ...) is infrastructure, and so is a failure message about acquiring a lease (step
 * {@code lease-acquisition}); else the first failed test step (not post) is a real failure; else the first failed
 * testcase of any kind (a post step, an image build) is a real failure too;</li>
 * <li>no failed testcase at all: no verdict (the listing decides).</li>
 * </ol>
 */
public final class JunitOperatorReport {

    /** Words of a step name that mark an install/pre/setup or lease/cluster-acquisition step. */
    public static final Set<String> INFRA_WORDS =
            Set.of("install", "pre", "setup", "conf", "lease", "acquire", "provision", "claim");
    /** The step name reported when a failure message says a lease could not be acquired. */
    public static final String LEASE_STEP = "lease-acquisition";
    private static final Set<String> POST_WORDS = Set.of("gather", "deprovision", "destroy", "must");

    private static final Pattern CONTAINER_STEP =
            Pattern.compile("^Run multi-stage test (\\S+) - (\\S+) container test$");
    private static final Pattern PHASE = Pattern.compile("^Run multi-stage test (pre|test|post) phase$");
    private static final Pattern WHOLE_TEST = Pattern.compile("^Run multi-stage test (\\S+)$");

    /** One testcase; {@code step} is the short step name (or a slug of a free-text name). */
    public record TestCase(String name, String step, Kind kind, boolean failed, String failureText) {
    }

    /** A step's container, a phase, the whole multi-stage test, or anything else (builds, imports, leases). */
    public enum Kind { CONTAINER_STEP, PHASE, WHOLE_TEST, OTHER }

    /** The step that made the run fail, and whether it is infrastructure. */
    public record FailedStep(String name, boolean infrastructure) {
    }

    private final List<TestCase> testCases;

    private JunitOperatorReport(List<TestCase> testCases) {
        this.testCases = testCases;
    }

    public List<TestCase> testCases() {
        return testCases;
    }

    /**
     * Parses the XML ({@code <testsuite>} or {@code <testsuites>} root; DTDs and external entities refused).
     *
     * @throws IllegalArgumentException when it is not well-formed XML or has no testcases
     */
    public static JunitOperatorReport parse(String xml) {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            factory.setXIncludeAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            doc = builder.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("junit_operator.xml is not well-formed XML: " + e.getMessage(), e);
        }
        String root = doc.getDocumentElement().getTagName();
        if (!root.equals("testsuite") && !root.equals("testsuites")) {
            throw new IllegalArgumentException("junit_operator.xml has root <" + root + ">, not <testsuite(s)>");
        }
        NodeList nodes = doc.getElementsByTagName("testcase");
        List<TestCase> cases = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element testcase = (Element) nodes.item(i);
            String name = testcase.getAttribute("name").strip();
            Element failure = firstChild(testcase, "failure");
            if (failure == null) {
                failure = firstChild(testcase, "error");
            }
            String failureText = failure == null ? ""
                    : (failure.getAttribute("message") + " " + failure.getTextContent()).strip();
            cases.add(testCase(name, failure != null, failureText));
        }
        return new JunitOperatorReport(List.copyOf(cases));
    }

    private static TestCase testCase(String name, boolean failed, String failureText) {
        Matcher step = CONTAINER_STEP.matcher(name);
        if (step.matches()) {
            String test = step.group(1);
            String full = step.group(2);
            String shortName = full.startsWith(test + "-") ? full.substring(test.length() + 1) : full;
            return new TestCase(name, shortName, Kind.CONTAINER_STEP, failed, failureText);
        }
        Matcher phase = PHASE.matcher(name);
        if (phase.matches()) {
            return new TestCase(name, phase.group(1) + "-phase", Kind.PHASE, failed, failureText);
        }
        Matcher whole = WHOLE_TEST.matcher(name);
        if (whole.matches()) {
            return new TestCase(name, whole.group(1), Kind.WHOLE_TEST, failed, failureText);
        }
        return new TestCase(name, slug(name), Kind.OTHER, failed, failureText);
    }

    /** Which step made the run fail; empty when no testcase failed. See the class comment for the rules. */
    public Optional<FailedStep> failedStep() {
        List<TestCase> failed = testCases.stream().filter(TestCase::failed).toList();
        if (failed.isEmpty()) {
            return Optional.empty();
        }
        List<TestCase> failedSteps = failed.stream()
                .filter(t -> t.kind() == Kind.CONTAINER_STEP && !hasWord(t.step(), POST_WORDS)).toList();
        boolean preFailed = phaseFailed(failed, "pre-phase");
        boolean testFailed = phaseFailed(failed, "test-phase");
        if (preFailed) {
            return Optional.of(new FailedStep(failedSteps.isEmpty() ? "pre-phase" : failedSteps.get(0).step(), true));
        }
        if (testFailed) {
            return Optional.of(new FailedStep(failedSteps.isEmpty() ? "test-phase" : failedSteps.get(0).step(),
                    false));
        }
        for (TestCase t : failed) {
            boolean namedStep = t.kind() == Kind.CONTAINER_STEP || t.kind() == Kind.OTHER;
            if (namedStep && hasWord(t.step(), INFRA_WORDS)) {
                return Optional.of(new FailedStep(t.step(), true));
            }
        }
        if (failed.stream().anyMatch(t -> aboutLease(t.failureText()))) {
            return Optional.of(new FailedStep(LEASE_STEP, true));
        }
        if (!failedSteps.isEmpty()) {
            return Optional.of(new FailedStep(failedSteps.get(0).step(), false));
        }
        // only post steps, image builds and the like (or just the whole test) failed: a real failure
        TestCase first = failed.stream().filter(t -> t.kind() == Kind.CONTAINER_STEP || t.kind() == Kind.OTHER)
                .findFirst().orElse(failed.get(0));
        return Optional.of(new FailedStep(first.step(), false));
    }

    private static boolean phaseFailed(List<TestCase> failed, String phase) {
        return failed.stream().anyMatch(t -> t.kind() == Kind.PHASE && t.step().equals(phase));
    }

    private static boolean aboutLease(String failureText) {
        return failureText.toLowerCase(Locale.ROOT).contains("acquire lease");
    }

    static boolean hasWord(String stepName, Set<String> words) {
        for (String word : stepName.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (words.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** A free-text testcase name as a short, tag-friendly step name: lower case, runs of other chars as {@code -}. */
    static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^-+|-+$", "");
        slug = slug.isEmpty() ? "unnamed" : slug;
        return slug.length() > 80 ? slug.substring(0, 80) : slug;
    }

    private static Element firstChild(Element parent, String tag) {
        NodeList children = parent.getElementsByTagName(tag);
        return children.getLength() == 0 ? null : (Element) children.item(0);
    }
}
