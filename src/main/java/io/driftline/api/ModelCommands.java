package io.driftline.api;

import io.driftline.avro.ModelCommand;
import io.driftline.topology.Topic;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes operators' commands to the commands topic, where the topology picks them up in order with the model's inputs. */
public final class ModelCommands implements AutoCloseable {

    private final KafkaProducer<String, ModelCommand> producer;
    private final String topic;

    public ModelCommands(Map<String, Object> clientSettings, Topic<String, ModelCommand> commands) {
        Properties props = new Properties();
        props.putAll(clientSettings);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(props, commands.keySerde().serializer(), commands.valueSerde().serializer());
        this.topic = commands.name();
    }

    /** Sends {@code command} and waits until the broker has it: the caller's 202 means it will be applied. */
    public void send(ModelCommand command) {
        try {
            producer.send(new ProducerRecord<>(topic, command.getModelKey(), command)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ModelDirectory.Unavailable("cannot write the command to " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelDirectory.Unavailable("interrupted", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
