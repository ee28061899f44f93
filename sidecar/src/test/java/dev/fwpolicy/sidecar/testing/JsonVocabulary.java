package dev.fwpolicy.sidecar.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON vocabulary of docs/json.md, as a check: every name in an output must be listed there,
 * with the JSON type the output gives it. A {@code map} is an object keyed by values (a family, a
 * status), whose keys are not names. {@code null} stands for "absent" and fits any type.
 */
public final class JsonVocabulary {
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([A-Za-z]+)`\\s*\\|\\s*([a-z, ]+?)\\s*\\|.*");
    private static final Map<String, Set<String>> TYPES = load();

    private JsonVocabulary() {}

    private static Map<String, Set<String>> load() {
        var doc = Path.of("../docs/json.md");
        try {
            var types = new LinkedHashMap<String, Set<String>>();
            for (var line : Files.readAllLines(doc)) {
                var m = ROW.matcher(line);
                if (!m.matches()) continue;
                if (types.put(m.group(1), Set.of(m.group(2).split(",\\s*"))) != null) {
                    throw new IllegalStateException("docs/json.md lists '" + m.group(1) + "' twice");
                }
            }
            if (types.size() < 20) throw new IllegalStateException("docs/json.md: only " + types.size() + " names read");
            return types;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documented names. */
    public static Set<String> names() {
        return TYPES.keySet();
    }

    /** Fails, listing every problem, when {@code json} uses a name docs/json.md lacks or gives it another type. */
    public static <T> T check(T json, String where) {
        var problems = new ArrayList<String>();
        walk(json, "$", problems);
        if (!problems.isEmpty()) {
            throw new AssertionError(where + ": JSON names not in docs/json.md's vocabulary (or of another type):\n  "
                    + String.join("\n  ", problems));
        }
        return json;
    }

    /** Every name used in {@code json}, for the check that the documented list has no stale entries. */
    public static void collect(Object json, Set<String> into) {
        if (json instanceof JsonObject o) {
            for (var key : o.fieldNames()) {
                into.add(key);
                if (!isMap(key)) collect(o.getValue(key), into);
            }
        } else if (json instanceof JsonArray a) {
            a.forEach(v -> collect(v, into));
        }
    }

    private static boolean isMap(String name) {
        return TYPES.getOrDefault(name, Set.of()).contains("map");
    }

    private static void walk(Object json, String path, List<String> problems) {
        if (json instanceof JsonObject o) {
            for (var key : o.fieldNames()) {
                var value = o.getValue(key);
                var allowed = TYPES.get(key);
                var type = type(value);
                if (allowed == null) {
                    problems.add(path + "." + key + " (" + type + ") is not documented");
                    continue;
                }
                if (!type.equals("null") && !allowed.contains(type) && !(type.equals("object") && allowed.contains("map"))) {
                    problems.add(path + "." + key + " is " + type + ", documented as " + allowed);
                }
                if (!allowed.contains("map")) walk(value, path + "." + key, problems);
            }
        } else if (json instanceof JsonArray a) {
            for (int i = 0; i < a.size(); i++) walk(a.getValue(i), path + "[" + i + "]", problems);
        }
    }

    private static String type(Object v) {
        if (v == null) return "null";
        if (v instanceof JsonObject) return "object";
        if (v instanceof JsonArray) return "array";
        if (v instanceof String) return "string";
        if (v instanceof Boolean) return "boolean";
        if (v instanceof Number) return "number";
        return v.getClass().getSimpleName();
    }
}
