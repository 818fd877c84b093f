package dev.prowctl.relay;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for {@code ircs://}: which certificates to trust, and a handshake that verifies the server's hostname (an
 * {@link SSLSocket} made over a plain socket does not, unless asked). Kept out of the protocol code so that the
 * security-relevant part is short and in one place.
 */
public final class IrcTls {

    private IrcTls() {
    }

    /**
     * TLS that trusts the certificates in a PEM file (a private CA or a self-signed server certificate), with
     * hostname verification as usual.
     */
    public static SSLSocketFactory trusting(Path pemFile) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(pemFile)) {
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + index++, certificate);
            }
            if (index == 0) {
                throw new GeneralSecurityException("no certificate in " + pemFile);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    /**
     * Starts TLS over a connected socket and checks the server's certificate and hostname.
     *
     * @param factory null for the JVM's default trust store
     */
    static SSLSocket handshake(Socket plain, IrcTarget target, SSLSocketFactory factory) throws IOException {
        SSLSocketFactory tls = factory == null ? (SSLSocketFactory) SSLSocketFactory.getDefault() : factory;
        SSLSocket socket = (SSLSocket) tls.createSocket(plain, target.host(), target.port(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }
}
