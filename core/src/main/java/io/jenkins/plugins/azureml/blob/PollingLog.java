package io.jenkins.plugins.azureml.blob;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A polling log file of bounded size: each poll appends its report; when the file grows over the limit the oldest
 * entries are dropped (whole entries, newest kept). Entries are separated by a line holding only the ASCII record
 * separator, which {@link #read()} turns into a blank line.
 */
public final class PollingLog {
    private static final String SEPARATOR = "\u001E\n";

    private final Path file;
    private final Path dir;
    private final long maxBytes;

    /**
     * @param file the log file
     * @param maxBytes the size above which the oldest entries are dropped
     */
    public PollingLog(Path file, long maxBytes) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.dir = Objects.requireNonNull(this.file.getParent(), "the log file needs a directory");
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("maxBytes must be at least 1024");
        }
        this.maxBytes = maxBytes;
    }

    /**
     * Appends one entry, trimming the oldest ones if the file is over the limit.
     *
     * @param entry the text of one poll's report
     * @throws IOException if the file cannot be written
     */
    public synchronized void append(String entry) throws IOException {
        Files.createDirectories(dir);
        String text = entry.endsWith("\n") ? entry : entry + "\n";
        Files.writeString(file, text + SEPARATOR, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        if (Files.size(file) > maxBytes) {
            trim();
        }
    }

    /**
     * @return the log, oldest entry first, entries separated by blank lines; empty if nothing was logged
     * @throws IOException if the file cannot be read
     */
    public synchronized String read() throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replace(SEPARATOR, "\n");
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    private void trim() throws IOException {
        String all = Files.readString(file, StandardCharsets.UTF_8);
        int cut = 0;
        while (all.length() - cut > 0 && utf8Length(all, cut) > maxBytes) {
            int next = all.indexOf(SEPARATOR, cut);
            if (next < 0 || next + SEPARATOR.length() >= all.length()) {
                // A single entry over the limit: keep its tail rather than nothing.
                cut = Math.max(cut, all.length() - (int) (maxBytes / 4));
                break;
            }
            cut = next + SEPARATOR.length();
        }
        Path temp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        Files.writeString(temp, all.substring(cut), StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static long utf8Length(String s, int from) {
        return s.substring(from).getBytes(StandardCharsets.UTF_8).length;
    }
}
