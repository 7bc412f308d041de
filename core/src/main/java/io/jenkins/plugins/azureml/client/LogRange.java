package io.jenkins.plugins.azureml.client;

/**
 * The answer to one ranged read of a log file: bytes from {@code start} (206, or 200 from 0 when the service ignored
 * the range) with the file's total size; nothing because the range starts at or after the end (416); or why the file
 * could not be read (status, expired or refused SAS, network), in words that never contain the URL.
 *
 * @param kind what came back
 * @param start the offset of the first byte returned
 * @param bytes the bytes returned (empty unless {@link Kind#CONTENT})
 * @param totalSize the file's size as the answer reported it; -1 when not known
 * @param problem for {@link Kind#UNREADABLE}: why, e.g. {@code HTTP 403 (AuthenticationFailed)}; else null
 */
public record LogRange(Kind kind, long start, byte[] bytes, long totalSize, String problem) {
    /** What a read returned. */
    public enum Kind { CONTENT, NOT_SATISFIABLE, UNREADABLE }

    static LogRange content(long start, byte[] bytes, long totalSize) {
        return new LogRange(Kind.CONTENT, start, bytes, totalSize, null);
    }

    static LogRange notSatisfiable(long totalSize) {
        return new LogRange(Kind.NOT_SATISFIABLE, 0, new byte[0], totalSize, null);
    }

    static LogRange unreadable(String problem) {
        return new LogRange(Kind.UNREADABLE, 0, new byte[0], -1, problem);
    }

    @Override
    public String toString() {
        return "LogRange{" + kind + ", start=" + start + ", " + bytes.length + " bytes, total=" + totalSize
                + (problem == null ? "" : ", " + problem) + "}";
    }
}
