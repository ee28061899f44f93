package dev.fwpolicy.sidecar.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnNamespaceTest {
    @TempDir
    Path tmp;

    @Test
    void flagThenEnvironmentThenServiceAccountFileThenDefault() throws IOException {
        var file = tmp.resolve("namespace");
        Files.writeString(file, "from-file\n");
        var env = Map.of("POD_NAMESPACE", "from-env");
        assertThat(OwnNamespace.resolve(Optional.of("from-flag"), env, file))
                .isEqualTo(new OwnNamespace.Resolved("from-flag", "--namespace"));
        assertThat(OwnNamespace.resolve(Optional.empty(), env, file)).isEqualTo(new OwnNamespace.Resolved("from-env", "POD_NAMESPACE"));
        assertThat(OwnNamespace.resolve(Optional.empty(), Map.of(), file).name()).isEqualTo("from-file");
        assertThat(OwnNamespace.resolve(Optional.empty(), Map.of("POD_NAMESPACE", " "), tmp.resolve("missing")))
                .isEqualTo(new OwnNamespace.Resolved("default", "default"));
    }

    @Test
    void aValueThatIsNoNamespaceNameIsAnError() {
        assertThatThrownBy(() -> OwnNamespace.resolve(Optional.empty(), Map.of("POD_NAMESPACE", "Shop"), tmp.resolve("x")))
                .hasMessageContaining("POD_NAMESPACE: 'Shop' is not a namespace name");
    }
}
