package io.jenkins.plugins.azureml.blob;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReconciliationSummaryTest {
    @Test
    void sumsTheReconciliationLinesOfTheLog() {
        String log = "Polling x\nListed 3 blob(s)\nReconciled: 0 change(s) fired by this listing that no event had fired.\n\n"
                + "Queue q: 1 message(s) received.\nEvents: fired 1\n\n"
                + "Polling x\nReconciled: 2 change(s) fired by this listing that no event had fired (events lost, ...).\n";
        ReconciliationSummary s = ReconciliationSummary.of(log).orElseThrow();
        assertThat(s).isEqualTo(new ReconciliationSummary(2, 2, 2));
        assertThat(s.text()).contains("last reconciliation listing fired 2 change(s)", "2 over the 2 listing(s)",
                "events missed these");
        assertThat(ReconciliationSummary.of("Reconciled: 0 change(s) fired\n").orElseThrow().text())
                .contains("events announced every change");
    }

    @Test
    void aLogWithoutPushModeHasNoSummary() {
        assertThat(ReconciliationSummary.of("Polling x\nNo changes.\n")).isEmpty();
    }
}
