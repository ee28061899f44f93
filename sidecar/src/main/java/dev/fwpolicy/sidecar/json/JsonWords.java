package dev.fwpolicy.sidecar.json;

import dev.fwpolicy.engine.dataplane.DetectedBackend;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** Values written the same way in every JSON output (docs/json.md). */
public final class JsonWords {
    private JsonWords() {}

    /** An enum constant as a JSON value: lower case, words joined by '-' ({@code MISSING_CHAIN} → {@code missing-chain}). */
    public static String word(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code {name, version, reason}}: which iptables fwpolicy drives and why. */
    public static JsonObject backend(String name, String version, String reason) {
        return new JsonObject().put("name", name).put("version", version).put("reason", reason);
    }

    public static JsonObject backend(DetectedBackend b) {
        return backend(b.backend().label(), b.version(), b.reason());
    }
}
