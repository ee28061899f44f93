package dev.fwpolicy.sidecar.cli;

import java.util.ArrayList;
import java.util.List;

/** Splits an iptables-save rule spec into argv words the way the shell would (double quotes group). */
final class CliTokens {
    private CliTokens() {}

    static List<String> split(String spec) {
        var out = new ArrayList<String>();
        var cur = new StringBuilder();
        boolean quoted = false, any = false;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == '\\' && i + 1 < spec.length()) {
                cur.append(spec.charAt(++i));
                any = true;
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) out.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) out.add(cur.toString());
        return out;
    }
}
