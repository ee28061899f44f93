package dev.fwpolicy.engine.dataplane;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands with {@link ProcessBuilder}: no shell, stdin fed and stdout/stderr drained on
 * their own threads (a 10,000-line payload or read-back would otherwise fill a pipe and
 * deadlock), killed when the timeout passes.
 *
 * <p>Binaries are found through PATH, never by absolute path, so an operator or a test can put
 * wrappers first. When {@code pathOverride} is given it is both searched for argv[0] (the JDK
 * itself would search the JVM's own PATH) and passed to the child, so tools the child execs
 * (e.g. {@code ip netns exec iptables-nft-save}) see it too.
 */
public final class ProcessCommandRunner implements CommandRunner {
    private final Optional<String> pathOverride;

    public ProcessCommandRunner() {
        this(Optional.empty());
    }

    public ProcessCommandRunner(Optional<String> pathOverride) {
        this.pathOverride = pathOverride;
    }

    @Override
    public CommandResult run(Command command) {
        var argv = new ArrayList<>(command.argv());
        String path = pathOverride.orElseGet(() -> Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin"));
        argv.set(0, resolve(argv.get(0), path));
        var pb = new ProcessBuilder(argv);
        pathOverride.ifPresent(p -> pb.environment().put("PATH", p));
        // Tools print localised messages otherwise, and the read-back parser matches English text.
        pb.environment().put("LC_ALL", "C");
        long start = System.nanoTime();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new DataplaneException("cannot start " + command.display() + ": " + e.getMessage(), e);
        }
        var stdout = drain(process.getInputStream());
        var stderr = drain(process.getErrorStream());
        var stdinDone = CompletableFuture.runAsync(() -> feed(process.getOutputStream(), command.stdin()), DAEMON_POOL);
        try {
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new DataplaneException("timed out after " + command.timeout() + ": " + command.display());
            }
            stdinDone.exceptionally(e -> null).get(5, TimeUnit.SECONDS);
            return new CommandResult(command, process.exitValue(), stdout.get(30, TimeUnit.SECONDS),
                    stderr.get(30, TimeUnit.SECONDS), Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DataplaneException("interrupted while running " + command.display(), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new DataplaneException("cannot collect output of " + command.display() + ": " + e, e);
        }
    }

    static String resolve(String program, String path) {
        if (program.contains("/")) return program;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            var candidate = new File(dir, program);
            if (candidate.isFile() && candidate.canExecute()) return candidate.getPath();
        }
        throw new DataplaneException("not found on PATH (" + path + "): " + program);
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                var buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                return buf.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, DAEMON_POOL);
    }

    private static void feed(OutputStream out, Optional<String> text) {
        try (out) {
            if (text.isPresent()) out.write(text.get().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The process exited without reading all of stdin; its exit code and stderr say why.
        }
    }

    /** Own threads: the common pool may be tiny on a 2-core pod and these block on I/O. */
    private static final java.util.concurrent.Executor DAEMON_POOL = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        var t = new Thread(r, "fwpolicy-process-io");
        t.setDaemon(true);
        return t;
    });
}
