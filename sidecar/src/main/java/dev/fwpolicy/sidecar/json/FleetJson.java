package dev.fwpolicy.sidecar.json;

import dev.fwpolicy.sidecar.fleet.FleetView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** {@code fwpolicy fleet --format json} (docs/json.md). */
public final class FleetJson {
    private FleetJson() {}

    public static JsonObject toJson(FleetView view) {
        var configMaps = new JsonArray();
        for (var cm : view.configMaps()) {
            configMaps.add(new JsonObject().put("configMap", cm.reference())
                    .put("resourceVersion", cm.resourceVersion().orElse(null))
                    .put("revision", cm.revision().orElse(null))
                    .put("error", cm.problem().orElse(null)));
        }
        var pods = new JsonArray();
        for (var row : view.pods()) {
            var l = row.lease();
            pods.add(new JsonObject().put("pod", l.pod()).put("lease", l.leaseName()).put("configMap", l.configMap())
                    .put("revision", l.revision().orElse(null))
                    .put("enforcement", l.state().word())
                    .put("current", row.current().orElse(null))
                    .put("stale", row.stale())
                    .put("resourceVersion", l.resourceVersion().orElse(null))
                    .put("observedAt", l.observedAt().map(Instant::toString).orElse(null))
                    .put("enforcedAt", l.enforcedAt().map(Instant::toString).orElse(null))
                    .put("changeToEnforcedMs", l.changeToEnforced().map(d -> d.toMillis()).orElse(null))
                    .put("renewedAt", l.renewedAt().toString())
                    .put("error", l.error().orElse(null)));
        }
        var counts = new JsonObject();
        view.tally().forEach(counts::put);
        return new JsonObject().put("namespace", view.namespace()).put("configMaps", configMaps).put("pods", pods)
                .put("podCounts", counts);
    }
}
