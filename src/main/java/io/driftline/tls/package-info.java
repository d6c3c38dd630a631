/** TLS material (key and trust stores) for the registry client and the HTTP API; the Kafka clients configure their own. */
package io.driftline.tls;
