package dev.fwpolicy.sidecar.http;

import dev.fwpolicy.engine.source.SourceFile;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /v1/check} to the files to check, apart from the HTTP server so that
 * any bytes can be fed to it (HttpBodyFuzzTest). JSON {@code {"files":[{"name","text"}]}} or
 * {@code {"text"}}, with an optional boolean {@code "compare"}; any other content type is taken as
 * the text of one file.
 */
final class CheckBody {
    static final String JSON = "application/json";

    private CheckBody() {}

    static Decoded<CheckRequest> decode(byte[] body, Optional<String> contentType) {
        if (body.length == 0) return Decoded.rejected("EmptyBody", "no policy text in the request body");
        if (!contentType.orElse("").startsWith(JSON)) {
            // The bytes go to the engine as they came: bad UTF-8 is reported there with its location.
            return Decoded.ok(new CheckRequest(List.of(SourceFile.decode("request.fwpolicy", body)), false));
        }
        JsonObject json;
        try {
            json = Buffer.buffer(body).toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            return Decoded.rejected("BadJson", "the body is not a JSON object: " + firstLine(e.getMessage()));
        }
        if (json == null) return Decoded.rejected("BadJson", "the body is not a JSON object");
        var out = new ArrayList<SourceFile>();
        if (json.getValue("text") instanceof String text) {
            out.add(new SourceFile("request.fwpolicy", text));
        } else if (json.getValue("files") instanceof JsonArray files && !files.isEmpty()) {
            for (int i = 0; i < files.size(); i++) {
                if (!(files.getValue(i) instanceof JsonObject f) || !(f.getValue("text") instanceof String text)) {
                    return Decoded.rejected("BadField", "files[" + i + "] needs a string \"text\"");
                }
                var name = f.getValue("name") instanceof String n && !n.isBlank() ? n : "file" + i + ".fwpolicy";
                out.add(new SourceFile(name, text));
            }
        } else {
            return Decoded.rejected("BadField", "expected {\"text\": \"…\"} or {\"files\": [{\"name\": \"…\", \"text\": \"…\"}]}");
        }
        var compare = json.getValue("compare");
        if (compare != null && !(compare instanceof Boolean)) return Decoded.rejected("BadField", "\"compare\" must be true or false");
        return Decoded.ok(new CheckRequest(out, Boolean.TRUE.equals(compare)));
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
