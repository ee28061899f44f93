package dev.fwpolicy.sidecar.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.X509KeyManager;

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

        /**
         * Fails unless the key belongs to the first certificate. The two files are renamed into
         * place one after the other when a certificate is rotated by hand or by a tool that does
         * not swap a directory; a tick that reads between the two renames would otherwise serve
         * the new key with the old certificate, and every handshake would fail until the next
         * tick. Checked by signing with the key and verifying with the certificate's public key.
         */
        void requireMatchingKey(Vertx vertx) throws Exception {
            var managers = options().getKeyManagerFactory(vertx).getKeyManagers();
            var km = Arrays.stream(managers).filter(X509KeyManager.class::isInstance).map(X509KeyManager.class::cast)
                    .findFirst().orElseThrow(() -> new GeneralSecurityException("no X.509 key manager for the pair"));
            for (String type : List.of("RSA", "EC", "EdDSA", "Ed25519", "Ed448", "DSA", "RSASSA-PSS")) {
                String[] aliases = km.getServerAliases(type, null);
                if (aliases == null) continue;
                for (String alias : aliases) {
                    var chain = km.getCertificateChain(alias);
                    var key = km.getPrivateKey(alias);
                    if (chain == null || chain.length == 0 || key == null) continue;
                    if (!signsFor(key, chain[0].getPublicKey())) {
                        throw new GeneralSecurityException("the private key does not belong to the certificate "
                                + chain[0].getSubjectX500Principal().getName());
                    }
                }
            }
        }

        private static boolean signsFor(PrivateKey key, PublicKey certified) throws GeneralSecurityException {
            Optional<String> algorithm = switch (key.getAlgorithm()) {
                case "RSA" -> Optional.of("SHA256withRSA");
                case "EC" -> Optional.of("SHA256withECDSA");
                case "EdDSA", "Ed25519", "Ed448" -> Optional.of(key.getAlgorithm());
                case "DSA" -> Optional.of("SHA256withDSA");
                default -> Optional.empty(); // no check we can make here: the server's own load decides
            };
            if (algorithm.isEmpty()) return true;
            if (!key.getAlgorithm().equals(certified.getAlgorithm())) return false;
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            var signer = Signature.getInstance(algorithm.get());
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            var verifier = Signature.getInstance(algorithm.get());
            verifier.initVerify(certified);
            verifier.update(challenge);
            return verifier.verify(signature);
        }
    }
}
