package dev.fwpolicy.sidecar.http;

import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.eval.Flow;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /v1/evaluate} (and its {@code against} query parameter) to an
 * {@link EvaluateRequest}, apart from the HTTP server so that any bytes can be fed to it
 * (EvaluateBodyFuzzTest). The limits of {@link ApiLimits} are checked here, before any flow is read.
 */
final class EvaluateBody {
    private static final String EXPECTED = "expected {\"flow\": \"…\"} or {\"flows\": [\"…\"]}";

    private EvaluateBody() {}

    static Decoded<EvaluateRequest> decode(byte[] body, Optional<String> againstParam, ApiLimits limits) {
        if (body.length == 0) return Decoded.rejected("EmptyBody", EXPECTED);
        JsonObject json;
        try {
            json = Buffer.buffer(body).toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            return Decoded.rejected("BadJson", "the body is not a JSON object");
        }
        if (json == null) return Decoded.rejected("BadJson", "the body is not a JSON object");
        var texts = new ArrayList<String>();
        boolean batch = false;
        if (json.getValue("flow") instanceof String one) {
            texts.add(one);
        } else if (json.getValue("flows") instanceof JsonArray many && !many.isEmpty()) {
            batch = true;
            if (many.size() > limits.maxFlows()) {
                return Decoded.rejected("TooManyFlows", "at most " + limits.maxFlows() + " flows per request (got " + many.size() + ")");
            }
            for (int i = 0; i < many.size(); i++) {
                if (!(many.getValue(i) instanceof String s)) return Decoded.rejected("BadField", "flows[" + i + "] must be a string");
                texts.add(s);
            }
        } else {
            return Decoded.rejected("BadField", EXPECTED);
        }
        String against = json.getValue("against") instanceof String a ? a : againstParam.orElse("desired");
        if (!against.equals("desired") && !against.equals("kernel")) {
            return Decoded.rejected("BadField", "against must be \"desired\" or \"kernel\", not \"" + against + "\"");
        }
        boolean explain = json.getValue("explain") instanceof Boolean b ? b : !batch;
        if (explain && texts.size() > limits.maxExplainedFlows()) {
            return Decoded.rejected("TooManyFlows", "at most " + limits.maxExplainedFlows() + " flows per request with \"explain\": true (got "
                    + texts.size() + "); ask without explain, or in smaller batches");
        }
        var flows = new ArrayList<Flow>();
        for (int i = 0; i < texts.size(); i++) {
            // The one flow validator, as for expect lines; the diagnostic's "file" names the flow.
            String name = batch ? "flows[" + i + "]" : "flow";
            var diagnostics = new Diagnostics();
            flows.addAll(Flow.read(name, texts.get(i), diagnostics));
            if (diagnostics.hasErrors()) {
                var all = diagnostics.sorted();
                return new Decoded.Rejected<>(new BodyError("BadFlow", all.get(0).headline(), all));
            }
        }
        return Decoded.ok(new EvaluateRequest(List.copyOf(flows), against.equals("kernel"), explain));
    }
}
