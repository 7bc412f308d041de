package io.jenkins.plugins.azureml.simulator;

import java.util.List;
import java.util.Map;

/**
 * One request the simulator received. Headers are kept except the Authorization value (only whether one was
 * sent and which issued token it was, by serial number). Form bodies of token requests have their secret masked.
 *
 * @param route what the request addressed
 * @param tokenSerial the serial number of the simulator-issued token it carried, or 0
 * @param receivedAt when it arrived (real time)
 */
public record RecordedRequest(Route route, String method, String path, String query,
                              Map<String, List<String>> headers, String body, int tokenSerial,
                              java.time.Instant receivedAt) {
    /** A header value (first), case-insensitive, or null. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }
}
