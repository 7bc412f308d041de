package io.jenkins.plugins.azureml.blob.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The documented Event Grid messages under {@code src/test/resources/event-grid/}, filled in: what an Event Grid
 * subscription that we did not write puts in the queue.
 */
final class EventGridSamples {
    private EventGridSamples() {
    }

    /**
     * @param file e.g. {@code hns-flush-with-close.eventgrid.json}
     * @param values the placeholders' values (account, container, name, source, etag, length)
     * @return the message text, Base64 as Event Grid writes it today
     */
    static String message(String file, Map<String, String> values) {
        String json = text(file);
        for (Map.Entry<String, String> v : values.entrySet()) {
            json = json.replace("${" + v.getKey() + "}", v.getValue());
        }
        if (json.contains("${")) {
            throw new IllegalArgumentException(file + " still has a placeholder: " + json);
        }
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String file) {
        try (InputStream in = EventGridSamples.class.getResourceAsStream("/event-grid/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
