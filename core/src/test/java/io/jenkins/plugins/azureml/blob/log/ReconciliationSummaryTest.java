package io.jenkins.plugins.azureml.blob.log;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReconciliationSummaryTest {
    static PollEntry reconciliation(String at, int reconciled, String error) {
        return new PollEntry(Instant.parse(at), 10, error == null ? PollEntry.Outcome.OK : PollEntry.Outcome.FAILED,
                PollEntries.TARGET, 0, null, 3, 3, 1, List.of(), reconciled, 0, reconciled, false, List.of(),
                List.of(), error, PollEntry.Kind.RECONCILIATION, reconciled, 0);
    }

    static PollEntry events(String at) {
        return PollEntry.events(Instant.parse(at), 5, "https://acct.queue.core.windows.net/q",
                List.of(new PollEntry.Change("incoming", "data/a.csv", "0x1", 3, null)), false,
                List.of("Events: fired 1"), null);
    }

    @Test
    void sumsTheCompletedReconciliationListingsOfTheLog() {
        List<PollEntry> log = List.of(PollEntries.quiet("2025-01-01T00:00:00Z"),
                reconciliation("2025-01-01T01:00:00Z", 0, null), events("2025-01-01T01:10:00Z"),
                reconciliation("2025-01-01T01:30:00Z", 5, "listing failed"),
                reconciliation("2025-01-01T02:00:00Z", 2, null));
        ReconciliationSummary s = ReconciliationSummary.of(log).orElseThrow();
        assertThat(s).isEqualTo(new ReconciliationSummary(2, 2, 2));
        assertThat(s.text()).isEqualTo("Push mode: the last 2 reconciliation listings built 2 blobs that no event had"
                + " announced, 2 of them in the last listing.");
        assertThat(s.eventsMissedChanges()).isTrue();
        ReconciliationSummary clean = ReconciliationSummary.of(List.of(reconciliation("2025-01-01T01:00:00Z", 0,
                null))).orElseThrow();
        assertThat(clean.text()).isEqualTo("Push mode: events announced every change the last reconciliation "
                + "listing found.");
        assertThat(clean.eventsMissedChanges()).isFalse();
        assertThat(new ReconciliationSummary(1, 1, 1).text()).isEqualTo("Push mode: the last reconciliation listing "
                + "built 1 blob that no event had announced.");
    }

    @Test
    void aLogWithoutPushModeHasNoSummary() {
        assertThat(ReconciliationSummary.of(List.of(PollEntries.quiet("2025-01-01T00:00:00Z"),
                PollEntries.changes("2025-01-01T00:10:00Z", "a.csv")))).isEmpty();
    }

    @Test
    void pushModeFieldsRoundTripAndShowOnThePageAndInTheText() throws Exception {
        PollEntry r = reconciliation("2025-01-01T02:00:00Z", 2, null);
        PollEntry withFired = new PollEntry(r.started(), 10, PollEntry.Outcome.OK, r.target(), 0, null, 3, 3, 1,
                List.of(), 3, 0, 2, false, List.of(), List.of(), null, PollEntry.Kind.RECONCILIATION, 2, 1);
        PollEntry ev = events("2025-01-01T01:10:00Z");
        for (PollEntry e : List.of(withFired, ev)) {
            assertThat(PollEntryCodec.decode(PollEntryCodec.encode(e))).isEqualTo(e);
        }
        String text = PollEntryText.render(List.of(ev, withFired));
        assertThat(text).contains("Events from queue https://acct.queue.core.windows.net/q at",
                "1 change(s) fired by events:", "data/a.csv",
                "1 of these were fired by events during the listing; not fired again.",
                "Reconciled: 2 change(s) fired by this listing that no event had fired (events lost, late or "
                        + "filtered out by the subscription).");
        PollingLogView view = PollingLogView.of(List.of(ev, withFired), java.time.ZoneOffset.UTC,
                Instant.parse("2025-01-01T03:00:00Z"), null, (c, n, e) -> null);
        assertThat(view.getSummary().getPushMode()).contains("the last reconciliation listing built 2 blobs");
        assertThat(view.getSummary().getLastPoll()).startsWith("2025-01-01 02:00:00");
        assertThat(view.getRows()).hasSize(2);
        assertThat(view.getRows().get(0).getDetails()).contains(
                "Reconciled: 2 change(s) fired by this listing that no event had fired (events lost, late or "
                        + "filtered out by the subscription).");
        assertThat(view.getRows().get(1).getHeadline()).isEqualTo("1 new or changed blob from queue events");
        // A quiet reconciliation that fired nothing still says so (the zero is the good news).
        assertThat(PollingLogView.of(List.of(reconciliation("2025-01-01T02:00:00Z", 0, null)),
                java.time.ZoneOffset.UTC, Instant.parse("2025-01-01T03:00:00Z"), null, (c, n, e) -> null)
                .getSummary().getPushMode()).contains("events announced every change");
    }

    @Test
    void linesWrittenBeforePushModeStillDecodeAsListings() throws Exception {
        String old = "{\"v\":1,\"started\":\"2025-01-01T00:00:00Z\",\"ms\":12,\"outcome\":\"OK\",\"target\":\"t\","
                + "\"listed\":4,\"matched\":3,\"pages\":1,\"changes\":[],\"changeCount\":0,\"notes\":[],"
                + "\"warnings\":[],\"error\":null}";
        PollEntry e = PollEntryCodec.decode(old);
        assertThat(e.kind()).isEqualTo(PollEntry.Kind.LISTING);
        assertThat(e.reconciled()).isZero();
        assertThat(e.firedByEvents()).isZero();
        assertThat(e.quiet()).isTrue();
    }

    @Test
    void eventEntriesDoNotChangeTheHealthOfThePolls() {
        TriggerHealth h = TriggerHealth.of(List.of(PollEntries.failed("2025-01-01T00:00:00Z", "boom"),
                events("2025-01-01T00:05:00Z")));
        assertThat(h.failing()).isTrue();
        assertThat(h.consecutiveFailures()).isEqualTo(1);
    }
}
