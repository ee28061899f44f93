package dev.fwpolicy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sidecar runs with the JVM flags fwpolicy is measured with ({@code sidecar/jvm.options},
 * which {@code ./fwpolicy} and the benchmarks pass): the container image carries that file and
 * its launcher passes it, and no example manifest adds flags of its own on top through the
 * JVM's environment variables, or the published memory figures describe a different process.
 */
class JvmOptionsTest {

    @Test
    void theImageLauncherPassesTheShippedJvmOptions() throws IOException {
        var build = Files.readString(Path.of("../sidecar/image/build"));
        assertThat(build).contains("install -m 0644 \"$repo/sidecar/jvm.options\" \"$root/opt/fwpolicy/jvm.options\"");
        assertThat(build).containsPattern("exec /opt/java/bin/java @/opt/fwpolicy/jvm.options ");
        assertThat(Files.readString(Path.of("../sidecar/jvm.options"))).contains("-XX:+UseSerialGC");
    }

    @Test
    void noManifestAddsJvmFlagsOfItsOwn() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("k8s"))) {
            var manifests = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertThat(manifests).isNotEmpty();
            for (var f : manifests) {
                assertThat(Files.readString(f)).as(f.toString())
                        .doesNotContain("JAVA_TOOL_OPTIONS").doesNotContain("JDK_JAVA_OPTIONS").doesNotContain("_JAVA_OPTIONS");
            }
        }
    }
}
