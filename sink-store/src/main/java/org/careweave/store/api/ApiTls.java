package org.careweave.store.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for the query API, and for the operations endpoints of the other components (same setting): TLS 1.2 or 1.3
 * with the API's own certificate, as MLLP over TLS has.
 */
final class ApiTls {

    private ApiTls() {
    }

    static Connector connector(Server server, HttpConfiguration http, ApiConfig.Tls tls, String host, int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        // Loaded here rather than by path so that a wrong password or a missing file stops the start with its cause.
        ssl.setKeyStore(load(tls));
        ssl.setKeyStorePassword(tls.keyStorePassword());
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(http);
        // Clients reach the API by whatever name the deployment gives it (an ingress, a service name, an address);
        // they check the certificate against that name themselves.
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    private static KeyStore load(ApiConfig.Tls tls) {
        try (InputStream in = Files.newInputStream(tls.keyStore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, tls.keyStorePassword().toCharArray());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the API's key store " + tls.keyStore() + " ("
                    + e.getClass().getSimpleName() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The API's key store " + tls.keyStore() + " is not a PKCS#12 key store"
                    + " this password opens (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
