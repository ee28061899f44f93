package dev.fwpolicy.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Invariant 1 at the source level: no production code passes {@code -C} / {@code --check} to iptables, nor runs {@code ipset test}. */
class NoCheckInSourcesTest {
    /** {@code ipset test} is {@code -C} for sets: as an argv element, or as a restore line. */
    private static final Pattern IPSET_TEST = Pattern.compile("\"(test|-T)\"|\"(test|-T) ");
    private static final Pattern CHECK_ARG = Pattern.compile("\"(-C|--check)\"|\"[^\"]*\\s(-C|--check)\\s[^\"]*\"");

    @Test
    void mainSourcesNeverAskIptablesCheck() throws IOException {
        List<Path> roots = Stream.of("src/main/java", "../sidecar/src/main/java").map(Path::of).filter(Files::isDirectory).toList();
        assertThat(roots).isNotEmpty();
        int scanned = 0;
        int talksToIptables = 0;
        for (Path root : roots) {
            try (var files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    scanned++;
                    String text = Files.readString(f);
                    if (text.contains("ipset")) assertThat(IPSET_TEST.matcher(text).find()).as("%s runs ipset test", f).isFalse();
                    // Only code that can reach an iptables binary counts (fmt has a --check of its own).
                    if (!text.contains("iptables") && !text.contains("Backend") && !text.contains("CommandRunner")) continue;
                    talksToIptables++;
                    assertThat(CHECK_ARG.matcher(text).find()).as("%s passes -C/--check", f).isFalse();
                }
            }
        }
        assertThat(scanned).isGreaterThan(10);
        assertThat(talksToIptables).as("files that run iptables were scanned").isGreaterThan(5);
        assertThat(CHECK_ARG.matcher("List.of(\"iptables\", \"-C\", chain)").find()).as("the pattern itself works").isTrue();
        assertThat(IPSET_TEST.matcher("List.of(\"ipset\", \"test\", name)").find()).as("the ipset pattern works").isTrue();
        assertThat(IPSET_TEST.matcher("lines.add(\"test \" + name)").find()).as("the ipset pattern works on lines").isTrue();
    }
}
