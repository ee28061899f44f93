package dev.fwpolicy.engine.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.ast.DynamicSetDecl;
import dev.fwpolicy.engine.ast.PolicyFile;
import dev.fwpolicy.engine.cluster.LabelSelector;
import dev.fwpolicy.engine.cluster.Operator;
import dev.fwpolicy.engine.cluster.Requirement;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.format.Formatter;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Dynamic sets through the front end: whatever selectors and namespaces a declaration
 * holds, fmt keeps its meaning (the parsed selectors of fmt's output are the original
 * ones) and formatting twice changes nothing.
 */
class DynamicSetProperties {
    private static final List<String> KEYS = List.of("app", "tier", "in", "app.kubernetes.io/name", "x.y_z-1");
    private static final List<String> VALUES = List.of("", "web", "notin", "v1.2_3-x", "Z");

    @Property(tries = 300)
    void fmtKeepsEverySelectorAndIsIdempotent(@ForAll long seed) {
        var r = new Random(seed);
        var sb = new StringBuilder("policy p {\n");
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append(" set s").append(i).append("   =   ").append(source(r)).append('\n');
        }
        sb.append("}\n");
        String text = sb.toString();
        var original = parse(text);
        String formatted = Formatter.format(original);
        var again = parse(formatted);
        assertThat(sources(again)).as(text).isEqualTo(sources(original));
        assertThat(Formatter.format(again)).isEqualTo(formatted);
    }

    private static List<String> sources(PolicyFile file) {
        var out = new ArrayList<String>();
        for (var item : file.policies().get(0).items()) {
            var d = (DynamicSetDecl) item;
            // The meaning: the source with each selector as parsed (spans differ, so compare renderings).
            out.add(d.name().text() + " " + d.source().text() + " " + selectors(d));
        }
        return out;
    }

    private static String selectors(DynamicSetDecl d) {
        if (d.source() instanceof dev.fwpolicy.engine.ast.PodsSource p) {
            return p.pods().map(s -> s.selector().render()).orElse("-") + " / "
                    + p.namespaces().map(n -> n instanceof dev.fwpolicy.engine.ast.NamespaceSelector s
                            ? s.selector().selector().render() : ((dev.fwpolicy.engine.ast.NamespaceName) n).name()).orElse("-");
        }
        return "";
    }

    private static PolicyFile parse(String text) {
        var diagnostics = new Diagnostics();
        var file = new PolicyParser().parse(new SourceFile("p.fwpolicy", text), diagnostics);
        assertThat(diagnostics.sorted()).as(text).isEmpty();
        return file.orElseThrow();
    }

    private static String source(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "service " + (r.nextBoolean() ? "shop/api" : "\"1shop/api-2\"");
            case 1 -> "pods";
            case 2 -> "pods in " + (r.nextBoolean() ? "kube-system" : "\"namespaces\"");
            case 3 -> "pods \"" + selectorText(r) + "\" in   namespaces \"" + selectorText(r) + "\"";
            default -> "pods \"" + selectorText(r) + "\"" + (r.nextBoolean() ? " in shop" : "");
        };
    }

    /** A selector written with random spacing, which fmt must keep as written. */
    private static String selectorText(Random r) {
        var reqs = new ArrayList<Requirement>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            var op = Operator.values()[r.nextInt(Operator.values().length)];
            var values = List.of(VALUES.get(r.nextInt(VALUES.size())), VALUES.get(r.nextInt(VALUES.size())));
            reqs.add(new Requirement(KEYS.get(r.nextInt(KEYS.size())), op,
                    op.isSet() ? values : op.isExact() ? values.subList(0, 1) : List.of()));
        }
        String rendered = new LabelSelector(reqs).render();
        return r.nextBoolean() ? rendered.replace(",", " , ") : rendered;
    }
}
