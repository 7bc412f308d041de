package io.jenkins.plugins.azureml.blob.events;

import com.azure.core.models.CloudEvent;
import com.azure.core.util.BinaryData;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.azure.messaging.eventgrid.SystemEventNames;
import io.jenkins.plugins.azureml.blob.BlobChange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Turns the text of a Storage queue message written by an Event Grid subscription into {@link BlobEvent}s. Accepts
 * Base64 (what Event Grid writes today) and plain JSON (older subscriptions), the Event Grid schema and CloudEvents
 * 1.0, one event per message or a JSON array (Event Grid writes one). The envelopes are the SDK's
 * ({@link EventGridEvent}, {@link CloudEvent}); the data is read as plain JSON because its fields differ by API and
 * data version: {@code BlobCreated} of the Blob API, of the Data Lake API ({@code dataVersion} 2: a {@code dfs.} url,
 * {@code blobUrl}, {@code contentOffset}, an ETag written with its quotes) and {@code BlobRenamed}
 * ({@code destinationUrl}, no ETag). Never throws: anything unusable is {@link DecodedMessage.Kind#MALFORMED}, with a
 * reason that quotes no message content (it may be anything).
 */
public final class BlobEventDecoder {
    private static final String SUBJECT_START = "/blobServices/default/containers/";
    private static final String BLOBS = "/blobs/";
    /** Data Lake's RenameFile: a blob now exists at the destination name (the subject). */
    static final String BLOB_RENAMED = "Microsoft.Storage.BlobRenamed";

    private BlobEventDecoder() {
    }

    /**
     * @param messageText the message body as stored in the queue (no decoding applied by the queue client)
     * @return what the message is
     */
    public static DecodedMessage decode(String messageText) {
        if (messageText == null || messageText.isBlank()) {
            return DecodedMessage.malformed("empty message");
        }
        String json = messageText.strip();
        if (!json.startsWith("{") && !json.startsWith("[")) {
            try {
                json = new String(Base64.getMimeDecoder().decode(json), StandardCharsets.UTF_8).strip();
            } catch (IllegalArgumentException e) {
                return DecodedMessage.malformed("neither JSON nor Base64");
            }
            if (!json.startsWith("{") && !json.startsWith("[")) {
                return DecodedMessage.malformed("Base64 that does not hold JSON");
            }
        }
        Map<?, ?> first;
        try {
            first = firstObject(json);
        } catch (IOException | RuntimeException e) {
            return DecodedMessage.malformed("not valid JSON");
        }
        if (first == null) {
            return DecodedMessage.malformed("no event in the message");
        }
        try {
            if (first.containsKey("specversion")) {
                return cloudEvents(json);
            }
            if (first.containsKey("eventType")) {
                return eventGridEvents(json);
            }
        } catch (IOException | RuntimeException e) {
            // The SDK says what is missing; its message may quote the content, so keep only its kind.
            return DecodedMessage.malformed("an event without its required fields (" + e.getClass().getSimpleName()
                    + ")");
        }
        return DecodedMessage.malformed("JSON that is neither an Event Grid event nor a CloudEvent");
    }

    private static Map<?, ?> firstObject(String json) throws IOException {
        try (JsonReader r = JsonProviders.createReader(json)) {
            r.nextToken();
            Object value = r.readUntyped();
            if (value instanceof List<?> list) {
                value = list.isEmpty() ? null : list.get(0);
            }
            return value instanceof Map<?, ?> map ? map : null;
        }
    }

    private static DecodedMessage eventGridEvents(String json) throws IOException {
        List<BlobEvent> events = new ArrayList<>();
        String otherType = null;
        for (EventGridEvent e : EventGridEvent.fromString(json)) {
            if (!isBlobEvent(e.getEventType())) {
                otherType = otherType == null ? e.getEventType() : otherType;
                continue;
            }
            BlobEvent event = blobEvent(e.getId(), e.getTopic(), e.getSubject(), e.getData(), e.getEventType(),
                    BlobEvent.Schema.EVENT_GRID);
            if (event == null) {
                return DecodedMessage.malformed("a blob event without a blob subject, eTag or url");
            }
            events.add(event);
        }
        return events.isEmpty() ? DecodedMessage.otherEvent(otherType) : DecodedMessage.blobCreated(events);
    }

    private static DecodedMessage cloudEvents(String json) throws IOException {
        List<BlobEvent> events = new ArrayList<>();
        String otherType = null;
        for (CloudEvent e : CloudEvent.fromString(json)) {
            if (!isBlobEvent(e.getType())) {
                otherType = otherType == null ? e.getType() : otherType;
                continue;
            }
            BlobEvent event = blobEvent(e.getId(), e.getSource(), e.getSubject(), e.getData(), e.getType(),
                    BlobEvent.Schema.CLOUD_EVENTS);
            if (event == null) {
                return DecodedMessage.malformed("a blob event without a blob subject, eTag or url");
            }
            events.add(event);
        }
        return events.isEmpty() ? DecodedMessage.otherEvent(otherType) : DecodedMessage.blobCreated(events);
    }

    private static boolean isBlobEvent(String type) {
        return SystemEventNames.STORAGE_BLOB_CREATED.equals(type) || BLOB_RENAMED.equals(type);
    }

    /**
     * The event, or null when its subject is not a blob's or its data lacks what identifies the version: the ETag
     * and url of a BlobCreated, the destinationUrl of a BlobRenamed.
     */
    private static BlobEvent blobEvent(String id, String accountResourceId, String subject, BinaryData data,
            String type, BlobEvent.Schema schema) throws IOException {
        if (subject == null || !subject.startsWith(SUBJECT_START) || data == null) {
            return null;
        }
        int blobs = subject.indexOf(BLOBS, SUBJECT_START.length());
        if (blobs <= SUBJECT_START.length() || blobs + BLOBS.length() >= subject.length()) {
            return null;
        }
        String container = subject.substring(SUBJECT_START.length(), blobs);
        String name = subject.substring(blobs + BLOBS.length());
        Map<?, ?> d;
        try (JsonReader r = JsonProviders.createReader(data.toBytes())) {
            r.nextToken();
            Object value = r.readUntyped();
            d = value instanceof Map<?, ?> map ? map : null;
        }
        if (d == null) {
            return null;
        }
        boolean renamed = BLOB_RENAMED.equals(type);
        String etag = text(d, "eTag");
        String url = renamed ? text(d, "destinationUrl") : text(d, "url");
        String blobUrl = text(d, "blobUrl");
        if (url == null) {
            url = blobUrl;
        }
        if (url == null || (!renamed && etag == null)) {
            return null;
        }
        Object length = d.get("contentLength");
        return new BlobEvent(id, accountResourceId, container, name, etag == null ? null : BlobChange.normaliseEtag(etag),
                length instanceof Number n ? n.longValue() : -1, url, blobUrl, text(d, "api"), text(d, "sequencer"),
                schema);
    }

    /** A non-blank string field, or null. */
    private static String text(Map<?, ?> data, String field) {
        Object value = data.get(field);
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
