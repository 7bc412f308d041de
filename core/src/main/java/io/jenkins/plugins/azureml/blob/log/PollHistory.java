package io.jenkins.plugins.azureml.blob.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The polling log of one job: a file of {@link PollEntry} JSON lines of bounded size, oldest first; when it grows
 * over the limit the oldest entries are dropped. A line that cannot be read (a write cut short by a crash) is
 * skipped and counted, never fatal.
 *
 * <p>Every history of one file in this JVM shares one lock: a job's polls and, in push mode, its queue events write
 * from different threads, and a trim must not drop an entry appended meanwhile.
 */
public final class PollHistory {
    /** One lock per log file, shared by every history of that file. */
    private static final ConcurrentMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final Object lock;
    private final Path dir;
    private final long maxBytes;

    /** The entries read and how many lines could not be read. */
    public record Contents(List<PollEntry> entries, int unreadableLines) {
        public Contents {
            entries = List.copyOf(entries);
        }
    }

    /**
     * @param file the log file
     * @param maxBytes the size above which the oldest entries are dropped, at least 1024
     */
    public PollHistory(Path file, long maxBytes) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.dir = Objects.requireNonNull(this.file.getParent(), "the log file needs a directory");
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("maxBytes must be at least 1024");
        }
        this.maxBytes = maxBytes;
        this.lock = LOCKS.computeIfAbsent(this.file, f -> new Object());
    }

    /**
     * Appends one entry, dropping the oldest ones if the file is over the limit.
     *
     * @param entry the entry
     * @throws IOException if the file cannot be written
     */
    public void append(PollEntry entry) throws IOException {
        String line = PollEntryCodec.encode(entry) + "\n";
        synchronized (lock) {
            Files.createDirectories(dir);
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (Files.size(file) > maxBytes) {
                trim();
            }
        }
    }

    /**
     * @return the entries, oldest first; none if nothing was logged
     * @throws IOException if the file cannot be read
     */
    public Contents read() throws IOException {
        List<String> lines;
        try {
            synchronized (lock) {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            }
        } catch (NoSuchFileException e) {
            return new Contents(List.of(), 0);
        }
        List<PollEntry> entries = new ArrayList<>(lines.size());
        int unreadable = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                entries.add(PollEntryCodec.decode(line));
            } catch (IOException e) {
                unreadable++;
            }
        }
        return new Contents(entries, unreadable);
    }

    private void trim() throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        long size = 0;
        int keepFrom = lines.size();
        // Newest first, keep whole lines while they fit in three quarters of the limit (so trims are rare).
        while (keepFrom > 0) {
            long next = size + lines.get(keepFrom - 1).getBytes(StandardCharsets.UTF_8).length + 1;
            if (next > maxBytes * 3 / 4 && keepFrom < lines.size()) {
                break;
            }
            size = next;
            keepFrom--;
        }
        Path temp = Files.createTempFile(dir, "polling-log.", ".tmp");
        Files.write(temp, lines.subList(keepFrom, lines.size()), StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
