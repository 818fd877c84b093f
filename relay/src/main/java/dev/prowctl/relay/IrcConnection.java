package dev.prowctl.relay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLSocketFactory;

/**
 * One TCP (or TLS) connection to an IRC server, as lines. Every command the relay sends passes through
 * {@link #send}, which is why the last guard against CR/LF injection and over-long lines sits here.
 */
final class IrcConnection implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** Servers PING idle clients every few minutes: this long without a byte means the connection is dead. */
    private static final int READ_TIMEOUT_MILLIS = 300_000;

    private final Socket socket;
    private final OutputStream out;
    private final BufferedReader reader;

    private IrcConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Connects to the target, with TLS for {@code ircs://} ({@code tls} null: the JVM's default trust). */
    static IrcConnection open(IrcTarget target, SSLSocketFactory tls) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(target.host(), target.port()), CONNECT_TIMEOUT_MILLIS);
            plain.setSoTimeout(READ_TIMEOUT_MILLIS);
            plain.setTcpNoDelay(true);
            return new IrcConnection(target.tls() ? IrcTls.handshake(plain, target, tls) : plain);
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }

    /** The next line from the server, or null when it closed the connection. */
    String readLine() throws IOException {
        return reader.readLine();
    }

    /** Writes one command; CR, LF and NUL were already removed, this is the last guard. */
    void send(String line) throws IOException {
        byte[] bytes = IrcText.sanitize(line).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > IrcText.MAX_LINE_BYTES) {
            throw new IllegalStateException("IRC line over " + IrcText.MAX_LINE_BYTES + " bytes");
        }
        byte[] framed = new byte[bytes.length + 2];
        System.arraycopy(bytes, 0, framed, 0, bytes.length);
        framed[bytes.length] = '\r';
        framed[bytes.length + 1] = '\n';
        synchronized (this) {
            out.write(framed);
            out.flush();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Already gone.
        }
    }
}
