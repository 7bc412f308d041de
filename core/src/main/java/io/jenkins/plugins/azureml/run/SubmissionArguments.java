package io.jenkins.plugins.azureml.run;

import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.models.DataPathAssignment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the loosely typed map arguments of the {@code triggerAzureMlPipeline} step (Groovy maps whose values may be
 * GStrings, numbers or booleans) into what a submission takes, rejecting what cannot be meant with an error that
 * names the argument and shows the expected form.
 */
public final class SubmissionArguments {
    /** The keys a {@code dataPaths} entry may have. */
    static final Set<String> DATA_PATH_KEYS = Set.of("datastore", "path", "type");

    private SubmissionArguments() {
    }

    /**
     * A map argument as the step receives it: its setters take {@code Object} so that structs documents them as
     * "not enumerable" instead of failing to categorise {@code Map} (the help files describe the shape).
     *
     * @param field the argument's name, for errors
     * @param value what the Jenkinsfile passed, or null for none
     * @return the map, or null for none
     * @throws InvalidFieldException when the value is not a map
     */
    public static Map<?, ?> map(String field, Object value) {
        if (value == null || value instanceof Map) {
            return (Map<?, ?>) value;
        }
        String example = "dataPaths".equals(field)
                ? "[input_datapath: [datastore: 'workspaceblobstore', path: 'folder/file.csv']]" : "[name: 'value']";
        throw new InvalidFieldException(field, "Must be a map like " + field + ": " + example + ", not a "
                + value.getClass().getSimpleName() + ".");
    }

    /**
     * {@code parameters} or {@code tags}: name → value, every value as a string.
     *
     * @param field the argument's name, for errors
     * @param values the Groovy map, or null for none
     * @return an unmodifiable map in the given order
     * @throws InvalidFieldException for an empty name or a missing value
     */
    public static Map<String, String> strings(String field, Map<?, ?> values) {
        Map<String, String> result = new LinkedHashMap<>();
        if (values != null) {
            for (Map.Entry<?, ?> e : values.entrySet()) {
                String name = e.getKey() == null ? "" : e.getKey().toString();
                if (name.isBlank()) {
                    throw new InvalidFieldException(field, "A name is empty; write " + field + ": [name: 'value'].");
                }
                if (e.getValue() == null) {
                    throw new InvalidFieldException(field, "'" + name + "' has no value.");
                }
                result.put(name, e.getValue().toString());
            }
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * {@code dataPaths}: name → {@code [datastore: 'ds', path: 'p']}, optionally {@code type: 'file'} for a v2
     * {@code uri_file} input (the default, {@code 'folder'}, is what a v1 datapath is).
     *
     * @param values the Groovy map, or null for none
     * @return an unmodifiable map in the given order
     * @throws InvalidFieldException naming {@code dataPaths} for anything else
     */
    public static Map<String, DataPathAssignment> dataPaths(Map<?, ?> values) {
        Map<String, DataPathAssignment> result = new LinkedHashMap<>();
        if (values != null) {
            for (Map.Entry<?, ?> e : values.entrySet()) {
                String name = e.getKey() == null ? "" : e.getKey().toString();
                if (name.isBlank()) {
                    throw new InvalidFieldException("dataPaths", "A datapath name is empty; write"
                            + " dataPaths: [input_datapath: [datastore: 'workspaceblobstore', path: 'folder/file.csv']].");
                }
                result.put(name, dataPath(name, e.getValue()));
            }
        }
        return Collections.unmodifiableMap(result);
    }

    private static DataPathAssignment dataPath(String name, Object value) {
        if (!(value instanceof Map)) {
            throw new InvalidFieldException("dataPaths", "Datapath '" + name + "' must be a map like"
                    + " [datastore: 'workspaceblobstore', path: 'folder/file.csv'].");
        }
        Map<String, String> entry = strings("dataPaths", (Map<?, ?>) value);
        for (String key : entry.keySet()) {
            if (!DATA_PATH_KEYS.contains(key)) {
                throw new InvalidFieldException("dataPaths", "Datapath '" + name + "' has an unknown key '" + key
                        + "'; it takes datastore, path and optionally type ('folder' or 'file').");
            }
        }
        String datastore = entry.get("datastore");
        String path = entry.get("path");
        if (datastore == null || datastore.isBlank() || path == null || path.isBlank()) {
            throw new InvalidFieldException("dataPaths", "Datapath '" + name + "' needs both datastore and path,"
                    + " e.g. [datastore: 'workspaceblobstore', path: 'folder/file.csv'].");
        }
        String type = entry.getOrDefault("type", "folder").trim().toLowerCase(Locale.ROOT);
        switch (type) {
            case "folder":
                return new DataPathAssignment(datastore, path);
            case "file":
                return DataPathAssignment.file(datastore, path);
            default:
                throw new InvalidFieldException("dataPaths", "Datapath '" + name + "' has type '" + entry.get("type")
                        + "'; use 'folder' (the default) or 'file'.");
        }
    }
}
