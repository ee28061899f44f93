package dev.fwpolicy.sidecar.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 spoken by hand over a socket: what a hostile or broken client sends (odd method
 * names, requests pipelined by the thousand, a request line and a header and then silence),
 * which java.net.http would refuse to send.
 */
public final class RawHttp {
    private RawHttp() {}

    /** A socket to 127.0.0.1:{@code port} from the loopback address {@code from} (127.0.0.2 is another client). */
    public static Socket connect(String from, int port) {
        try {
            var s = new Socket();
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5000);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code count} pipelined requests on one connection (written while the answers are
     * read, so neither side's buffers fill up) and returns how many status lines came back.
     */
    public static int pipeline(int port, int count, java.util.function.IntFunction<String> request) throws Exception {
        try (var s = connect("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            var in = s.getInputStream();
            var counted = CompletableFuture.supplyAsync(() -> countStatusLines(in, count));
            OutputStream out = s.getOutputStream();
            var batch = new StringBuilder();
            for (int i = 0; i < count; i++) {
                batch.append(request.apply(i));
                if (batch.length() > 16_384 || i == count - 1) {
                    out.write(batch.toString().getBytes(StandardCharsets.ISO_8859_1));
                    batch.setLength(0);
                }
            }
            out.flush();
            return counted.get();
        }
    }

    private static int countStatusLines(InputStream in, int expected) {
        byte[] marker = "HTTP/1.1 ".getBytes(StandardCharsets.ISO_8859_1);
        int seen = 0;
        int matched = 0;
        try {
            int b;
            while (seen < expected && (b = in.read()) != -1) {
                matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
                if (matched == marker.length) {
                    seen++;
                    matched = 0;
                }
            }
        } catch (IOException e) {
            // the count so far is the answer
        }
        return seen;
    }

    /** Whether the server has closed the connection: a read returns end of stream (or a reset) within {@code waitMillis}. */
    public static boolean closedByServer(Socket s, int waitMillis) {
        try {
            s.setSoTimeout(waitMillis);
            var in = s.getInputStream();
            var sink = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) sink.write(b); // an error response, then the close
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** A request line and one header, then nothing: the start of a request that never completes. */
    public static void startRequest(Socket s) {
        try {
            s.getOutputStream().write("GET /v1/status HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
