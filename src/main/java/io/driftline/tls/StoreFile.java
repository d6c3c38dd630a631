package io.driftline.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * A key store or trust store file, as Kafka's and Confluent's {@code ssl.*store.*} settings name
 * one. {@link #toString()} shows no password.
 *
 * @param password null when the store has none (a trust store may be read without)
 * @param type     a {@link KeyStore} type, e.g. JKS or PKCS12 (the JDK reads either format as either type)
 */
public record StoreFile(Path location, String password, String type) {

    /**
     * The store named by three settings of {@code config} (location, password, type), or null when
     * its location is empty.
     */
    public static StoreFile configured(AbstractConfig config, String location, String password, String type) {
        if (config.getString(location).isBlank()) {
            return null;
        }
        Password secret = config.getPassword(password);
        return new StoreFile(Path.of(config.getString(location)), secret == null ? null : secret.value(),
                config.getString(type));
    }

    KeyStore load() {
        try (InputStream in = Files.newInputStream(location)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("Cannot read the " + type + " store " + location + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return type + " store " + location;
    }
}
