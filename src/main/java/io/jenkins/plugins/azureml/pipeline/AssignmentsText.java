package io.jenkins.plugins.azureml.pipeline;

import io.jenkins.plugins.azureml.InvalidFieldException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Snippet Generator's text form of the step's map arguments: one {@code name=value} per line. The form cannot
 * post a Groovy map, so the descriptor converts these lines to and from the maps the step holds.
 */
final class AssignmentsText {
    private AssignmentsText() {
    }

    static String format(Map<String, String> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    /** @throws InvalidFieldException for {@code field} when a non-blank line has no '=' or no name */
    static Map<String, String> parse(String field, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        if (text == null) {
            return values;
        }
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || line.substring(0, eq).isBlank()) {
                throw new InvalidFieldException(field, "Write one name=value per line; '" + line.trim()
                        + "' has no name.");
            }
            values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return values;
    }
}
