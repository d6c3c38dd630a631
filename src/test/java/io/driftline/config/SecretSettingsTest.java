package io.driftline.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretSettingsTest {

    @Test
    void shouldTreatKafkasPasswordTypedKeysAsSecretWithTheKafkaPrefix() {
        assertThat(SecretSettings.isSecret("kafka.ssl.truststore.password")).isTrue();
        assertThat(SecretSettings.isSecret("kafka.ssl.keystore.password")).isTrue();
        assertThat(SecretSettings.isSecret("kafka.ssl.key.password")).isTrue();
        assertThat(SecretSettings.isSecret("kafka.ssl.keystore.key")).isTrue();
        assertThat(SecretSettings.isSecret("kafka.sasl.jaas.config")).isTrue();
    }

    @Test
    void shouldTreatKafkaStreamsClientPrefixedPasswordsAsSecret() {
        assertThat(SecretSettings.isSecret("kafka.producer.sasl.jaas.config")).isTrue();
        assertThat(SecretSettings.isSecret("kafka.main.consumer.ssl.truststore.password")).isTrue();
        assertThat(SecretSettings.isSecret("kafka.admin.ssl.key.password")).isTrue();
    }

    @Test
    void shouldTreatRegistryCredentialsAsSecret() {
        assertThat(SecretSettings.isSecret("basic.auth.user.info")).isTrue();
        assertThat(SecretSettings.isSecret("bearer.auth.token")).isTrue();
    }

    @Test
    void shouldTreatTheRegistrysAndTheHttpApisStorePasswordsAsSecret() {
        assertThat(SecretSettings.isSecret("schema.registry.ssl.truststore.password")).isTrue();
        assertThat(SecretSettings.isSecret("schema.registry.ssl.keystore.password")).isTrue();
        assertThat(SecretSettings.isSecret("schema.registry.ssl.key.password")).isTrue();
        assertThat(SecretSettings.isSecret(DriftlineConfig.HTTP_SSL_KEYSTORE_PASSWORD)).isTrue();
        assertThat(SecretSettings.isSecret(DriftlineConfig.HTTP_SSL_KEY_PASSWORD)).isTrue();
        assertThat(SecretSettings.isSecret(DriftlineConfig.HTTP_SSL_TRUSTSTORE_PASSWORD)).isTrue();
        assertThat(SecretSettings.isSecret("schema.registry.ssl.truststore.location")).isFalse();
        assertThat(SecretSettings.isSecret(DriftlineConfig.HTTP_SSL_KEYSTORE_LOCATION)).isFalse();
    }

    @Test
    void shouldShowSettingsThatAreNotSecrets() {
        assertThat(SecretSettings.isSecret("kafka.security.protocol")).isFalse();
        assertThat(SecretSettings.isSecret("kafka.sasl.mechanism")).isFalse();
        assertThat(SecretSettings.isSecret("kafka.ssl.truststore.location")).isFalse();
        assertThat(SecretSettings.isSecret("kafka.sasl.oauthbearer.token.endpoint.url")).isFalse();
        assertThat(SecretSettings.isSecret("basic.auth.credentials.source")).isFalse();
        assertThat(SecretSettings.isSecret(DriftlineConfig.LEARNER)).isFalse();
        assertThat(SecretSettings.shown("kafka.security.protocol", "SASL_SSL")).isEqualTo("SASL_SSL");
    }

    @Test
    void shouldTreatUnknownKeysNamedLikeSecretsAsSecret() {
        assertThat(SecretSettings.isSecret("kafka.custom.login.client.secret")).isTrue();
        assertThat(SecretSettings.isSecret("vault.password")).isTrue();
        assertThat(SecretSettings.isSecret("kafka.custom.login.realm")).isFalse();
    }

    @Test
    void shouldHideSecretsAndRegistryUrlCredentials() {
        assertThat(SecretSettings.shown("kafka.ssl.truststore.password", "changeit")).isEqualTo("[hidden]");
        assertThat(SecretSettings.shown(DriftlineConfig.SCHEMA_REGISTRY_URL,
                "https://svc:pa55@registry-a:8081,https://svc:pa55@registry-b:8081"))
                .isEqualTo("https://[hidden]@registry-a:8081,https://[hidden]@registry-b:8081");
    }
}
