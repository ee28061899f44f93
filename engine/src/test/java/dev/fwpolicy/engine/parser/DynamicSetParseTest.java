package dev.fwpolicy.engine.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.ast.*;
import dev.fwpolicy.engine.cluster.SelectorParser;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DynamicSetParseTest {
    static final String ISSUE_EXAMPLE = """
            policy db {
              set frontend = pods "app=frontend" in shop
              set scrapers = pods "app.kubernetes.io/name=prometheus" in namespaces "team=platform"
              set peers    = pods "tier in (web, api), !canary"
              set shopall  = pods in shop
              set api      = service shop/api
              set mixed    = { $frontend, 192.168.10.0/24 }
              inbound {
                allow tcp from 10.0.0.0/8 to port 22
              }
            }
            """;

    private static List<PolicyItem> items(String text, Diagnostics diagnostics) {
        var file = new PolicyParser().parse(new SourceFile("f.fwpolicy", text), diagnostics).orElseThrow();
        return file.policies().get(0).items();
    }

    @Test
    void everyFormOfTheIssueBuildsItsSource() {
        var diagnostics = new Diagnostics();
        var items = items(ISSUE_EXAMPLE, diagnostics);
        assertThat(diagnostics.sorted()).isEmpty();
        var sources = items.stream().filter(DynamicSetDecl.class::isInstance).map(i -> ((DynamicSetDecl) i).source()).toList();
        assertThat(sources).hasSize(5);

        var frontend = (PodsSource) sources.get(0);
        assertThat(frontend.pods().orElseThrow().selector()).isEqualTo(SelectorParser.parseValid("app=frontend").orElseThrow());
        assertThat(frontend.namespaces()).get().isInstanceOf(NamespaceName.class);
        assertThat(((NamespaceName) frontend.namespaces().orElseThrow()).name()).isEqualTo("shop");

        var scrapers = (PodsSource) sources.get(1);
        assertThat(((NamespaceSelector) scrapers.namespaces().orElseThrow()).selector().selector().render()).isEqualTo("team=platform");

        var peers = (PodsSource) sources.get(2);
        assertThat(peers.namespaces()).isEmpty();
        assertThat(peers.pods().orElseThrow().selector().requirements()).hasSize(2);

        var shopall = (PodsSource) sources.get(3);
        assertThat(shopall.pods()).isEmpty();

        var api = (ServiceSource) sources.get(4);
        assertThat(api.namespace()).isEqualTo(Optional.of("shop"));
        assertThat(api.name()).isEqualTo("api");
    }

    @Test
    void declaredButUnusedDynamicSetsCompileAndTheirNamesAreTaken() {
        var result = new Compiler().compile(List.of(new SourceFile("f.fwpolicy", ISSUE_EXAMPLE)));
        // Declared, unused dynamic sets need no members: nothing to report without a cluster.
        assertThat(result.diagnostics()).isEmpty();

        var clash = ISSUE_EXAMPLE.replace("set mixed    = { $frontend, 192.168.10.0/24 }", "ports frontend = { 80 }");
        var again = new Compiler().compile(List.of(new SourceFile("f.fwpolicy", clash)));
        assertThat(again.diagnostics()).extracting(d -> d.code()).containsExactly("duplicate-name");
    }

    @Test
    void aDynamicSetWhereAPortSetGoesIsTheWrongKind() {
        String text = """
                policy p {
                  set web = pods "app=web"
                  inbound {
                    allow tcp to port $web
                  }
                }
                """;
        var result = new Compiler().compile(List.of(new SourceFile("f.fwpolicy", text)));
        assertThat(result.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("wrong-kind");
            assertThat(d.message()).contains("a set of cluster addresses");
        });
    }

    @Test
    void newKeywordsAreReservedButQuotedNamespacesAreNot() {
        var diagnostics = new Diagnostics();
        var items = items("policy p {\n  set a = pods in \"namespaces\"\n}\n", diagnostics);
        assertThat(diagnostics.sorted()).isEmpty();
        assertThat(((NamespaceName) ((PodsSource) ((DynamicSetDecl) items.get(0)).source()).namespaces().orElseThrow()).name())
                .isEqualTo("namespaces");
    }
}
