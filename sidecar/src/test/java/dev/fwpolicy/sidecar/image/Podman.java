package dev.fwpolicy.sidecar.image;

import dev.fwpolicy.engine.testing.KernelSupport;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs podman (and other host tools) for the container tests, and decides whether they can run:
 * root, the kernel tools, podman, and the images of {@code sidecar/image/build} built from this
 * very tree (their {@code dev.fwpolicy.sources} label equals {@code sidecar/image/sources-digest}:
 * an image from another worktree or an older build is not the code under test). On a developer
 * machine without them the tests are skipped with the reason; under {@code CI=true} they fail,
 * because .ci/run builds the images before the test suite.
 */
final class Podman {
    /** The repository root: tests run in sidecar/. */
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final String VERSION = projectVersion();
    static final String IMAGE = "localhost/fwpolicy:" + VERSION;
    static final String APP_IMAGE = "localhost/fwpolicy-demo-app:" + VERSION;

    private Podman() {}

    record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        Result requireOk() {
            if (exitCode != 0) throw new AssertionError(this + "\n" + describe());
            return this;
        }

        String describe() {
            return String.join(" ", argv) + " exited " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }

        @Override
        public String toString() {
            return "`" + String.join(" ", argv) + "` (exit " + exitCode + ")";
        }
    }

    static Result run(String... argv) {
        return run(List.of(argv));
    }

    static Result run(List<String> argv) {
        try {
            var out = Files.createTempFile("fwp-podman", ".out");
            var err = Files.createTempFile("fwp-podman", ".err");
            try {
                var process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(180, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", argv) + " did not finish within 180 s");
                }
                return new Result(List.copyOf(argv), process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result podman(String... args) {
        var argv = new ArrayList<String>();
        argv.add("podman");
        argv.addAll(List.of(args));
        return run(argv);
    }

    /** Skips (developer machine) or fails (CI) unless the container tests can run. */
    static void requireImages() {
        KernelSupport.requireKernel();
        var reason = unavailable();
        if (reason.isEmpty()) return;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + reason.get() + ": .ci/run builds the images before the tests");
        }
        Assumptions.abort(reason.get() + " (skipped; set CI=true to make this a failure)");
    }

    private static Optional<String> unavailable() {
        try {
            if (!podman("--version").ok()) return Optional.of("podman does not run");
        } catch (UncheckedIOException e) {
            return Optional.of("container tests need podman (" + e.getMessage() + ")");
        }
        var digest = run(REPO.resolve("sidecar/image/sources-digest").toString()).requireOk().stdout().strip();
        for (var image : List.of(IMAGE, APP_IMAGE)) {
            if (!podman("image", "exists", image).ok()) {
                return Optional.of("no image " + image + ": build it with `sudo sidecar/image/build`");
            }
            var built = podman("image", "inspect", "--format", "{{index .Labels \"dev.fwpolicy.sources\"}}", image)
                    .requireOk().stdout().strip();
            if (!built.equals(digest)) {
                return Optional.of(image + " was built from other sources (" + built + ", this tree: " + digest
                        + "): rebuild it with `sudo sidecar/image/build`");
            }
        }
        return Optional.empty();
    }

    private static String projectVersion() {
        try {
            var m = Pattern.compile("<artifactId>fwpolicy-parent</artifactId>\\s*<version>([^<]+)</version>")
                    .matcher(Files.readString(REPO.resolve("pom.xml")));
            if (!m.find()) throw new IllegalStateException("no version in pom.xml");
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
