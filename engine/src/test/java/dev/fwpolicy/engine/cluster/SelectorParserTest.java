package dev.fwpolicy.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorParserTest {

    static LabelSelector valid(String text) {
        var result = SelectorParser.parse(text);
        assertThat(result).as(text).isInstanceOf(SelectorParse.Parsed.class);
        return ((SelectorParse.Parsed) result).selector();
    }

    static SelectorError invalid(String text) {
        var result = SelectorParser.parse(text);
        assertThat(result).as(text).isInstanceOf(SelectorParse.Invalid.class);
        return ((SelectorParse.Invalid) result).error();
    }

    @Test
    void everyOperatorAsKubernetesWritesIt() {
        var s = valid("tier in (web, api), !canary, app=frontend, env==prod, team!=ops, zone notin (a,b), track");
        assertThat(s.requirements()).containsExactly(
                new Requirement("tier", Operator.IN, List.of("api", "web")),
                new Requirement("canary", Operator.DOES_NOT_EXIST, List.of()),
                new Requirement("app", Operator.EQUALS, List.of("frontend")),
                new Requirement("env", Operator.DOUBLE_EQUALS, List.of("prod")),
                new Requirement("team", Operator.NOT_EQUALS, List.of("ops")),
                new Requirement("zone", Operator.NOT_IN, List.of("a", "b")),
                new Requirement("track", Operator.EXISTS, List.of()));
    }

    @Test
    void emptySelectsEverythingAndWhitespaceIsFreeAroundTokens() {
        assertThat(valid("").selectsEverything()).isTrue();
        assertThat(valid("  \t ").selectsEverything()).isTrue();
        assertThat(valid(" app = web ,  ! canary ")).isEqualTo(valid("app=web,!canary"));
        assertThat(valid("app.kubernetes.io/name=prometheus").requirements().get(0).key()).isEqualTo("app.kubernetes.io/name");
    }

    @Test
    void emptyValuesAreValuesAsInKubernetes() {
        assertThat(valid("a=").requirements().get(0).values()).containsExactly("");
        assertThat(valid("a=,b").requirements()).hasSize(2);
        assertThat(valid("a in ()").requirements().get(0).values()).containsExactly("");
        assertThat(valid("a in (,x)").requirements().get(0).values()).containsExactly("", "x");
        assertThat(valid("a in (x,)").requirements().get(0).values()).containsExactly("", "x");
        assertThat(valid("a in (x,,y)").requirements().get(0).values()).containsExactly("", "x", "y");
    }

    @Test
    void inAndNotinAreWordsWhereAKeyOrValueGoes() {
        assertThat(valid("in in (notin, in)").requirements())
                .containsExactly(new Requirement("in", Operator.IN, List.of("in", "notin")));
        assertThat(valid("notin=in").requirements()).containsExactly(new Requirement("notin", Operator.EQUALS, List.of("in")));
    }

    @Test
    void meaningOfEachOperatorOnPresentAndMissingLabels() {
        Map<String, String> labels = Map.of("app", "web", "tier", "");
        assertThat(valid("app=web").matches(labels)).isTrue();
        assertThat(valid("app!=web").matches(labels)).isFalse();
        assertThat(valid("missing!=x").matches(labels)).isTrue();
        assertThat(valid("missing notin (x)").matches(labels)).isTrue();
        assertThat(valid("missing in (x)").matches(labels)).isFalse();
        assertThat(valid("tier").matches(labels)).isTrue();
        assertThat(valid("tier=").matches(labels)).isTrue();
        assertThat(valid("!tier").matches(labels)).isFalse();
        assertThat(valid("!missing,app in (web,api)").matches(labels)).isTrue();
        assertThat(valid("app notin (web)").matches(labels)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            app=Bad!                  | 7 | 1 | expected ',' or the end of the selector, found '!'
            app=-web                  | 4 | 1 | a label value must start with a letter or digit
            app=we b                  | 7 | 1 | expected ',' or the end of the selector, found 'b'
            -app=web                  | 0 | 1 | a label key must start with a letter or digit
            app,                      | 3 | 1 | expected a label key or '!key' after ',', found the end of the selector
            ,app                      | 0 | 1 | expected a label key or '!key', found ','
            app > 3                   | 4 | 1 | '>' is not supported
            app in web                | 7 | 3 | expected '(' after 'in', found 'web'
            app in (a b)              | 10| 1 | expected ',' or ')' between values, found 'b'
            app in (a                 | 8 | 1 | is not closed: expected ')'
            !app=web                  | 4 | 1 | '!app' means the label is absent
            a/b/c=x                   | 3 | 1 | at most one '/'
            /b=x                      | 0 | 1 | the prefix before '/' in a label key must not be empty
            Example.com/b=x           | 0 | 1 | a label key prefix is lowercase: write 'e'
            example..com/b=x          | 8 | 1 | one here is empty
            example.com/=x            | 11| 1 | the name after '/' in a label key must not be empty
            app=caf\u00e9             | 7 | 1 | U+00E9 is not allowed in a label value
            tier in (web, api*)       | 17| 1 | '*' is not allowed in a label value
            """)
    void errorsPointAtTheOffendingCharacter(String text, int offset, int length, String message) {
        String decoded = text.replace("\\u00e9", "\u00e9");
        var error = invalid(decoded);
        assertThat(error.message()).contains(message);
        assertThat(error.offset()).as("offset in " + decoded).isEqualTo(offset);
        assertThat(error.length()).isEqualTo(length);
    }

    @Test
    void lengthLimitsAreKubernetes() {
        String name63 = "a".repeat(63);
        valid(name63 + "=" + name63);
        assertThat(invalid("a".repeat(64) + "=x").offset()).isEqualTo(63);
        assertThat(invalid("x=" + "b".repeat(64)).offset()).isEqualTo(2 + 63);
        valid("a".repeat(253) + "/" + name63);
        assertThat(invalid("a".repeat(254) + "/n").message()).contains("at most 253");
    }

    @Test
    void namespaceAndServiceNamesAreDnsLabels() {
        assertThat(LabelSyntax.namespaceName("kube-system")).isEmpty();
        assertThat(LabelSyntax.namespaceName("1shop")).isEmpty();
        assertThat(LabelSyntax.namespaceName("Shop").orElseThrow().offset()).isZero();
        assertThat(LabelSyntax.namespaceName("shop_1").orElseThrow().offset()).isEqualTo(4);
        assertThat(LabelSyntax.namespaceName("shop-").orElseThrow().message()).contains("must end");
        assertThat(LabelSyntax.serviceName("api")).isEmpty();
        assertThat(LabelSyntax.serviceName("1api").orElseThrow().message()).contains("start with a lowercase letter");
        assertThat(LabelSyntax.namespaceName("n".repeat(64)).orElseThrow().offset()).isEqualTo(63);
    }
}
