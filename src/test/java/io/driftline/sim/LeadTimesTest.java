package io.driftline.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadTimesTest {

    private static final Instant T0 = Instant.parse("2026-01-02T00:00:00Z");

    private static Instant hours(double hours) {
        return T0.plusMillis(Math.round(hours * 3_600_000));
    }

    private static SimulatedFailure failure(String device, double degradingAt, double failingAt) {
        return new SimulatedFailure(device, device.substring(0, 1), hours(degradingAt), hours(failingAt));
    }

    private static Alert alert(AlertKind kind, String device, double at) {
        return Alert.newBuilder().setAlertId(kind + ":" + device + ":" + at).setKind(kind).setSeverity(Severity.INFO)
                .setModelKey(device.substring(0, 1)).setDeviceId(device).setEventTime(hours(at)).setMessage("synthetic")
                .setDetails(Map.of()).build();
    }

    @Test
    void shouldMeasureEachKindFromItsFirstAlertWhileTheMachineDegraded() {
        LeadTimes leads = new LeadTimes();
        leads.alert(alert(AlertKind.FAILURE_RISK, "L-1", 9));
        leads.alert(alert(AlertKind.ANOMALY, "L-1", 6));
        leads.alert(alert(AlertKind.ANOMALY, "L-1", 4));
        leads.failure(failure("L-1", 2, 10));

        LeadTimes.Lead lead = leads.report().leads().get(0);

        assertThat(lead.anomaly()).isEqualTo(Duration.ofHours(6));
        assertThat(lead.risk()).isEqualTo(Duration.ofHours(1));
        assertThat(lead.lead()).isEqualTo(Duration.ofHours(6));
        assertThat(lead.share()).isEqualTo(0.75);
        assertThat(lead.missed()).isFalse();
        assertThat(leads.report().unmatched()).isEmpty();
    }

    @Test
    void shouldNotCountAlertsBeforeTheDegradationOrOfOtherDevicesOrKinds() {
        LeadTimes leads = new LeadTimes();
        leads.alert(alert(AlertKind.ANOMALY, "L-1", 1.999));
        leads.alert(alert(AlertKind.ANOMALY, "L-2", 5));
        leads.alert(alert(AlertKind.ANOMALY_CLEARED, "L-1", 5));
        leads.alert(alert(AlertKind.DEVICE_SILENT, "L-1", 5));
        leads.failure(failure("L-1", 2, 10));

        LeadTimes.Report report = leads.report();

        assertThat(report.leads().get(0).missed()).isTrue();
        assertThat(report.leads().get(0).lead()).isZero();
        assertThat(report.all().missed()).isEqualTo(1);
        assertThat(report.firstRaise()).containsOnly(Map.entry(AlertKind.ANOMALY, hours(1.999)));
        assertThat(report.unmatched()).containsOnly(Map.entry(AlertKind.ANOMALY, 2));
    }

    @Test
    void shouldCountAMissedFailureAsNoLeadInTheMedians() {
        LeadTimes leads = new LeadTimes();
        // Given out of order, as alerts read back from a topic may be.
        leads.failure(failure("M-3", 0, 8));
        leads.failure(failure("L-1", 0, 4));
        leads.failure(failure("L-2", 0, 12));
        leads.alert(alert(AlertKind.ANOMALY, "L-1", 1));
        leads.alert(alert(AlertKind.FAILURE_RISK, "L-2", 4));

        LeadTimes.Report report = leads.report();
        LeadTimes.Summary all = report.all();

        assertThat(report.leads()).extracting(lead -> lead.failure().deviceId()).containsExactly("L-1", "M-3", "L-2");
        assertThat(report.firstFailure()).isEqualTo(hours(4));
        assertThat(all.failures()).isEqualTo(3);
        assertThat(all.missed()).isEqualTo(1);
        // Leads 3 h, 0 and 8 h; shares 0.75, 0 and 0.67.
        assertThat(all.median()).isEqualTo(Duration.ofHours(3));
        assertThat(all.medianRisk()).isZero();
        assertThat(all.medianAnomaly()).isZero();
        assertThat(all.medianShare()).isEqualTo(8 / 12.0);
        assertThat(all.medianDegradation()).isEqualTo(Duration.ofHours(8));
        assertThat(report.byMachineType()).containsOnlyKeys("L", "M");
        LeadTimes.Summary l = report.byMachineType().get("L");
        assertThat(l.failures()).isEqualTo(2);
        assertThat(l.median()).isEqualTo(Duration.ofMinutes(330));
        assertThat(l.medianRisk()).isEqualTo(Duration.ofHours(4));
        assertThat(report.byMachineType().get("M").missed()).isEqualTo(1);
    }

    @Test
    void shouldReportNoFiguresWithoutFailures() {
        LeadTimes.Summary none = new LeadTimes().report().all();

        assertThat(none.failures()).isZero();
        assertThat(none.median()).isZero();
        assertThat(none.medianShare()).isNaN();
    }
}
