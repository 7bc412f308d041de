package io.jenkins.plugins.azureml.blob;

import java.nio.file.Path;

/**
 * The saved state of a watch cannot be read or written. A corrupt state file is never treated as "no state": that
 * would fire builds for the whole container. The message says which file to delete to start a new baseline.
 */
public class WatchStateException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public WatchStateException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The state file concerned. */
    public Path getFile() {
        return file;
    }
}
