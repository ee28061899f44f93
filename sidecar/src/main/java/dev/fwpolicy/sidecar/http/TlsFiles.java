package dev.fwpolicy.sidecar.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;

/**
 * The PEM certificate chain and private key the API serves HTTPS with ({@code --tls-cert},
 * {@code --tls-key}). They are read as contents, not handed to Vert.x as paths, so a reload can
 * tell whether they changed: a Secret mounted as a volume is swapped in place by the kubelet,
 * and the sidecar picks the new pair up without a restart.
 *
 * @param reloadEvery how often the files are read again
 */
public record TlsFiles(Path cert, Path key, Duration reloadEvery) {

    public static final Duration DEFAULT_RELOAD = Duration.ofSeconds(5);

    /** The pair as read now (blocking). */
    public Pair read() {
        try {
            return new Pair(Files.readAllBytes(cert), Files.readAllBytes(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One reading of both files. */
    public record Pair(byte[] cert, byte[] key) {
        PemKeyCertOptions options() {
            return new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key));
        }

        /** A digest of both, to notice a change without keeping old key material around for comparison. */
        byte[] digest() {
            try {
                var md = MessageDigest.getInstance("SHA-256");
                md.update(cert);
                md.update((byte) 0);
                md.update(key);
                return md.digest();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        boolean sameAs(byte[] digest) {
            return Arrays.equals(digest(), digest);
        }
    }
}
