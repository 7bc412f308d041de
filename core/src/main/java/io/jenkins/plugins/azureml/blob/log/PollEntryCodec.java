package io.jenkins.plugins.azureml.blob.log;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import com.azure.json.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@link PollEntry} as one line of JSON (JSON escapes line breaks, so any blob name stays on its line):
 * {@code {"v":1,"started":"<ISO>","ms":12,"outcome":"OK","target":"...","changes":[{"c":..,"n":..,"e":..,"s":..,
 * "m":..}],...,"kind":"RECONCILIATION","reconciled":1,"firedByEvents":0}}. Unknown fields are skipped and absent
 * ones take their defaults, so fields are added without a new version: lines written before push mode (no
 * {@code kind}) read as listings, and older readers skip the push-mode fields.
 */
public final class PollEntryCodec {
    /** The format version written. */
    public static final int VERSION = 1;

    private PollEntryCodec() {
    }

    /**
     * @param e the entry
     * @return one line of JSON, without a line break
     */
    public static String encode(PollEntry e) {
        StringWriter out = new StringWriter();
        try (JsonWriter w = JsonProviders.createWriter(out)) {
            w.writeStartObject();
            w.writeIntField("v", VERSION);
            w.writeStringField("started", e.started().toString());
            w.writeLongField("ms", e.durationMillis());
            w.writeStringField("outcome", e.outcome().name());
            w.writeStringField("target", e.target());
            w.writeIntField("skippedTicks", e.skippedTicks());
            w.writeStringField("baseline", e.baseline() == null ? null : e.baseline().name());
            w.writeLongField("listed", e.listed());
            w.writeLongField("matched", e.matched());
            w.writeIntField("pages", e.pages());
            w.writeStartArray("changes");
            for (PollEntry.Change c : e.changes()) {
                w.writeStartObject().writeStringField("c", c.container()).writeStringField("n", c.name())
                        .writeStringField("e", c.etag()).writeLongField("s", c.size())
                        .writeStringField("m", c.lastModified() == null ? null : c.lastModified().toString())
                        .writeEndObject();
            }
            w.writeEndArray();
            w.writeIntField("changeCount", e.changeCount());
            w.writeLongField("deferred", e.deferred());
            w.writeIntField("scheduled", e.scheduled());
            w.writeBooleanField("batch", e.batch());
            w.writeStartArray("notes");
            for (String note : e.notes()) {
                w.writeString(note);
            }
            w.writeEndArray();
            w.writeStartArray("warnings");
            for (String warning : e.warnings()) {
                w.writeString(warning);
            }
            w.writeEndArray();
            w.writeStringField("error", e.error());
            w.writeStringField("kind", e.kind().name());
            w.writeIntField("reconciled", e.reconciled());
            w.writeIntField("firedByEvents", e.firedByEvents());
            w.writeEndObject();
        } catch (IOException x) {
            throw new UncheckedIOException("writing to memory cannot fail", x);
        }
        return out.toString();
    }

    /**
     * @param line a line written by {@link #encode}
     * @return the entry
     * @throws IOException if the line is not an entry of a known version
     */
    public static PollEntry decode(String line) throws IOException {
        try (JsonReader r = JsonProviders.createReader(line)) {
            if (r.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            Fields f = new Fields();
            while (r.nextToken() != JsonToken.END_OBJECT) {
                String field = r.getFieldName();
                r.nextToken();
                f.read(field, r);
            }
            if (f.version != VERSION || f.started == null || f.outcome == null) {
                throw new IOException("not a polling log entry of version " + VERSION);
            }
            return new PollEntry(f.started, f.ms, f.outcome, f.target, f.skippedTicks, f.baseline, f.listed,
                    f.matched, f.pages, f.changes, f.changeCount, f.deferred, f.scheduled, f.batch, f.notes, f.warnings,
                    f.error, f.kind, f.reconciled, f.firedByEvents);
        } catch (RuntimeException e) {
            // Parsers and value types report malformed input with various runtime exceptions; all mean the same.
            throw new IOException("malformed polling log entry: " + e.getMessage(), e);
        }
    }

    /** The fields as read; absent ones keep their defaults. */
    private static final class Fields {
        int version;
        Instant started;
        long ms;
        PollEntry.Outcome outcome;
        String target;
        int skippedTicks;
        PollEntry.Baseline baseline;
        long listed;
        long matched;
        int pages;
        final List<PollEntry.Change> changes = new ArrayList<>();
        int changeCount;
        long deferred;
        int scheduled;
        boolean batch;
        final List<String> notes = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        String error;
        PollEntry.Kind kind = PollEntry.Kind.LISTING;
        int reconciled;
        int firedByEvents;

        void read(String field, JsonReader r) throws IOException {
            switch (field) {
                case "v" -> version = r.getInt();
                case "started" -> started = Instant.parse(r.getString());
                case "ms" -> ms = r.getLong();
                case "outcome" -> outcome = PollEntry.Outcome.valueOf(r.getString());
                case "target" -> target = r.getNullable(JsonReader::getString);
                case "skippedTicks" -> skippedTicks = r.getInt();
                case "baseline" -> {
                    String b = r.getNullable(JsonReader::getString);
                    baseline = b == null ? null : PollEntry.Baseline.valueOf(b);
                }
                case "listed" -> listed = r.getLong();
                case "matched" -> matched = r.getLong();
                case "pages" -> pages = r.getInt();
                case "changes" -> changes.addAll(r.readArray(PollEntryCodec::readChange));
                case "changeCount" -> changeCount = r.getInt();
                case "deferred" -> deferred = r.getLong();
                case "scheduled" -> scheduled = r.getInt();
                case "batch" -> batch = r.getBoolean();
                case "notes" -> notes.addAll(r.readArray(JsonReader::getString));
                case "warnings" -> warnings.addAll(r.readArray(JsonReader::getString));
                case "error" -> error = r.getNullable(JsonReader::getString);
                case "kind" -> kind = PollEntry.Kind.valueOf(r.getString());
                case "reconciled" -> reconciled = r.getInt();
                case "firedByEvents" -> firedByEvents = r.getInt();
                default -> r.skipChildren();
            }
        }
    }

    private static PollEntry.Change readChange(JsonReader r) throws IOException {
        return r.readObject(o -> {
            String container = null;
            String name = null;
            String etag = null;
            long size = 0;
            Instant modified = null;
            while (o.nextToken() != JsonToken.END_OBJECT) {
                String field = o.getFieldName();
                o.nextToken();
                switch (field) {
                    case "c" -> container = o.getString();
                    case "n" -> name = o.getString();
                    case "e" -> etag = o.getString();
                    case "s" -> size = o.getLong();
                    case "m" -> {
                        String m = o.getNullable(JsonReader::getString);
                        modified = m == null ? null : Instant.parse(m);
                    }
                    default -> o.skipChildren();
                }
            }
            return new PollEntry.Change(container, name, etag, size, modified);
        });
    }
}
