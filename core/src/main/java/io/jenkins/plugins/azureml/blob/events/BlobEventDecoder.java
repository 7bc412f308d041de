package io.jenkins.plugins.azureml.blob.events;

import com.azure.core.models.CloudEvent;
import com.azure.core.util.BinaryData;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.azure.messaging.eventgrid.SystemEventNames;
import com.azure.messaging.eventgrid.systemevents.StorageBlobCreatedEventData;
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
 * 1.0, one event per message or a JSON array (Event Grid writes one). The event models are the SDK's
 * ({@link EventGridEvent}, {@link CloudEvent}, {@link StorageBlobCreatedEventData}); only the subject is parsed
 * here. Never throws: anything unusable is {@link DecodedMessage.Kind#MALFORMED}, with a reason that quotes no
 * message content (it may be anything).
 */
public final class BlobEventDecoder {
    private static final String SUBJECT_START = "/blobServices/default/containers/";
    private static final String BLOBS = "/blobs/";

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
            if (!SystemEventNames.STORAGE_BLOB_CREATED.equals(e.getEventType())) {
                otherType = otherType == null ? e.getEventType() : otherType;
                continue;
            }
            BlobEvent event = blobEvent(e.getId(), e.getSubject(), e.getData(), BlobEvent.Schema.EVENT_GRID);
            if (event == null) {
                return DecodedMessage.malformed("a BlobCreated event without a blob subject, eTag or url");
            }
            events.add(event);
        }
        return events.isEmpty() ? DecodedMessage.otherEvent(otherType) : DecodedMessage.blobCreated(events);
    }

    private static DecodedMessage cloudEvents(String json) throws IOException {
        List<BlobEvent> events = new ArrayList<>();
        String otherType = null;
        for (CloudEvent e : CloudEvent.fromString(json)) {
            if (!SystemEventNames.STORAGE_BLOB_CREATED.equals(e.getType())) {
                otherType = otherType == null ? e.getType() : otherType;
                continue;
            }
            BlobEvent event = blobEvent(e.getId(), e.getSubject(), e.getData(), BlobEvent.Schema.CLOUD_EVENTS);
            if (event == null) {
                return DecodedMessage.malformed("a BlobCreated event without a blob subject, eTag or url");
            }
            events.add(event);
        }
        return events.isEmpty() ? DecodedMessage.otherEvent(otherType) : DecodedMessage.blobCreated(events);
    }

    /** The event, or null when its subject is not a blob's or its data lacks the ETag or URL. */
    private static BlobEvent blobEvent(String id, String subject, BinaryData data, BlobEvent.Schema schema)
            throws IOException {
        if (subject == null || !subject.startsWith(SUBJECT_START) || data == null) {
            return null;
        }
        int blobs = subject.indexOf(BLOBS, SUBJECT_START.length());
        if (blobs <= SUBJECT_START.length() || blobs + BLOBS.length() >= subject.length()) {
            return null;
        }
        String container = subject.substring(SUBJECT_START.length(), blobs);
        String name = subject.substring(blobs + BLOBS.length());
        StorageBlobCreatedEventData d;
        try (JsonReader r = JsonProviders.createReader(data.toBytes())) {
            d = StorageBlobCreatedEventData.fromJson(r);
        }
        if (d == null || d.getETag() == null || d.getETag().isBlank() || d.getUrl() == null) {
            return null;
        }
        long length = d.getContentLength() == null ? -1 : d.getContentLength();
        return new BlobEvent(id, container, name, BlobChange.normaliseEtag(d.getETag()), length, d.getUrl(),
                d.getApi(), d.getSequencer(), schema);
    }
}
