#!/usr/bin/python3
"""Reads Driftline's predictions and alerts from Python.

Uses confluent-kafka-python's legacy Avro API (``confluent_kafka.avro``): each value's writer
schema is fetched from the registry by the id in its Confluent wire-format header. Reads committed
records only (Driftline writes exactly once, in transactions). Prints the alerts as they come.

With ``--expect FILE`` (producer.py's ``--sent``), waits until every reading listed there has its
prediction, or ``--timeout`` passes; exits 0 only if each got exactly one. The last line printed
is a JSON summary.
"""
import argparse
import json
import os
import sys
import time

from confluent_kafka import Consumer, KafkaError
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--registry-url", default="http://127.0.0.1:8081/apis/ccompat/v7")
    parser.add_argument("--predictions-topic", default="predictions")
    parser.add_argument("--alerts-topic", default="alerts")
    parser.add_argument("--expect", help="readings to wait for: device id TAB sequence per line")
    parser.add_argument("--timeout", type=float, default=60, help="seconds (default: %(default)s)")
    parser.add_argument("--quiet", action="store_true", help="do not print the alerts")
    return parser.parse_args()


def main():
    args = parse_args()
    expected = set()
    if args.expect:
        with open(args.expect, encoding="utf-8") as lines:
            for line in lines:
                device, sequence = line.rstrip("\n").split("\t")
                expected.add((device, int(sequence)))
    serializer = MessageSerializer(CachedSchemaRegistryClient({"url": args.registry_url}))
    consumer = Consumer({"bootstrap.servers": args.bootstrap_servers,
                         "group.id": "driftline-python-example-%d" % os.getpid(),
                         "auto.offset.reset": "earliest", "enable.auto.commit": False,
                         "isolation.level": "read_committed"})
    consumer.subscribe([args.predictions_topic, args.alerts_topic])
    predicted = {}
    alerts = {}
    deadline = time.monotonic() + args.timeout
    try:
        while time.monotonic() < deadline and not (expected and expected.issubset(predicted)):
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                if message.error().code() != KafkaError._PARTITION_EOF:
                    print("consumer error: %s" % message.error(), file=sys.stderr)
                continue
            value = serializer.decode_message(message.value())
            if message.topic() == args.predictions_topic:
                key = (value["deviceId"], value["sequence"])
                predicted[key] = predicted.get(key, 0) + 1
            else:
                alerts[value["kind"]] = alerts.get(value["kind"], 0) + 1
                if not args.quiet:
                    print("%s %-8s %-20s %s" % (value["eventTime"].isoformat(), value["severity"], value["kind"],
                                                value["message"]))
    finally:
        consumer.close()
    missing = sorted(expected - predicted.keys())
    duplicated = sorted(key for key in expected if predicted.get(key, 0) > 1)
    summary = {"predictions": sum(predicted.values()), "expected": len(expected),
               "expected_predicted": len(expected) - len(missing), "missing": len(missing),
               "duplicated": len(duplicated), "first_missing": ["%s/%d" % key for key in missing[:5]],
               "alerts": alerts}
    print(json.dumps(summary))
    return 0 if not missing and not duplicated else 1


if __name__ == "__main__":
    sys.exit(main())
