package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A directory of wrapper scripts put first on PATH in front of every iptables binary and
 * ipset. Each logs its argv; when asked {@code -C}/{@code --check} (as an argument, or as a
 * restore line), or {@code ipset test}, it records a violation and answers "rule does not exist", like iptables 1.8.10 did for rules
 * that did exist. Tests assert on both logs: the wrappers were really used, and never asked.
 */
public final class PathShims implements AutoCloseable {
    private static final List<String> WRAPPED = List.of("iptables", "ip6tables");
    private static final List<String> FLAVOURS = List.of("", "-nft", "-legacy");
    private static final List<String> TOOLS = List.of("", "-save", "-restore");

    private final Path dir;

    private PathShims(Path dir) {
        this.dir = dir;
    }

    public static PathShims create() {
        return create(tool -> "");
    }

    /**
     * As {@link #create()}, with {@code beforeRestore.apply(restoreTool)} (a shell snippet, may be
     * empty) run by each restore shim after it has read its payload and just before the real
     * restore: "another program" writing between fwpolicy's read-back and its transaction, at a
     * moment no scheduler can shift. {@link #real(String)} gives the snippet unwrapped binaries.
     */
    public static PathShims create(java.util.function.Function<String, String> beforeRestore) {
        try {
            Path dir = Files.createTempDirectory("fwp-shims-");
            String realPath = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/sbin:/sbin";
            for (String w : WRAPPED) for (String f : FLAVOURS) for (String t : TOOLS) {
                String name = w + f + t;
                var real = KernelSupport.find(name, realPath);
                if (real.isEmpty()) continue;
                Path shim = dir.resolve(name);
                Files.writeString(shim, script(dir, name, real.get(), t.equals("-restore"), beforeRestore.apply(name)));
                Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            var ipset = KernelSupport.find("ipset", realPath);
            if (ipset.isPresent()) {
                Path shim = dir.resolve("ipset");
                Files.writeString(shim, ipsetScript(dir, ipset.get()));
                Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.createFile(dir.resolve("calls.log"));
            Files.createFile(dir.resolve("check-violations.log"));
            return new PathShims(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real binary behind a shim, by absolute path (a hook calling it is not logged or shimmed). */
    public static String real(String name) {
        String realPath = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/sbin:/sbin";
        return KernelSupport.find(name, realPath).orElseThrow(() -> new IllegalStateException(name + " not on PATH"));
    }

    private static String script(Path dir, String name, String real, boolean restore, String beforeRestore) {
        String violation = "printf '%s\\n' \"" + name + " $*\" >> '" + dir + "/check-violations.log'\n"
                + "  echo 'iptables: Bad rule (does a matching rule exist in that chain?).' >&2\n  exit 1\n";
        var sb = new StringBuilder("#!/bin/sh\n# fwpolicy test shim for ").append(name).append('\n');
        sb.append("for a in \"$@\"; do\n  case \"$a\" in -C|--check)\n  ").append(violation).append("  ;; esac\ndone\n");
        sb.append("printf '%s\\n' \"").append(name).append(" $*\" >> '").append(dir).append("/calls.log'\n");
        if (!restore) return sb.append("exec '").append(real).append("' \"$@\"\n").toString();
        sb.append("tmp=$(mktemp)\ncat > \"$tmp\"\n");
        sb.append("if grep -qE '^(-C|--check)[[:space:]]' \"$tmp\"; then\n  rm -f \"$tmp\"\n  ").append(violation).append("fi\n");
        if (!beforeRestore.isEmpty()) sb.append(beforeRestore).append('\n');
        sb.append("'").append(real).append("' \"$@\" < \"$tmp\"\nrc=$?\nrm -f \"$tmp\"\nexit $rc\n");
        return sb.toString();
    }

    /**
     * The ipset wrapper: {@code ipset test} (as a command, or as a line of a restore payload)
     * is a violation and answers "not in set", the way a check-then-act bug would be fed.
     */
    private static String ipsetScript(Path dir, String real) {
        String violation = "printf '%s\\n' \"ipset $*\" >> '" + dir + "/check-violations.log'\n"
                + "  echo 'ipset: the element is NOT in set' >&2\n  exit 1\n";
        var sb = new StringBuilder("#!/bin/sh\n# fwpolicy test shim for ipset\n");
        sb.append("for a in \"$@\"; do\n  case \"$a\" in test|-T)\n  ").append(violation).append("  ;; esac\ndone\n");
        sb.append("printf '%s\\n' \"ipset $*\" >> '").append(dir).append("/calls.log'\n");
        sb.append("case \"$1\" in restore|-R) ;; *) exec '").append(real).append("' \"$@\" ;; esac\n");
        sb.append("tmp=$(mktemp)\ncat > \"$tmp\"\n");
        sb.append("if grep -qE '^[[:space:]]*(test|-T)[[:space:]]' \"$tmp\"; then\n  rm -f \"$tmp\"\n  ").append(violation).append("fi\n");
        sb.append("'").append(real).append("' \"$@\" < \"$tmp\"\nrc=$?\nrm -f \"$tmp\"\nexit $rc\n");
        return sb.toString();
    }

    /** A runner whose PATH starts with the shims (also inside {@code ip netns exec}). */
    public CommandRunner runner(Netns netns) {
        String path = dir + ":" + Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin");
        return new ProcessCommandRunner(Optional.of(path)).inNetns(netns.name());
    }

    /** The directory to put first on PATH (for a child process that builds its own runner). */
    public Path dir() {
        return dir;
    }

    public List<String> calls() {
        return lines("calls.log");
    }

    public List<String> checkViolations() {
        return lines("check-violations.log");
    }

    public void clearCalls() {
        try {
            Files.writeString(dir.resolve("calls.log"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> lines(String file) {
        try {
            return Files.readAllLines(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
