package io.jenkins.plugins.azureml.blob.events;

import com.azure.core.util.BinaryData;
import com.azure.json.JsonProviders;
import com.azure.json.JsonWriter;
import com.azure.storage.queue.QueueClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays Event Grid in tests: writes the queue message a storage-queue subscription would write for a blob commit,
 * in either schema and either encoding, the fields as Azure documents them for {@code Microsoft.Storage.BlobCreated}.
 */
public final class EventGridFixture {
    /** How Event Grid would write the message. */
    public enum Format {
        EVENT_GRID_BASE64, EVENT_GRID_PLAIN, CLOUD_EVENTS_BASE64, CLOUD_EVENTS_PLAIN
    }

    private static final AtomicLong SEQUENCER = new AtomicLong();

    private EventGridFixture() {
    }

    /** The message text for a commit of {@code name} in {@code container} with the ETag and size. */
    public static String message(Format format, String blobUrl, String container, String name, String etag, long size,
            String api) {
        return message(format, "Microsoft.Storage.BlobCreated", blobUrl, container, name, etag, size, api);
    }

    public static String message(Format format, String type, String blobUrl, String container, String name, String etag,
            long size, String api) {
        boolean cloud = format == Format.CLOUD_EVENTS_BASE64 || format == Format.CLOUD_EVENTS_PLAIN;
        String json = json(cloud, type, blobUrl, container, name, etag, size, api);
        return format == Format.EVENT_GRID_BASE64 || format == Format.CLOUD_EVENTS_BASE64
                ? Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)) : json;
    }

    public static void send(QueueClient queue, String text) {
        queue.sendMessage(BinaryData.fromString(text));
    }

    private static String json(boolean cloud, String type, String blobUrl, String container, String name,
            String etag, long size, String api) {
        String source = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
                + "Microsoft.Storage/storageAccounts/devstoreaccount1";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonWriter w = JsonProviders.createWriter(out)) {
            w.writeStartObject();
            if (cloud) {
                w.writeStringField("source", source).writeStringField("type", type)
                        .writeStringField("specversion", "1.0").writeStringField("time", now());
            } else {
                w.writeStringField("topic", source).writeStringField("eventType", type)
                        .writeStringField("eventTime", now()).writeStringField("dataVersion", "")
                        .writeStringField("metadataVersion", "1");
            }
            w.writeStringField("subject", "/blobServices/default/containers/" + container + "/blobs/" + name);
            w.writeStringField("id", UUID.randomUUID().toString());
            w.writeStartObject("data");
            w.writeStringField("api", api).writeStringField("clientRequestId", UUID.randomUUID().toString())
                    .writeStringField("requestId", UUID.randomUUID().toString()).writeStringField("eTag", etag)
                    .writeStringField("contentType", "application/octet-stream").writeLongField("contentLength", size)
                    .writeStringField("blobType", "BlockBlob").writeStringField("url", blobUrl)
                    .writeStringField("sequencer", String.format("%032x", SEQUENCER.incrementAndGet()));
            w.writeStartObject("storageDiagnostics").writeStringField("batchId", UUID.randomUUID().toString())
                    .writeEndObject();
            w.writeEndObject();
            w.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String now() {
        return OffsetDateTime.now().toString();
    }
}
