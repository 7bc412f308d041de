package io.jenkins.plugins.azureml.blob.log;

import java.time.Instant;
import java.util.List;

/** Entries as the poll cycle writes them, for the view and health tests. */
final class PollEntries {
    static final String TARGET = "https://acct.blob.core.windows.net/incoming/data/";

    private PollEntries() {
    }

    static PollEntry quiet(String at) {
        return new PollEntry(Instant.parse(at), 12, PollEntry.Outcome.OK, TARGET, 0, null, 4, 3, 1, List.of(), 0, 0, 0,
                false, List.of(), List.of(), null);
    }

    static PollEntry changes(String at, String... names) {
        List<PollEntry.Change> changes = java.util.Arrays.stream(names)
                .map(n -> new PollEntry.Change("incoming", n, "0x" + Integer.toHexString(n.hashCode()), 22,
                        Instant.parse(at).minusSeconds(30)))
                .toList();
        List<String> notes = changes.stream().map(c -> "Scheduled a build for incoming/" + c.name() + " (ETag "
                + c.etag() + ", 22 bytes) (queue item 7)").toList();
        return new PollEntry(Instant.parse(at), 20, PollEntry.Outcome.OK, TARGET, 0, null, 5, 4, 1, changes,
                changes.size(), 0, changes.size(), false, notes, List.of(), null);
    }

    static PollEntry failed(String at, String error) {
        return new PollEntry(Instant.parse(at), 900, PollEntry.Outcome.FAILED, TARGET, 0, null, 0, 0, 0, List.of(), 0,
                0, 0, false, List.of(), List.of(), error);
    }

    static PollEntry notPolled(String at, String error) {
        return PollEntry.notPolled(Instant.parse(at), TARGET, error);
    }
}
