#!/usr/bin/python3
"""Produces sensor readings and maintenance events for Driftline from Python.

Uses confluent-kafka-python's legacy Avro API (``confluent_kafka.avro``), the one Debian's
packages support (``apt-get install python3-confluent-kafka python3-avro python3-requests``):
values are Avro in the Confluent wire format, registered under ``<topic>-value`` with the
schemas of the repository's ``schemas/`` directory; keys are the device ids as UTF-8.

A small fleet of machines reports every ``--interval`` seconds of event time; machine 0 degrades,
fails and is repaired, so that its readings get failure labels. Every reading the broker
acknowledged is written to ``--sent`` (device id and sequence, tab-separated) for consumer.py to
check. The last line printed is a JSON summary.
"""
import argparse
import datetime
import json
import math
import pathlib
import random
import sys

from confluent_kafka import Producer
from confluent_kafka.avro import CachedSchemaRegistryClient, load
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

SCHEMAS = pathlib.Path(__file__).resolve().parents[2] / "schemas"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--registry-url", default="http://127.0.0.1:8081/apis/ccompat/v7")
    parser.add_argument("--readings-topic", default="sensor-readings")
    parser.add_argument("--maintenance-topic", default="maintenance-events")
    parser.add_argument("--devices", type=int, default=10, help="machines (default: %(default)s)")
    parser.add_argument("--readings", type=int, default=100, help="readings per machine (default: %(default)s)")
    parser.add_argument("--machine-types", default="L,M,H", help="assigned round robin (default: %(default)s)")
    parser.add_argument("--start", default="2026-01-01T00:00:00+00:00", help="event time of the first readings")
    parser.add_argument("--interval", type=float, default=60, help="seconds of event time between readings")
    parser.add_argument("--sent", help="file listing every acknowledged reading: device id TAB sequence")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def reading(device, machine_type, sequence, time, degradation, rng):
    """One SensorReading as the Avro schema has it; timestamp-millis wants an aware datetime."""
    return {
        "deviceId": device,
        "machineType": machine_type,
        "eventTime": time,
        "sequence": sequence,
        "sensors": {
            "temperature_c": 60.0 + 15.0 * degradation + rng.gauss(0, 1.0),
            "vibration_mm_s": 2.0 + 6.0 * degradation + rng.gauss(0, 0.2),
            "rotational_speed_rpm": 1500.0 - 200.0 * degradation + rng.gauss(0, 20.0),
        },
        "attributes": {"firmware": "v1"},
        "label": None,
        "tags": {"producer": "examples/python"},
    }


def maintenance(device, kind, time, description):
    return {"deviceId": device, "eventTime": time, "kind": kind, "component": "spindle", "description": description}


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    types = args.machine_types.split(",")
    start = datetime.datetime.fromisoformat(args.start)
    interval = datetime.timedelta(seconds=args.interval)
    registry = CachedSchemaRegistryClient({"url": args.registry_url})
    serializer = MessageSerializer(registry)
    reading_schema = load(str(SCHEMAS / "SensorReading.avsc"))
    maintenance_schema = load(str(SCHEMAS / "MaintenanceEvent.avsc"))
    producer = Producer({"bootstrap.servers": args.bootstrap_servers, "enable.idempotence": True, "acks": "all",
                         "linger.ms": 5})

    acknowledged = []
    failures = []

    def delivered(reading_id=None):
        """A delivery callback; the readings' remember which reading the broker acknowledged."""
        def callback(error, message):
            if error is not None:
                failures.append(str(error))
            elif reading_id is not None:
                acknowledged.append(reading_id)
        return callback

    # Machine 0 degrades over the last quarter of its readings, fails, and is repaired.
    failure_at = args.readings * 3 // 4
    events = 0
    for i in range(args.readings):
        time = start + i * interval
        for d in range(args.devices):
            device = "py-%s-%03d" % (types[d % len(types)], d)
            degradation = max(0.0, (i - failure_at * 0.75) / (failure_at * 0.25)) if d == 0 and i < failure_at else 0.0
            value = serializer.encode_record_with_schema(args.readings_topic, reading_schema,
                                                         reading(device, types[d % len(types)], i + 1, time,
                                                                 min(degradation, 1.0), rng))
            producer.produce(args.readings_topic, key=device.encode("utf-8"), value=value,
                             timestamp=int(time.timestamp() * 1000), on_delivery=delivered((device, i + 1)))
            if d == 0 and i + 1 == failure_at:
                for kind, offset, text in (("FAILURE", 1, "spindle seized"), ("REPAIR", 2, "spindle replaced")):
                    when = time + offset * interval / 3
                    producer.produce(args.maintenance_topic, key=device.encode("utf-8"),
                                     value=serializer.encode_record_with_schema(args.maintenance_topic, maintenance_schema,
                                                                                maintenance(device, kind, when, text)),
                                     timestamp=int(when.timestamp() * 1000), on_delivery=delivered())
                    events += 1
                # Written before any later reading: Kafka Streams puts the records of its two input
                # topics in timestamp order only among those it has fetched, and a maintenance event
                # that reaches Driftline after readings more than label.grace.ms newer is LATE_EVENT.
                producer.flush(60)
            producer.poll(0)
    left = producer.flush(60)
    expected = args.devices * args.readings
    if args.sent:
        with open(args.sent, "w", encoding="utf-8") as sent:
            for device, sequence in acknowledged:
                sent.write("%s\t%d\n" % (device, sequence))
    summary = {"readings": len(acknowledged), "maintenance_events": events, "not_delivered": left + len(failures),
               "errors": failures[:5]}
    print(json.dumps(summary))
    return 0 if len(acknowledged) == expected and left == 0 and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
