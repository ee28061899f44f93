package dev.fwpolicy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example Deployments run the sidecar with the JVM flags fwpolicy is measured with
 * ({@code sidecar/jvm.options}, which {@code ./fwpolicy} and the benchmarks pass): when one
 * changes, the other must too, or the published memory figures describe a different process.
 */
class JvmOptionsTest {
    private static final Pattern TOOL_OPTIONS =
            Pattern.compile("- name: JAVA_TOOL_OPTIONS[^\\n]*\\n\\s+value: \"([^\"]*)\"");

    static List<String> shippedFlags() throws IOException {
        var flags = new ArrayList<String>();
        for (String line : Files.readAllLines(Path.of("../sidecar/jvm.options"))) {
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!text.isEmpty()) flags.addAll(Arrays.asList(text.split("\\s+")));
        }
        return flags;
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/deployment.yaml", "k8s/deployment-volume.yaml"})
    void deploymentSetsTheShippedJvmFlags(String file) throws IOException {
        var shipped = shippedFlags();
        assertThat(shipped).as("sidecar/jvm.options").contains("-XX:+UseSerialGC").hasSizeGreaterThan(3);
        var m = TOOL_OPTIONS.matcher(Files.readString(Path.of(file)));
        assertThat(m.find()).as(file + " sets JAVA_TOOL_OPTIONS").isTrue();
        assertThat(Arrays.asList(m.group(1).strip().split("\\s+"))).as(file).isEqualTo(shipped);
    }
}
