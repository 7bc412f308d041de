package io.jenkins.plugins.azureml.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps one watch's {@link WatchState} in a file (the trigger uses one in the job directory). Writes go to a temp
 * file in the same directory, are forced to disk and then atomically moved over the old file, so a crash leaves
 * either the old or the new state, never half of one.
 */
public final class WatchStateStore {
    /** One lock per state file in this JVM, shared by every store of that file (poll and events of one job). */
    private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final Path dir;

    /**
     * @param file the state file; its directory is created on the first save
     */
    public WatchStateStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.dir = Objects.requireNonNull(this.file.getParent(), "the state file needs a directory");
    }

    /**
     * The lock that serialises read-decide-schedule-save on this state file: the reconciliation listing and the
     * event consumer of one watch run on different threads, and each must see what the other fired before it fires.
     * Shared by all stores of the same file in this JVM.
     *
     * @return the file's lock
     */
    public ReentrantLock lock() {
        return LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    }

    /** The state file. */
    public Path file() {
        return file;
    }

    /**
     * Reads the saved state.
     *
     * @return the state, or empty when the file does not exist (no poll has completed yet)
     * @throws WatchStateException if the file exists but cannot be read or is corrupt
     */
    public Optional<WatchState> load() throws WatchStateException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new WatchStateException(file, "Cannot read the blob trigger state file " + file + ": " + e
                    + ". Fix its permissions, or delete it to start a new baseline.", e);
        }
        try {
            return Optional.of(WatchStateCodec.decode(bytes));
        } catch (IOException e) {
            throw new WatchStateException(file, "The blob trigger state file " + file + " is corrupt ("
                    + e.getMessage() + "). Polling is stopped so that no blob fires twice; delete " + file
                    + " to start a new baseline (blobs changed meanwhile will then not fire).", e);
        }
    }

    /**
     * Saves the state atomically.
     *
     * @param state the state to save
     * @throws WatchStateException if it cannot be written; the old file is then untouched
     */
    public void save(WatchState state) throws WatchStateException {
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(WatchStateCodec.encode(state));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new WatchStateException(file, "Cannot save the blob trigger state to " + file + ": " + e, e);
        }
    }
}
