package io.jenkins.plugins.azureml.client.implementation;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** Reads the status and the {@code logFiles} map (file name → SAS URL) of a run history details answer. */
public final class LogFileResponses {
    private LogFileResponses() {
    }

    /**
     * @param status the run's status text, or null
     * @param files file name → URL, by name; empty when the run has no log files yet
     */
    public record Details(String status, Map<String, String> files) {
        @Override
        public String toString() {
            return "Details{" + status + ", files=" + files.keySet() + "}"; // never the URLs
        }
    }

    public static Details read(byte[] body) throws IOException {
        JsonTree json = JsonTree.parse(body);
        if (!json.isObject()) {
            throw new IOException("the response is not a JSON object");
        }
        Map<String, String> files = new TreeMap<>();
        json.get("logFiles").fields().forEach((name, url) -> {
            String text = url.text();
            if (text != null && !text.isBlank() && !name.isBlank()) {
                files.put(name, text.trim());
            }
        });
        return new Details(json.firstText("status"), files);
    }
}
