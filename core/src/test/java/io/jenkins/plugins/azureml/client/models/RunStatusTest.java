package io.jenkins.plugins.azureml.client.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class RunStatusTest {
    @ParameterizedTest
    @CsvSource({
        "NotStarted,NOT_STARTED", "notstarted,NOT_STARTED", "NOT_STARTED,NOT_STARTED", "Queued,QUEUED",
        "Preparing,PREPARING", "Provisioning,PROVISIONING", "Starting,STARTING", "RUNNING,RUNNING",
        "Finalizing,FINALIZING", "CancelRequested,CANCEL_REQUESTED", "Completed,COMPLETED", "Finished,COMPLETED",
        "Failed,FAILED", "Canceled,CANCELED", "Cancelled,CANCELED", "Unapproved,UNAPPROVED",
        "NotResponding,NOT_RESPONDING", "Pausing,PAUSING", "Paused,PAUSED",
        "0,NOT_STARTED", "1,RUNNING", "2,FAILED", "3,COMPLETED", "4,CANCELED",
        "5,UNKNOWN", "Hibernating,UNKNOWN", "'',UNKNOWN",
    })
    void parsesNamesAndStatusCodes(String text, RunStatus expected) {
        assertThat(RunStatus.parse(text)).isEqualTo(expected);
    }

    @Test
    void nullAndNumbersOutOfRange() {
        assertThat(RunStatus.parse(null)).isEqualTo(RunStatus.UNKNOWN);
        assertThat(RunStatus.fromStatusCode(3)).isEqualTo(RunStatus.COMPLETED);
        assertThat(RunStatus.fromStatusCode(-1)).isEqualTo(RunStatus.UNKNOWN);
    }

    @ParameterizedTest
    @EnumSource(RunStatus.class)
    void onlyCompletedFailedCanceledAreTerminalAndOnlyCompletedSucceeds(RunStatus status) {
        assertThat(status.isTerminal()).isEqualTo(status == RunStatus.COMPLETED || status == RunStatus.FAILED
                || status == RunStatus.CANCELED);
        assertThat(status.isSuccessful()).isEqualTo(status == RunStatus.COMPLETED);
        assertThat(RunStatus.parse(status.serviceName())).isEqualTo(status);
    }
}
