package dev.fwpolicy.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The one table the harness prints, and its JSON and Markdown forms. */
final class Report {

    /** Median and spread of several runs, in milliseconds (or another unit, see {@link Row#unit}). */
    record Stat(double median, double min, double max, int runs) {
        static Stat of(List<Double> values) {
            if (values.isEmpty()) throw new IllegalArgumentException("no values");
            var s = values.stream().sorted().toList();
            int n = s.size();
            double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
            return new Stat(median, s.get(0), s.get(n - 1), n);
        }

        String text() {
            if (runs == 1 || min == max) return num(median) + " (n=" + runs + ")";
            return num(median) + " (" + num(min) + "–" + num(max) + ", n=" + runs + ")";
        }
    }

    /** How a row's target is judged. */
    enum Goal {
        NONE, RATIO_AT_MOST, SPEEDUP_AT_LEAST, VALUE_AT_MOST, VALUE_AT_LEAST
    }

    /**
     * @param figure   what fwpolicy did
     * @param fwp      fwpolicy's figure; empty when not measured
     * @param baseline what it is compared with ("—" when nothing)
     * @param base     the baseline's figure, measured in the same run
     * @param note     anything a reader needs to judge the figure (what each side did, payload lines, labels)
     */
    record Row(String figure, String backend, int n, String unit, Optional<Stat> fwp, String baseline, Optional<Stat> base,
               Goal goal, double limit, String target, String note) {

        Optional<Double> ratio() {
            if (fwp.isEmpty() || base.isEmpty() || base.get().median() <= 0) return Optional.empty();
            return Optional.of(fwp.get().median() / base.get().median());
        }

        String ratioText() {
            return ratio().map(r -> r < 0.1 ? "1/" + Math.round(1 / r) : String.format(Locale.ROOT, "%.2f×", r)).orElse("—");
        }

        /** "met", "MISSED", or "—" when the row carries no target. */
        String verdict() {
            if (goal == Goal.NONE || fwp.isEmpty()) return "—";
            double v = fwp.get().median();
            boolean ok = switch (goal) {
                case RATIO_AT_MOST -> ratio().map(r -> r <= limit).orElse(false);
                case SPEEDUP_AT_LEAST -> ratio().map(r -> 1 / r >= limit).orElse(false);
                case VALUE_AT_MOST -> v <= limit;
                case VALUE_AT_LEAST -> v >= limit;
                case NONE -> true;
            };
            return ok ? "met" : "MISSED";
        }
    }

    final Map<String, String> machine = new LinkedHashMap<>();
    final List<Row> rows = new ArrayList<>();

    static String num(double v) {
        if (v >= 100) return String.format(Locale.ROOT, "%,.0f", v);
        if (v >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static final String[] HEAD = {"figure", "backend", "N", "fwpolicy", "baseline (same run)", "baseline", "ratio", "target", "met", "notes"};

    private List<String[]> cells() {
        var out = new ArrayList<String[]>();
        for (var r : rows) {
            String unit = r.unit.equals("ms") ? "" : " " + r.unit;
            out.add(new String[] {
                r.figure, r.backend, String.format(Locale.ROOT, "%,d", r.n),
                r.fwp.map(s -> s.text() + unit).orElse("not measured"),
                r.baseline,
                r.base.map(s -> s.text() + unit).orElse("—"),
                r.ratioText(), r.target, r.verdict(), r.note
            });
        }
        return out;
    }

    String text() {
        var cells = cells();
        int[] w = new int[HEAD.length - 1];
        for (int i = 0; i < w.length; i++) w[i] = HEAD[i].length();
        for (var c : cells) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], c[i].length());
        var sb = new StringBuilder();
        appendLine(sb, HEAD, w);
        for (var c : cells) appendLine(sb, c, w);
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, String[] c, int[] w) {
        for (int i = 0; i < w.length; i++) sb.append(String.format("%-" + w[i] + "s", c[i])).append("  ");
        sb.append(c[c.length - 1]).append('\n');
    }

    String markdown() {
        var sb = new StringBuilder();
        sb.append("Times in ms unless stated: median (min–max, n = runs). Ratio = fwpolicy ÷ baseline.\n\n");
        sb.append("| ").append(String.join(" | ", HEAD)).append(" |\n|");
        for (String h : HEAD) sb.append(h.equals("figure") || h.equals("baseline (same run)") || h.equals("notes") || h.equals("backend") ? "---|" : "---:|");
        sb.append('\n');
        for (var c : cells()) {
            sb.append("| ");
            for (int i = 0; i < c.length; i++) sb.append(c[i].replace("|", "\\|").replace("*", "\\*")).append(i + 1 < c.length ? " | " : " |\n");
        }
        sb.append("\nMachine: ");
        machine.forEach((k, v) -> sb.append(k).append(": ").append(v).append("; "));
        sb.append('\n');
        return sb.toString();
    }

    String json() {
        var sb = new StringBuilder("{\n  \"machine\": {");
        int i = 0;
        for (var e : machine.entrySet()) {
            sb.append(i++ == 0 ? "\n" : ",\n").append("    ").append(str(e.getKey())).append(": ").append(str(e.getValue()));
        }
        sb.append("\n  },\n  \"rows\": [");
        i = 0;
        for (var r : rows) {
            sb.append(i++ == 0 ? "\n" : ",\n").append("    {\"figure\": ").append(str(r.figure))
                    .append(", \"backend\": ").append(str(r.backend))
                    .append(", \"n\": ").append(r.n)
                    .append(", \"unit\": ").append(str(r.unit))
                    .append(", \"fwpolicy\": ").append(r.fwp.map(Report::stat).orElse("null"))
                    .append(", \"baseline\": ").append(str(r.baseline))
                    .append(", \"baselineValue\": ").append(r.base.map(Report::stat).orElse("null"))
                    .append(", \"ratio\": ").append(r.ratio().map(v -> String.format(Locale.ROOT, "%.4f", v)).orElse("null"))
                    .append(", \"target\": ").append(str(r.target))
                    .append(", \"verdict\": ").append(str(r.verdict()))
                    .append(", \"note\": ").append(str(r.note)).append('}');
        }
        sb.append("\n  ]\n}\n");
        return sb.toString();
    }

    private static String stat(Stat s) {
        return String.format(Locale.ROOT, "{\"median\": %.3f, \"min\": %.3f, \"max\": %.3f, \"runs\": %d}", s.median(), s.min(), s.max(), s.runs());
    }

    private static String str(String s) {
        var sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
