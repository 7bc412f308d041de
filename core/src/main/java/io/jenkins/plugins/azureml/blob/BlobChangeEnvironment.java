package io.jenkins.plugins.azureml.blob;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import com.azure.json.JsonWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment variables a triggered build gets. Values are the exact strings (names with quotes, '$',
 * backticks, newlines or any Unicode arrive unchanged); a shell script should quote them ({@code "$AZURE_BLOB_NAME"}).
 *
 * <p>One build per blob: {@value #NAME}, {@value #URL}, {@value #CONTAINER}, {@value #ETAG} (no quotes),
 * {@value #LAST_MODIFIED} (ISO-8601 UTC, e.g. {@code 2025-01-31T12:00:00Z}), {@value #SIZE} (bytes).
 *
 * <p>One build per batch: {@value #COUNT}, {@value #CONTAINER} and {@value #MANIFEST}, the path of a file that the
 * trigger writes with {@link #manifest(List)} (a batch can be far larger than an environment variable may be, so
 * the JSON itself is never put in the environment). The manifest is a JSON document
 * <pre>{@code {"count": 2, "blobs": [
 *   {"container": "c", "name": "in/a.csv", "url": "https://...", "etag": "0x8DC...",
 *    "lastModified": "2025-01-31T12:00:00Z", "size": 42, "contentType": "text/csv"}, ...]}}</pre>
 * with the blobs in report order (oldest first); {@code contentType} is null when the blob has none.
 */
public final class BlobChangeEnvironment {
    public static final String NAME = "AZURE_BLOB_NAME";
    public static final String URL = "AZURE_BLOB_URL";
    public static final String CONTAINER = "AZURE_BLOB_CONTAINER";
    public static final String ETAG = "AZURE_BLOB_ETAG";
    public static final String LAST_MODIFIED = "AZURE_BLOB_LAST_MODIFIED";
    public static final String SIZE = "AZURE_BLOB_SIZE";
    public static final String COUNT = "AZURE_BLOB_COUNT";
    public static final String MANIFEST = "AZURE_BLOB_MANIFEST";

    private BlobChangeEnvironment() {
    }

    /**
     * @param change one change
     * @return the variables of a build for that blob, in a stable order
     */
    public static Map<String, String> forChange(BlobChange change) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(NAME, change.name());
        env.put(URL, change.url());
        env.put(CONTAINER, change.container());
        env.put(ETAG, change.etag());
        env.put(LAST_MODIFIED, change.lastModified().toString());
        env.put(SIZE, Long.toString(change.size()));
        return env;
    }

    /**
     * @param changes the changes of one batch, not empty
     * @return {@value #COUNT} and {@value #CONTAINER}; the caller adds {@value #MANIFEST} once it has written the file
     */
    public static Map<String, String> forBatch(List<BlobChange> changes) {
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("a batch has at least one change");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put(COUNT, Integer.toString(changes.size()));
        env.put(CONTAINER, changes.get(0).container());
        return env;
    }

    /**
     * @param changes changes in the order to list them
     * @return the manifest JSON described in the class documentation
     */
    public static String manifest(List<BlobChange> changes) {
        StringWriter out = new StringWriter();
        try (JsonWriter w = JsonProviders.createWriter(out)) {
            w.writeStartObject().writeIntField("count", changes.size()).writeStartArray("blobs");
            for (BlobChange c : changes) {
                w.writeStartObject()
                        .writeStringField("container", c.container())
                        .writeStringField("name", c.name())
                        .writeStringField("url", c.url())
                        .writeStringField("etag", c.etag())
                        .writeStringField("lastModified", c.lastModified().toString())
                        .writeLongField("size", c.size())
                        .writeStringField("contentType", c.contentType())
                        .writeEndObject();
            }
            w.writeEndArray().writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toString();
    }

    /**
     * The changes a triggered build was started for, from the variables it was given: the manifest file's content
     * for a batch build, the one blob's variables otherwise. What a Pipeline step hands back to the build.
     *
     * @param variables the variables of {@link #forChange} or {@link #forBatch} (with {@value #MANIFEST} added)
     * @return the changes, in report order
     * @throws IOException if the manifest file cannot be read or is not a manifest
     * @throws IllegalArgumentException if the variables are not those of a triggered build
     */
    public static List<BlobChange> changesOfBuild(Map<String, String> variables) throws IOException {
        String manifest = variables.get(MANIFEST);
        if (manifest != null) {
            return parseManifest(Files.readString(Path.of(manifest), StandardCharsets.UTF_8));
        }
        for (String required : List.of(NAME, URL, CONTAINER, ETAG, LAST_MODIFIED, SIZE)) {
            if (variables.get(required) == null) {
                throw new IllegalArgumentException("not the variables of a blob-triggered build: " + required
                        + " is missing");
            }
        }
        return List.of(new BlobChange(variables.get(CONTAINER), variables.get(NAME), variables.get(URL),
                variables.get(ETAG), Instant.parse(variables.get(LAST_MODIFIED)), Long.parseLong(variables.get(SIZE)),
                null));
    }

    /**
     * One change as a map of strings for a Pipeline: {@code container, name, url, etag, lastModified, size} and
     * {@code contentType} when known.
     *
     * @param change the change
     * @return the map, in that order
     */
    public static Map<String, String> describe(BlobChange change) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("container", change.container());
        map.put("name", change.name());
        map.put("url", change.url());
        map.put("etag", change.etag());
        map.put("lastModified", change.lastModified().toString());
        map.put("size", Long.toString(change.size()));
        if (change.contentType() != null) {
            map.put("contentType", change.contentType());
        }
        return map;
    }

    /**
     * Reads a manifest back, e.g. in a test or a tool that receives {@value #MANIFEST}.
     *
     * @param json a manifest written by {@link #manifest(List)}
     * @return the changes, in manifest order
     * @throws IOException if the JSON is not a manifest
     */
    public static List<BlobChange> parseManifest(String json) throws IOException {
        List<BlobChange> changes = new ArrayList<>();
        try (JsonReader r = JsonProviders.createReader(json)) {
            r.readObject(root -> {
                while (root.nextToken() != JsonToken.END_OBJECT) {
                    String field = root.getFieldName();
                    root.nextToken();
                    if ("blobs".equals(field)) {
                        changes.addAll(root.readArray(BlobChangeEnvironment::readChange));
                    } else {
                        root.skipChildren();
                    }
                }
                return null;
            });
        } catch (IllegalStateException e) {
            throw new IOException("not a blob manifest: " + e.getMessage(), e);
        }
        return changes;
    }

    private static BlobChange readChange(JsonReader r) throws IOException {
        return r.readObject(o -> {
            Map<String, String> f = new LinkedHashMap<>();
            long size = 0;
            while (o.nextToken() != JsonToken.END_OBJECT) {
                String field = o.getFieldName();
                o.nextToken();
                if ("size".equals(field)) {
                    size = o.getLong();
                } else {
                    f.put(field, o.getNullable(JsonReader::getString));
                }
            }
            return new BlobChange(f.get("container"), f.get("name"), f.get("url"), f.get("etag"),
                    Instant.parse(f.get("lastModified")), size, f.get("contentType"));
        });
    }
}
