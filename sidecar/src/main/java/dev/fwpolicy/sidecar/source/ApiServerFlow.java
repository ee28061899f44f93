package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.eval.MustPassFlow;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The flow a ConfigMap-driven sidecar cannot live without: outbound TCP from the pod to the API
 * server, which brings every next policy. A policy that blocks it could never be replaced through
 * the ConfigMap, so {@code serve --configmap} makes it a must-pass flow by itself.
 *
 * <p>Where the API server is: in a pod, the kubelet's {@code KUBERNETES_SERVICE_HOST} and
 * {@code KUBERNETES_SERVICE_PORT} (an IP literal, IPv6 in a v6 cluster; it is the service address
 * the pod's own OUTPUT chain sees, since the node translates it only later); outside a pod, the
 * client's master URL (a kubeconfig), whose host name is resolved once at start.
 */
public final class ApiServerFlow {
    public static final String ORIGIN = "api-server";

    private ApiServerFlow() {}

    /**
     * @param flows the must-pass flows to the API server, one per address; none when it cannot be told
     * @param how   where the address came from, or why there is none (for the log)
     */
    public record Found(List<MustPassFlow> flows, String how) {}

    public static Found of(Map<String, String> env, String masterUrl) {
        String host = env.getOrDefault("KUBERNETES_SERVICE_HOST", "").strip();
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "").strip();
        String how;
        if (!host.isEmpty() && !port.isEmpty()) {
            how = "KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT";
        } else {
            URI uri;
            try {
                uri = URI.create(masterUrl == null ? "" : masterUrl.strip());
            } catch (IllegalArgumentException e) {
                return new Found(List.of(), "the API server's address is unknown (no KUBERNETES_SERVICE_HOST, master URL '"
                        + masterUrl + "')");
            }
            if (uri.getHost() == null) {
                return new Found(List.of(), "the API server's address is unknown (no KUBERNETES_SERVICE_HOST, master URL '"
                        + masterUrl + "')");
            }
            host = uri.getHost();
            port = String.valueOf(uri.getPort() != -1 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443);
            how = "the client's master URL " + masterUrl;
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        var addresses = new ArrayList<String>();
        if (isLiteral(host)) {
            addresses.add(host);
        } else {
            try {
                for (var a : InetAddress.getAllByName(host)) addresses.add(a.getHostAddress());
            } catch (UnknownHostException e) {
                return new Found(List.of(), "the API server's name " + host + " does not resolve");
            }
        }
        var flows = new ArrayList<MustPassFlow>();
        for (var address : addresses) {
            var diagnostics = new Diagnostics();
            // The words of an expect line take a bare IPv6 address before 'port'.
            Optional<MustPassFlow> flow = MustPassFlow.read(ORIGIN, "outbound tcp to " + address + " port " + port, diagnostics);
            if (flow.isEmpty()) {
                return new Found(List.of(), "the API server's address " + address + " port " + port + " is not a flow: "
                        + diagnostics.sorted().get(0).message());
            }
            flows.add(flow.get());
        }
        return new Found(flows, how);
    }

    /** An IPv4 or IPv6 literal: never looked up (InetAddress would resolve a name). */
    private static boolean isLiteral(String host) {
        return host.matches("[0-9.]+") && host.chars().filter(c -> c == '.').count() == 3 || host.contains(":");
    }
}
