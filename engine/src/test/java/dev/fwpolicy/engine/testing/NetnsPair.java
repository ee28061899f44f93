package dev.fwpolicy.engine.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two throw-away network namespaces, "server" and "client", joined by a veth pair that is
 * created directly inside them (nothing ever appears in the host's namespace). Deleted on
 * {@link #close()} and, should the JVM die first, by a shutdown hook.
 */
public final class NetnsPair implements AutoCloseable {
    public final String server;
    public final String client;
    private final List<Process> agents = new ArrayList<>();
    private final Thread hook;
    private boolean closed;

    public NetnsPair() {
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        server = "fwp-test-" + tag + "-s";
        client = "fwp-test-" + tag + "-c";
        hook = new Thread(this::deleteQuietly);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Proc.run(List.of("ip", "netns", "add", server), null);
            Proc.run(List.of("ip", "netns", "add", client), null);
            Proc.run(List.of("ip", "link", "add", "fwps", "netns", server, "type", "veth", "peer", "name", "fwpc",
                    "netns", client), null);
            for (var ns : List.of(server, client)) {
                Proc.run(List.of("ip", "-n", ns, "link", "set", "lo", "up"), null);
                // No router advertisements or DAD noise: addresses are usable at once. No ICMP
                // error rate limit: REJECT answers every refused packet, however many per second.
                Proc.run(List.of("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_ra=0",
                        "net.ipv6.conf.default.dad_transmits=0", "net.ipv4.icmp_ratelimit=0",
                        "net.ipv6.icmp.ratelimit=0"), null);
            }
            Proc.run(List.of("ip", "-n", server, "link", "set", "fwps", "up"), null);
            Proc.run(List.of("ip", "-n", client, "link", "set", "fwpc", "up"), null);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Runs {@code ip -batch} inside a namespace: many address and route changes in one exec. */
    public void ipBatch(String ns, List<String> commands) {
        Proc.run(List.of("ip", "-n", ns, "-batch", "-"), String.join("\n", commands) + "\n");
    }

    public String exec(String ns, String stdin, String... argv) {
        var cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(argv));
        return Proc.run(cmd, stdin);
    }

    /** A long-running helper inside a namespace; killed on close. */
    public Agent agent(String ns, Path script, String... args) {
        var cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "python3", "-u", script.toString()));
        cmd.addAll(List.of(args));
        try {
            var p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            agents.add(p);
            return new Agent(p);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start " + cmd, e);
        }
    }

    public static final class Agent {
        private final Process process;
        private final BufferedReader out;
        private final Writer in;

        Agent(Process p) {
            process = p;
            out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        }

        public String request(String line) {
            try {
                in.write(line + "\n");
                in.flush();
                return readLine();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("agent died", e);
            }
        }

        public String readLine() {
            try {
                String line = out.readLine();
                if (line == null) throw new IllegalStateException("agent exited with " + process.waitFor());
                return line;
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException("agent died", e);
            }
        }
    }

    @Override
    public void close() {
        deleteQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or ran.
        }
    }

    private synchronized void deleteQuietly() {
        if (closed) return;
        closed = true;
        for (var p : agents) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (var p : agents) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Proc.tryRun(List.of("ip", "netns", "del", server), null);
        Proc.tryRun(List.of("ip", "netns", "del", client), null);
    }
}
