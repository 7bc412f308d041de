package io.jenkins.plugins.azureml.run;

import io.jenkins.plugins.azureml.client.AzureMlLogClient;
import io.jenkins.plugins.azureml.client.LogFile;
import io.jenkins.plugins.azureml.client.LogRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads what is new in one log file since its offset and turns it into console lines; decides nothing about other
 * files. One ranged GET per poll normally: {@code bytes=<offset-1>-<offset+max-1>}, whose first byte, the newline
 * that ended the last printed line, proves the file is still the one read before (a file that was truncated answers
 * 416 there, one that was replaced has another byte). Complete lines only: a last line without its newline waits for
 * it, unless the run ended (then it is the file's last line) or it alone fills the size bound (then it is cut).
 * More than the bound since the last poll: one more GET for the last {@code max} bytes, from the first line start in
 * them, and a line saying how much was skipped and where the whole file is.
 */
final class LogFileReader {
    /** What one poll of one file gave: lines to print, the new position, and whether the file was read to its end. */
    record Result(List<String> lines, long offset, boolean atLineStart, boolean atEnd, String problem) {
        static Result unreadable(long offset, boolean atLineStart, String problem) {
            return new Result(List.of(), offset, atLineStart, false, problem);
        }
    }

    private final AzureMlLogClient client;
    private final int max;

    LogFileReader(AzureMlLogClient client, int maxBytesPerPoll) {
        this.client = client;
        this.max = maxBytesPerPoll;
    }

    /**
     * @param runEnded whether the file's run ended (its last partial line is then printed)
     * @param prefix the lines' prefix, e.g. {@code [train]}
     * @param studioUrl where the whole log can be read, for the skipped-bytes line
     */
    CompletableFuture<Result> read(LogFile file, long offset, boolean atLineStart, boolean runEnded, String prefix,
                                   String studioUrl) {
        boolean check = atLineStart && offset > 0;
        long first = check ? offset - 1 : offset;
        return client.readAsync(file, first, offset + max - 1).thenCompose(r -> {
            switch (r.kind()) {
                case UNREADABLE:
                    return done(Result.unreadable(offset, atLineStart, r.problem()));
                case NOT_SATISFIABLE:
                    if (offset == 0 || (!check && (r.totalSize() < 0 || r.totalSize() >= offset))) {
                        return done(new Result(List.of(), offset, atLineStart, true, null)); // nothing new
                    }
                    return restart(file, prefix, r.totalSize(), "was truncated");
                default:
                    return content(file, offset, atLineStart, check, first, r, runEnded, prefix, studioUrl);
            }
        });
    }

    private CompletableFuture<Result> content(LogFile file, long offset, boolean atLineStart, boolean check,
                                              long first, LogRange r, boolean runEnded, String prefix,
                                              String studioUrl) {
        byte[] body = r.bytes();
        long skipInBody = first - r.start(); // 0, or more when the service sent the whole file (200)
        if (skipInBody < 0) {
            return done(Result.unreadable(offset, atLineStart, "the service sent another range than asked"));
        }
        long total = r.totalSize();
        if (skipInBody + (check ? 1 : 0) > body.length) {
            return restart(file, prefix, total, "was truncated");
        }
        int from = (int) skipInBody;
        if (check) {
            if (body[from] != '\n') {
                return restart(file, prefix, total, "was replaced");
            }
            from++;
        }
        if (total >= 0 && total - offset > max) {
            return tail(file, offset, total, body, r.start(), runEnded, prefix, studioUrl);
        }
        byte[] fresh = Arrays.copyOfRange(body, from, body.length);
        boolean reachesEnd = total >= 0 ? offset + fresh.length >= total : fresh.length < max;
        return done(lines(fresh, offset, atLineStart, runEnded && reachesEnd, reachesEnd, prefix, List.of()));
    }

    /** More than the bound is new: print from the first line start in the last {@code max} bytes. */
    private CompletableFuture<Result> tail(LogFile file, long offset, long total, byte[] body, long bodyStart,
                                           boolean runEnded, String prefix, String studioUrl) {
        long tailStart = total - max;
        CompletableFuture<LogRange> tail = bodyStart <= tailStart && bodyStart + body.length >= total
                ? CompletableFuture.<LogRange>completedFuture(null)
                : client.readAsync(file, tailStart, total - 1);
        return tail.thenApply(t -> {
            byte[] bytes;
            long start;
            if (t == null) {
                bytes = Arrays.copyOfRange(body, (int) (tailStart - bodyStart), (int) (total - bodyStart));
                start = tailStart;
            } else if (t.kind() == LogRange.Kind.CONTENT && t.start() == tailStart) {
                bytes = t.bytes();
                start = tailStart;
            } else {
                return Result.unreadable(offset, true, t.kind() == LogRange.Kind.UNREADABLE ? t.problem()
                        : "the end of the file could not be read");
            }
            int newline = indexOf(bytes, 0);
            long resume = newline < 0 ? start + bytes.length : start + newline + 1;
            String skipped = prefix + " ... skipped " + LogText.size(resume - offset) + " of " + file.getName()
                    + " (more than " + LogText.size(max) + " since the last check); the whole log is in Azure ML"
                    + " studio: " + studioUrl;
            if (newline < 0) {
                return new Result(List.of(skipped), resume, false, false, null);
            }
            byte[] rest = Arrays.copyOfRange(bytes, newline + 1, bytes.length);
            boolean reachesEnd = resume + rest.length >= total;
            return lines(rest, resume, true, runEnded && reachesEnd, reachesEnd, prefix, List.of(skipped));
        });
    }

    /** The file is not the one read so far: say so once, and go on from its current end without printing it. */
    private CompletableFuture<Result> restart(LogFile file, String prefix, long knownSize, String what) {
        CompletableFuture<Long> size = knownSize >= 0 ? CompletableFuture.completedFuture(knownSize)
                : client.readAsync(file, 0, 0).thenApply(r -> r.kind() == LogRange.Kind.CONTENT ? r.totalSize()
                        : r.kind() == LogRange.Kind.NOT_SATISFIABLE ? 0L : -1L);
        return size.thenApply(s -> {
            if (s < 0) {
                return Result.unreadable(0, true, "it " + what + " and its new size could not be read");
            }
            String line = prefix + " " + file.getName() + " " + what + " (now " + LogText.size(s)
                    + "); following it from its new end, without printing it again.";
            return new Result(List.of(line), s, s == 0, true, null);
        });
    }

    /**
     * Complete lines of {@code bytes} (which start at file offset {@code start}); the last partial line is printed
     * only when {@code flush} (the run ended and this is the file's end) or when it alone fills the bound.
     */
    private Result lines(byte[] bytes, long start, boolean atLineStart, boolean flush, boolean reachesEnd,
                         String prefix, List<String> before) {
        List<String> out = new ArrayList<>(before);
        int lineStart = 0;
        for (int nl = indexOf(bytes, 0); nl >= 0; nl = indexOf(bytes, lineStart)) {
            out.add(prefix + " " + LogText.line(bytes, lineStart, nl));
            lineStart = nl + 1;
        }
        boolean lineStartNow = lineStart > 0 || atLineStart;
        int rest = bytes.length - lineStart;
        if (rest > 0 && (flush || rest >= max)) {
            out.add(prefix + " " + LogText.line(bytes, lineStart, bytes.length)
                    + (flush ? "" : " [line cut at " + LogText.size(max) + "]"));
            lineStart = bytes.length;
            lineStartNow = false;
        }
        boolean atEnd = reachesEnd && lineStart == bytes.length;
        return new Result(out, start + lineStart, lineStartNow, atEnd, null);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
