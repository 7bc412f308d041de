package io.jenkins.plugins.azureml.blob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PollingLogTest {
    @TempDir
    Path dir;

    @Test
    void appendsAndTrimsTheOldestWholeEntries() throws Exception {
        PollingLog log = new PollingLog(dir.resolve("polling.log"), 2048);
        assertThat(log.read()).isEmpty();
        for (int i = 0; i < 100; i++) {
            log.append("poll " + i + " " + "x".repeat(80));
        }
        assertThat(Files.size(dir.resolve("polling.log"))).isLessThanOrEqualTo(2048);
        String text = log.read();
        assertThat(text).contains("poll 99 ").doesNotContain("poll 0 ", "poll 50 ");
        assertThat(text).startsWith("poll ");
        assertThat(text.split("\n\n")).allMatch(e -> e.matches("(?s)poll \\d+ x{80}\n?"));
    }

    @Test
    void anEntryLargerThanTheLimitKeepsItsTail() throws Exception {
        PollingLog log = new PollingLog(dir.resolve("p.log"), 1024);
        log.append("head " + "y".repeat(5000) + " tail");
        assertThat(Files.size(dir.resolve("p.log"))).isLessThanOrEqualTo(1024);
        assertThat(log.read()).contains(" tail");
    }
}
