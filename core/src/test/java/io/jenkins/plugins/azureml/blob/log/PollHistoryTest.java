package io.jenkins.plugins.azureml.blob.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PollHistoryTest {
    @TempDir
    Path dir;

    @Test
    void anEntryRoundTripsWithOddNamesOnOneLine() throws Exception {
        PollEntry e = new PollEntry(Instant.parse("2026-12-01T14:56:07.123456789Z"), 22, PollEntry.Outcome.OK,
                "http://127.0.0.1:1/devstoreaccount1/c/data/", 3, PollEntry.Baseline.DEFINITION_CHANGED, 4, 3, 2,
                List.of(new PollEntry.Change("c", "a\nb \u202E\"q\".csv", "0x8DC", 22,
                        Instant.parse("2026-12-01T14:56:00Z"))), 7, 2, 1, true, List.of("note\none"),
                List.of("clock \u202E ahead"), "err\"x");
        String line = PollEntryCodec.encode(e);
        assertThat(line).doesNotContain("\n");
        assertThat(PollEntryCodec.decode(line)).isEqualTo(e);
    }

    @Test
    void keepsTheNewestWholeEntriesWithinTheLimit() throws Exception {
        PollHistory log = new PollHistory(dir.resolve("polls.jsonl"), 4096);
        assertThat(log.read().entries()).isEmpty();
        for (int i = 0; i < 200; i++) {
            log.append(PollEntries.quiet(Instant.parse("2026-12-01T00:00:00Z").plusSeconds(60L * i).toString()));
        }
        assertThat(Files.size(dir.resolve("polls.jsonl"))).isLessThanOrEqualTo(4096);
        List<PollEntry> entries = log.read().entries();
        assertThat(entries).hasSizeGreaterThan(5);
        assertThat(entries.get(entries.size() - 1).started()).isEqualTo(Instant.parse("2026-12-01T03:19:00Z"));
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i).started()).isAfter(entries.get(i - 1).started());
        }
    }

    @Test
    void aLineCutShortOrForeignIsSkippedAndCounted() throws Exception {
        Path file = dir.resolve("polls.jsonl");
        PollHistory log = new PollHistory(file, 64 * 1024);
        log.append(PollEntries.quiet("2026-12-01T00:00:00Z"));
        Files.writeString(file, "{\"v\":1,\"started\":\"2026-12-01T00:01\nPolling http://old text format\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        log.append(PollEntries.failed("2026-12-01T00:02:00Z", "boom"));
        PollHistory.Contents read = log.read();
        assertThat(read.entries()).extracting(PollEntry::error).containsExactly(null, "boom");
        assertThat(read.unreadableLines()).isEqualTo(2);
    }

    @Test
    void theRawTextHasEveryFactInTheOrderThingsHappened() {
        PollEntry e = PollEntries.changes("2026-12-01T14:56:07Z", "data/a.csv", "x\u2066y.csv")
                .withGlueFacts(0, List.of("Skipped z"));
        String text = PollEntryText.render(List.of(PollEntries.quiet("2026-12-01T14:55:00Z"), e));
        assertThat(text).contains("Polling " + PollEntries.TARGET + " at 2026-12-01T14:56:07Z", "2 change(s):",
                "  data/a.csv  ETag", "x\\u2066y.csv", "No changes.").doesNotContain("window of");
        assertThat(text.indexOf("Scheduled a build for incoming/data/a.csv")).isLessThan(text.indexOf("Done in 20 ms"));
        assertThat(text.indexOf("Skipped z")).isLessThan(text.indexOf("Done in 20 ms"));
        assertThat(text.indexOf("No changes.")).isLessThan(text.indexOf("2 change(s)"));
    }

    /** Polls and push mode's queue events write one job's log from two threads, through two histories. */
    @Test
    void twoHistoriesOfOneFileWritingAtOnceLoseNoEntryExceptTheOldestTrimmed() throws Exception {
        Path file = dir.resolve("job/log.jsonl");
        int perWriter = 2000; // enough rounds that, without the shared lock, a trim drops an entry appended meanwhile
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        List<java.util.concurrent.CompletableFuture<Void>> writers = new java.util.ArrayList<>();
        for (String writer : List.of("polls", "events")) {
            PollHistory history = new PollHistory(file, 2048);
            writers.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    for (int n = 0; n < perWriter; n++) {
                        start.await(10, java.util.concurrent.TimeUnit.SECONDS); // in step: both write entry n at once
                        history.append(PollEntry.notPolled(Instant.ofEpochMilli(n), writer, "entry " + n));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (java.util.concurrent.CompletableFuture<Void> w : writers) {
            w.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        PollHistory.Contents contents = new PollHistory(file, 2048).read();
        // Shared lock: the file is always the newest part of all appends, and the writers went in step, so each
        // writer's kept entries end with its last one and have no gap.
        assertThat(contents.unreadableLines()).isZero();
        for (String writer : List.of("polls", "events")) {
            List<Long> kept = contents.entries().stream().filter(e -> e.target().equals(writer))
                    .map(e -> e.started().toEpochMilli()).toList();
            assertThat(kept).as("%s: its newest entry is kept", writer).isNotEmpty().endsWith((long) perWriter - 1);
            for (int i = 1; i < kept.size(); i++) {
                assertThat(kept.get(i)).as("%s: no entry lost between kept ones", writer)
                        .isEqualTo(kept.get(i - 1) + 1);
            }
        }
    }
}
