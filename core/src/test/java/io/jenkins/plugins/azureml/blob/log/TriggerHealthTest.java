package io.jenkins.plugins.azureml.blob.log;

import static io.jenkins.plugins.azureml.blob.log.PollEntries.changes;
import static io.jenkins.plugins.azureml.blob.log.PollEntries.failed;
import static io.jenkins.plugins.azureml.blob.log.PollEntries.notPolled;
import static io.jenkins.plugins.azureml.blob.log.PollEntries.quiet;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerHealthTest {
    @Test
    void countsFailuresInARowFromTheFirstOne() {
        TriggerHealth h = TriggerHealth.of(List.of(quiet("2026-12-01T14:00:00Z"),
                failed("2026-12-01T14:05:00Z", "HTTP 503"), notPolled("2026-12-01T14:10:00Z", "no credential"),
                notPolled("2026-12-01T14:15:00Z", "no credential 'x'")));
        assertThat(h.failing()).isTrue();
        assertThat(h.consecutiveFailures()).isEqualTo(3);
        assertThat(h.firstFailure()).isEqualTo(Instant.parse("2026-12-01T14:05:00Z"));
        assertThat(h.lastFailure()).isEqualTo(Instant.parse("2026-12-01T14:15:00Z"));
        assertThat(h.lastError()).isEqualTo("no credential 'x'");
        assertThat(h.lastSuccess()).isEqualTo(Instant.parse("2026-12-01T14:00:00Z"));
        assertThat(h.describe(ZoneId.of("UTC"))).isEqualTo("The last 3 Azure Blob polls failed, since "
                + "2026-12-01 14:05:00; last successful poll 2026-12-01 14:00:00. New blobs are found by the first "
                + "poll that succeeds. Last error: no credential 'x'");
    }

    @Test
    void oneGoodPollClearsTheStreakButKeepsTheLastError() {
        TriggerHealth h = TriggerHealth.of(List.of(failed("2026-12-01T14:05:00Z", "HTTP 503"),
                changes("2026-12-01T14:10:00Z", "a.csv")));
        assertThat(h.failing()).isFalse();
        assertThat(h.consecutiveFailures()).isZero();
        assertThat(h.lastError()).isEqualTo("HTTP 503");
        assertThat(h.describe(ZoneId.of("UTC"))).isEmpty();
    }

    @Test
    void aTriggerThatNeverWorkedSaysSo() {
        TriggerHealth h = TriggerHealth.UNKNOWN.after(notPolled("2026-12-01T14:05:00Z", "bad\u202Ename"));
        assertThat(h.describe(ZoneId.of("UTC"))).contains("The last Azure Blob poll failed (2026-12-01 14:05:00)",
                "no poll in the log has succeeded", "bad\\u202Ename");
        assertThat(TriggerHealth.of(List.of())).isEqualTo(TriggerHealth.UNKNOWN);
    }
}
