package io.jenkins.plugins.azureml.blob;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import com.azure.json.JsonWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The saved form of a {@link WatchState}: compact, versioned JSON,
 * {@code {"v":2,"fp":"<fingerprint>","cursor":"<ISO instant>","windowStart":"<ISO instant>",
 * "sweepStart":"<ISO instant or null>","seen":[["name","etag"],...],"summaryBoundary":"<ISO instant or null>",
 * "summary":"<Base64 or null>"}}, entries sorted by name so equal states encode to equal bytes. The summary
 * ({@link SettledSummary}) is new in version 3. Versions 1 (no {@code sweepStart}) and 2 (no summary) are still
 * read. A state with
 * no cursor but a fingerprint and pairs is a {@linkplain WatchState#preBaseline pre-baseline} state (push mode:
 * events fired before the first listing), in either version.
 */
public final class WatchStateCodec {
    /** The format version written; a file of an unknown version is refused rather than misread. */
    public static final int VERSION = 3;
    /** The oldest version read. */
    private static final int OLDEST_READ = 1;

    private WatchStateCodec() {
    }

    /**
     * @param state the state to encode
     * @return UTF-8 JSON
     */
    public static byte[] encode(WatchState state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonWriter w = JsonProviders.createWriter(out)) {
            w.writeStartObject();
            w.writeIntField("v", VERSION);
            w.writeStringField("fp", state.fingerprint());
            w.writeStringField("cursor", state.cursor() == null ? null : state.cursor().toString());
            w.writeStringField("windowStart", state.windowStart() == null ? null : state.windowStart().toString());
            w.writeStringField("sweepStart", state.sweepStart() == null ? null : state.sweepStart().toString());
            w.writeStartArray("seen");
            List<WatchState.SeenBlob> sorted = new ArrayList<>(state.seen());
            sorted.sort(Comparator.comparing(WatchState.SeenBlob::name).thenComparing(WatchState.SeenBlob::etag));
            for (WatchState.SeenBlob s : sorted) {
                w.writeStartArray().writeString(s.name()).writeString(s.etag()).writeEndArray();
            }
            w.writeEndArray();
            w.writeStringField("summaryBoundary", state.summaryBoundary() == null ? null
                    : state.summaryBoundary().toString());
            w.writeStringField("summary", state.summary() == null ? null : state.summary().encode());
            w.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * @param json bytes written by {@link #encode(WatchState)}
     * @return the state
     * @throws IOException if the bytes are not a state of a known version
     */
    public static WatchState decode(byte[] json) throws IOException {
        try (JsonReader r = JsonProviders.createReader(json)) {
            if (r.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            Integer version = null;
            String fingerprint = null;
            Instant cursor = null;
            Instant windowStart = null;
            Instant sweepStart = null;
            Set<WatchState.SeenBlob> seen = null;
            Instant summaryBoundary = null;
            String summary = null;
            while (r.nextToken() != JsonToken.END_OBJECT) {
                String field = r.getFieldName();
                r.nextToken();
                switch (field) {
                    case "v" -> version = r.getInt();
                    case "fp" -> fingerprint = r.getNullable(JsonReader::getString);
                    case "cursor" -> cursor = instant(r.getNullable(JsonReader::getString));
                    case "windowStart" -> windowStart = instant(r.getNullable(JsonReader::getString));
                    case "sweepStart" -> sweepStart = instant(r.getNullable(JsonReader::getString));
                    case "seen" -> seen = readSeen(r);
                    case "summaryBoundary" -> summaryBoundary = instant(r.getNullable(JsonReader::getString));
                    case "summary" -> summary = r.getNullable(JsonReader::getString);
                    default -> r.skipChildren();
                }
            }
            if (version == null || version < OLDEST_READ || version > VERSION) {
                throw new IOException("unsupported state version " + version + " (this version reads " + OLDEST_READ
                        + " to " + VERSION + ")");
            }
            if (seen == null || (cursor == null) != (windowStart == null)
                    || (cursor != null && (fingerprint == null || windowStart.isAfter(cursor)))) {
                throw new IOException("incomplete or inconsistent state");
            }
            if (cursor == null) {
                // Before the first poll only events can have fired changes (push mode); keep their pairs.
                return fingerprint == null || seen.isEmpty() ? WatchState.empty()
                        : WatchState.preBaseline(fingerprint, seen);
            }
            WatchState state = new WatchState(fingerprint, cursor, windowStart, version == 1 ? null : sweepStart, seen);
            if (summary != null && summaryBoundary != null && !summaryBoundary.isBefore(windowStart)) {
                state = withReadableSummary(state, summaryBoundary, summary);
            }
            return state;
        } catch (IllegalStateException | DateTimeParseException e) {
            throw new IOException("malformed state: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Parsers report malformed input with various runtime exceptions; all mean the same here.
            throw new IOException("malformed state JSON", e);
        }
    }

    /** A summary that cannot be read is dropped, not the state: the next sweep saves a new one. */
    private static WatchState withReadableSummary(WatchState state, Instant boundary, String summary) {
        try {
            return state.withSummary(boundary, SettledSummary.decode(summary));
        } catch (IllegalArgumentException e) {
            return state;
        }
    }

    private static Set<WatchState.SeenBlob> readSeen(JsonReader r) throws IOException {
        if (r.currentToken() != JsonToken.START_ARRAY) {
            throw new IOException("'seen' is not an array");
        }
        Set<WatchState.SeenBlob> seen = new HashSet<>();
        while (r.nextToken() != JsonToken.END_ARRAY) {
            if (r.currentToken() != JsonToken.START_ARRAY || r.nextToken() != JsonToken.STRING) {
                throw new IOException("a 'seen' entry is not [name, etag]");
            }
            String name = r.getString();
            if (r.nextToken() != JsonToken.STRING) {
                throw new IOException("a 'seen' entry is not [name, etag]");
            }
            String etag = r.getString();
            if (r.nextToken() != JsonToken.END_ARRAY) {
                throw new IOException("a 'seen' entry is not [name, etag]");
            }
            seen.add(new WatchState.SeenBlob(name, etag));
        }
        return seen;
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
