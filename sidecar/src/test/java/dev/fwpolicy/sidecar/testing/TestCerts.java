package dev.fwpolicy.sidecar.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Self-signed certificates made with the openssl CLI, and clients that accept them (tests only). */
public final class TestCerts {
    private TestCerts() {}

    public record Pair(Path cert, Path key) {}

    /** A fresh EC key and a self-signed certificate for {@code cn}, as PEM files in {@code dir}. */
    public static Pair selfSigned(Path dir, String name, String cn) {
        var cert = dir.resolve(name + ".crt");
        var key = dir.resolve(name + ".key");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + cn, "-addext", "subjectAltName=IP:127.0.0.1");
        return new Pair(cert, key);
    }

    private static void run(String... argv) {
        try {
            var p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            var out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", argv) + ": " + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Trusts any certificate: these tests check which certificate is served, not a chain. */
    public static SSLContext trustAll() {
        try {
            var ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static HttpClient httpsClient() {
        var params = trustAll().getDefaultSSLParameters();
        params.setEndpointIdentificationAlgorithm(null);
        return HttpClient.newBuilder().sslContext(trustAll()).sslParameters(params).build();
    }

    /** The subject of the certificate a fresh TLS handshake with 127.0.0.1:{@code port} is shown. */
    public static String servedSubject(int port) {
        try (var socket = (SSLSocket) trustAll().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
