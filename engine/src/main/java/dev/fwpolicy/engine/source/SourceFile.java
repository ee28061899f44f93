package dev.fwpolicy.engine.source;

import java.util.ArrayList;
import java.util.List;

/** One policy source: a file on disk, a ConfigMap key, or text posted over HTTP. */
public record SourceFile(String name, String text) {

    public SourceFile {
        if (name == null || text == null) throw new IllegalArgumentException("name and text are required");
    }

    /** The 1-based line {@code line} without its line terminator, or "" when out of range. */
    public String line(int line) {
        int start = 0;
        for (int i = 1; i < line; i++) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) return "";
            start = nl + 1;
        }
        int end = text.indexOf('\n', start);
        String s = end < 0 ? text.substring(start) : text.substring(start, end);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    public List<String> lines() {
        return new ArrayList<>(List.of(text.split("\r?\n", -1)));
    }
}
