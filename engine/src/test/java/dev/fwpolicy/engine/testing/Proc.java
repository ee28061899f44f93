package dev.fwpolicy.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an argv (never a shell) with a timeout; a non-zero exit is an exception carrying stderr. */
public final class Proc {
    private Proc() {}

    public record Result(int exit, String stdout, String stderr) {}

    public static String run(List<String> argv, String stdin) {
        var r = tryRun(argv, stdin);
        if (r.exit != 0) {
            throw new IllegalStateException("exit " + r.exit + " from " + String.join(" ", argv) + "\nstderr: " + r.stderr
                    + (stdin == null ? "" : "\nstdin:\n" + stdin));
        }
        return r.stdout;
    }

    public static Result tryRun(List<String> argv, String stdin) {
        try {
            var p = new ProcessBuilder(argv).start();
            if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            var out = p.getInputStream().readAllBytes();
            var err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", argv));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", argv), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", argv), e);
        }
    }
}
