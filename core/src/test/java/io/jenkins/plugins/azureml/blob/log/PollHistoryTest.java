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
}
