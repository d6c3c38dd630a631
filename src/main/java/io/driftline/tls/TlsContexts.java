package io.driftline.tls;

import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@link SSLContext}s from store files, for every TLS connection Driftline makes or accepts
 * outside the Kafka clients (which configure their own): the schema registry client, the HTTP
 * API, and the API's requests to other instances.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * A context that presents {@code keyStore}'s key (a server's certificate, or a client's for
     * mutual TLS; null: none) and trusts the certificates of {@code trustStore} (null: the JVM's
     * trust store).
     *
     * @param keyPassword the key's password; null: the key store's
     * @throws ConfigException when a store or key cannot be read
     */
    public static SSLContext create(StoreFile keyStore, String keyPassword, StoreFile trustStore) {
        try {
            KeyManager[] keyManagers = null;
            if (keyStore != null) {
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String password = keyPassword != null ? keyPassword : keyStore.password();
                keys.init(keyStore.load(), password == null ? null : password.toCharArray());
                keyManagers = keys.getKeyManagers();
            }
            TrustManager[] trustManagers = null;
            if (trustStore != null) {
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trustStore.load());
                trustManagers = trust.getTrustManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot use the key of " + keyStore + ": " + e.getMessage());
        }
    }
}
