package dev.fwpolicy.engine.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: compares output with the expected file next to the input. When they differ
 * the test fails and prints the new output in full, so a reviewer sees exactly what changed;
 * {@code -Dfwpolicy.updateGolden=true} rewrites the expected files instead.
 */
public final class Golden {
    private Golden() {}

    public static void assertMatches(Path expectedFile, String actual) throws IOException {
        if (Boolean.getBoolean("fwpolicy.updateGolden")) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(expectedFile)) {
            fail("missing golden file " + expectedFile + "; the output was:\n" + actual
                    + "\n(run with -Dfwpolicy.updateGolden=true to create it)");
        }
        String expected = Files.readString(expectedFile, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            fail("output differs from " + expectedFile + " (rerun with -Dfwpolicy.updateGolden=true to accept).\n"
                    + "---- expected ----\n" + expected + "---- actual ----\n" + actual);
        }
    }
}
