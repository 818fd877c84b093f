package dev.prowctl.grafana.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import dev.prowctl.grafana.fake.FakeGrafana.Line;

/** The fake's API: which routes exist on which line, who may call them, and which are turned off. */
final class Routes {

    /** Who may call a route: anyone, any logged-in role, Editor and Admin, or Admin only. */
    enum Access { NONE, READ, EDIT, ADMIN }

    record Route(String method, Pattern path, Predicate<Line> exists, Access access, Function<Call, Reply> handler) {
    }

    /** For routes every line has. */
    static final Predicate<Line> ALL = line -> true;

    private final List<Route> routes = new ArrayList<>();
    private final List<String> disabledPrefixes = new CopyOnWriteArrayList<>();

    /** Adds a route; {@code path} is a regex over the decoded path whose groups are {@link Call#param}s. */
    void add(String method, String path, Predicate<Line> exists, Access access, Function<Call, Reply> handler) {
        routes.add(new Route(method, Pattern.compile(path), exists, access, handler));
    }

    /** Turns off the routes below a path, as a disabled feature does. */
    void disable(String pathPrefix) {
        disabledPrefixes.add(pathPrefix);
    }

    /** The route for a request on {@code line}, or null when that Grafana has none. */
    Route find(String method, String decodedPath, Line line) {
        if (disabledPrefixes.stream().anyMatch(decodedPath::startsWith)) {
            return null;
        }
        for (Route r : routes) {
            if (r.method().equals(method) && r.path().matcher(decodedPath).matches() && r.exists().test(line)) {
                return r;
            }
        }
        return null;
    }
}
