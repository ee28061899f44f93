package dev.fwpolicy.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SelectorProperties {

    @Property(tries = 500)
    void parseOfRenderIsTheSelector(@ForAll("selectors") LabelSelector selector) {
        assertThat(SelectorParser.parse(selector.render())).isEqualTo(new SelectorParse.Parsed(selector));
    }

    @Property(tries = 300)
    void spacesAroundEveryTokenChangeNothing(@ForAll("selectors") LabelSelector selector) {
        String spaced = selector.render().replace(",", " ,\t").replace("(", " ( ").replace(")", " ) ")
                .replace("!=", " != ").replace("==", " == ");
        assertThat(SelectorParser.parse(" " + spaced + " ")).isEqualTo(new SelectorParse.Parsed(selector));
    }

    @Property(tries = 1000)
    void anyStringParsesOrFailsInsideItself(@ForAll("noise") String text) {
        var result = SelectorParser.parse(text);
        if (result instanceof SelectorParse.Invalid invalid) {
            var e = invalid.error();
            assertThat(e.offset()).isBetween(0, Math.max(0, text.length() - 1));
            assertThat(e.offset() + e.length()).isLessThanOrEqualTo(Math.max(1, text.length()));
        }
    }

    /** A selector is a conjunction: it matches exactly when each of its requirements does alone. */
    @Property(tries = 300)
    void aSelectorIsTheConjunctionOfItsRequirements(@ForAll("selectors") LabelSelector selector,
                                                    @ForAll("labels") Map<String, String> labels) {
        boolean each = selector.requirements().stream().allMatch(r -> new LabelSelector(List.of(r)).matches(labels));
        assertThat(selector.matches(labels)).isEqualTo(each);
    }

    @Provide
    Arbitrary<LabelSelector> selectors() {
        return requirement().list().ofMaxSize(5).map(LabelSelector::new);
    }

    @Provide
    Arbitrary<Map<String, String>> labels() {
        return Arbitraries.maps(keys(), values()).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().withChars("ab=!(),<> \tin/.-_").ofMaxLength(20);
    }

    private Arbitrary<Requirement> requirement() {
        return Combinators.combine(keys(), Arbitraries.of(Operator.values()), values().list().ofMinSize(1).ofMaxSize(3))
                .as((key, op, values) -> new Requirement(key, op,
                        op.isSet() ? values : op.isExact() ? values.subList(0, 1) : List.of()));
    }

    private Arbitrary<String> keys() {
        var name = Arbitraries.of("app", "tier", "in", "notin", "a", "x.y_z-1", "A9");
        var prefix = Arbitraries.of("", "", "example.com/", "app.kubernetes.io/", "a-b.c/");
        return Combinators.combine(prefix, name).as(String::concat);
    }

    private Arbitrary<String> values() {
        return Arbitraries.of("", "web", "api", "in", "notin", "v1.2_3-x", "Z");
    }
}
