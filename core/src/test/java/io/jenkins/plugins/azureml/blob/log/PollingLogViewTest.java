package io.jenkins.plugins.azureml.blob.log;

import static io.jenkins.plugins.azureml.blob.log.PollEntries.changes;
import static io.jenkins.plugins.azureml.blob.log.PollEntries.failed;
import static io.jenkins.plugins.azureml.blob.log.PollEntries.notPolled;
import static io.jenkins.plugins.azureml.blob.log.PollEntries.quiet;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PollingLogViewTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Instant NOW = Instant.parse("2026-12-01T15:06:30Z");
    private static final PollingLogView.BuildLookup NO_BUILDS = (c, n, e) -> null;

    /** The polls of the browser trial: a baseline, two changes, eight quiet polls, one change. */
    private static List<PollEntry> trial() {
        List<PollEntry> log = new ArrayList<>();
        PollEntry first = quiet("2026-12-01T14:56:05Z");
        log.add(new PollEntry(first.started(), 30, PollEntry.Outcome.OK, first.target(), 0,
                PollEntry.Baseline.FIRST_POLL, 1, 1, 1, List.of(), 0, 0, 0, false, List.of(), List.of(), null));
        log.add(changes("2026-12-01T14:56:07Z", "data/2026/12/01/returns.csv", "data/sales.csv"));
        for (int minute = 57; minute <= 64; minute++) {
            log.add(quiet(String.format("2026-12-01T%02d:%02d:00Z", 14 + minute / 60, minute % 60)));
        }
        log.add(changes("2026-12-01T15:05:00Z", "data/west region $1.csv"));
        return log;
    }

    @Test
    void newestFirstWithQuietPollsCollapsedIntoOneRow() {
        PollingLogView view = PollingLogView.of(trial(), PARIS, NOW, null, NO_BUILDS);
        List<PollingLogView.Row> rows = view.getRows();
        assertThat(rows).extracting(PollingLogView.Row::getKind)
                .containsExactly("changes", "quiet", "changes", "baseline");
        assertThat(rows.get(0).getTime()).isEqualTo("2026-12-01 16:05:00");
        assertThat(rows.get(1).getHeadline()).isEqualTo("No changes in 8 polls");
        assertThat(rows.get(1).getTime()).isEqualTo("2026-12-01 15:57:00 – 16:04:00");
        assertThat(rows.get(2).getHeadline()).isEqualTo("2 new or changed blobs");
        assertThat(rows.get(3).getHeadline()).isEqualTo("Baseline recorded: 1 existing blob");
    }

    @Test
    void noJargonNoNanosecondsAndNoQueueItems() {
        PollingLogView view = PollingLogView.of(trial(), PARIS, NOW, null, NO_BUILDS);
        StringBuilder all = new StringBuilder();
        for (PollingLogView.Row r : view.getRows()) {
            all.append(r.getTime()).append(r.getHeadline()).append(r.getDetails());
            r.getChanges().forEach(c -> all.append(c.getName()).append(c.getLastModified()).append(c.getStatus()));
        }
        assertThat(all.toString()).doesNotContain("window", "entries", "queue item", "T14:", "Z", ".123")
                .contains("Listed 5 blobs, 4 matched the filters");
    }

    @Test
    void changesLinkTheirBuildsAndCarryTheAnchorTheCauseLinksTo() {
        List<PollEntry> log = trial();
        Map<String, BuildLink> byName = Map.of(
                "data/2026/12/01/returns.csv", new BuildLink("#2", "job/p/2/"),
                "data/sales.csv", new BuildLink("#3", "job/p/3/"));
        PollingLogView view = PollingLogView.of(log, PARIS, NOW, null, (c, n, e) -> byName.get(n));
        PollingLogView.Row older = view.getRows().get(2);
        assertThat(older.getChanges()).extracting(c -> c.getBuild().getLabel()).containsExactly("#2", "#3");
        PollingLogView.ChangeRow pending = view.getRows().get(0).getChanges().get(0);
        assertThat(pending.getBuild()).isNull();
        assertThat(pending.getStatus()).contains("no build yet");
        PollEntry.Change c = log.get(1).changes().get(0);
        assertThat(older.getChanges().get(0).getAnchor()).isEqualTo(PollingLogView.changeAnchor(c.container(),
                c.name(), c.etag())).matches("blob-[0-9a-f]{24}");
        assertThat(view.getSummary().getLastBuild().getLabel()).isEqualTo("#3");
    }

    @Test
    void summaryTellsLastPollChangeErrorAndNextPollInLocalTime() {
        List<PollEntry> log = trial();
        log.add(5, failed("2026-12-01T15:00:00Z", "Listing the container failed (HTTP 503)."));
        PollingLogView.Summary s = PollingLogView.of(log, PARIS, NOW, Instant.parse("2026-12-01T15:10:00Z"),
                NO_BUILDS).getSummary();
        assertThat(s.getLastPoll()).isEqualTo("2026-12-01 16:05:00 (1 min ago): 1 change");
        assertThat(s.getLastChange()).isEqualTo("2026-12-01 16:05:00 (1 min ago)");
        assertThat(s.getLastChangeName()).isEqualTo("data/west region $1.csv");
        assertThat(s.getLastChangeMore()).isEmpty();
        assertThat(s.getLastError()).isEqualTo("2026-12-01 16:00:00 (6 min ago): Listing the container failed "
                + "(HTTP 503).");
        assertThat(s.getNextPoll()).isEqualTo("2026-12-01 16:10:00 (in 3 min)");
        assertThat(s.getHealth()).isEmpty();
        assertThat(s.getZone()).isEqualTo("Europe/Paris");
    }

    @Test
    void anErrorRowHasItsTimeAndItsMessage() {
        List<PollEntry> log = List.of(quiet("2026-12-01T14:00:00Z"),
                notPolled("2026-12-01T14:05:00Z", "credentialsId: could not find credentials 'storage-reader'"));
        PollingLogView view = PollingLogView.of(log, ZoneId.of("UTC"), NOW, null, NO_BUILDS);
        PollingLogView.Row row = view.getRows().get(0);
        assertThat(row.isError()).isTrue();
        assertThat(row.getTime()).isEqualTo("2026-12-01 14:05:00");
        assertThat(row.getHeadline()).isEqualTo("Not polled: credentialsId: could not find credentials "
                + "'storage-reader'");
        assertThat(view.getSummary().getHealth()).startsWith("The last Azure Blob poll failed (2026-12-01 14:05:00)");
    }

    @Test
    void scheduledConfirmationsBecomeLinksWhileOtherSchedulerNotesStay() {
        PollEntry e = changes("2026-12-01T14:56:07Z", "a.csv").withGlueFacts(2,
                List.of("Skipped incoming/b.csv (ETag 0x1): already the cause of a recent build"));
        PollingLogView.Row row = PollingLogView.of(List.of(e), PARIS, NOW, null, NO_BUILDS).getRows().get(0);
        assertThat(String.join("\n", row.getDetails()))
                .contains("2 scheduled polls skipped", "Skipped incoming/b.csv", "1 build scheduled")
                .doesNotContain("Scheduled a build for");
    }

    @Test
    void namesThatCouldReadAsOthersAreEscapedOnThePage() {
        PollEntry e = changes("2026-12-01T14:56:07Z", "invoice\u202Evsc.exe", "a\nb.csv");
        PollingLogView view = PollingLogView.of(List.of(e), PARIS, NOW, null, NO_BUILDS);
        assertThat(view.getRows().get(0).getChanges()).extracting(PollingLogView.ChangeRow::getName)
                .containsExactly("invoice\\u202Evsc.exe", "a\\u000Ab.csv");
        assertThat(view.getSummary().getLastChangeName()).isEqualTo("invoice\\u202Evsc.exe");
        assertThat(view.getSummary().getLastChangeMore()).isEqualTo("and 1 more");
    }

    @Test
    void emptyLogHasASummarySayingSo() {
        PollingLogView view = PollingLogView.of(List.of(), PARIS, NOW, null, NO_BUILDS);
        assertThat(view.getRows()).isEmpty();
        assertThat(view.getSummary().getLastPoll()).isEqualTo("none yet");
        assertThat(view.getSummary().getNextPoll()).isEqualTo("not scheduled");
        assertThat(view.getSummary().getLastError()).isNull();
    }
}
