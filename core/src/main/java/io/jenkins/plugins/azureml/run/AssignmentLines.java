package io.jenkins.plugins.azureml.run;

import io.jenkins.plugins.azureml.InvalidFieldException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The text form of the step's map arguments, for the Snippet Generator, whose form cannot post a Groovy map: one
 * {@code name=value} per line; a datapath is {@code name=datastore:path}, or {@code name=[file] datastore:path} for a
 * v2 {@code uri_file} input. {@code [} cannot start a datastore name, so the marker is unambiguous. Each parse is the
 * inverse of its format, so every argument the step takes survives a trip through the form.
 */
public final class AssignmentLines {
    /** Marks a datapath line whose {@code type} is {@code file}. */
    static final String FILE_MARKER = "[file]";

    private AssignmentLines() {
    }

    /**
     * @param values name → value
     * @return one {@code name=value} per line
     */
    public static String format(Map<String, String> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    /**
     * @param field the step argument the lines are for ({@code parameters}, {@code tags}), named in errors
     * @param text the lines; null or blank for none
     * @return name → value, in the order of the lines
     * @throws InvalidFieldException for {@code field} when a non-blank line has no '=' or no name
     */
    public static Map<String, String> parse(String field, String text) {
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

    /**
     * @param dataPaths the step's {@code dataPaths}: name → {@code datastore}, {@code path} and optionally {@code type}
     * @return one line per datapath
     */
    public static String formatDataPaths(Map<String, Map<String, String>> dataPaths) {
        Map<String, String> lines = new LinkedHashMap<>();
        dataPaths.forEach((name, d) -> {
            boolean file = "file".equalsIgnoreCase(String.valueOf(d.get("type")).trim());
            lines.put(name, (file ? FILE_MARKER + " " : "") + d.get("datastore") + ":" + d.get("path"));
        });
        return format(lines);
    }

    /**
     * @param text datapath lines; null or blank for none
     * @return name → {@code [datastore: ..., path: ...]} (and {@code type: 'file'} for a marked line), as the step's
     *     {@code dataPaths} argument takes them
     * @throws InvalidFieldException for {@code dataPaths}, showing the expected form
     */
    public static Map<String, Map<String, String>> parseDataPaths(String text) {
        Map<String, Map<String, String>> paths = new LinkedHashMap<>();
        parse("dataPaths", text).forEach((name, value) -> {
            String rest = value;
            boolean file = rest.toLowerCase(Locale.ROOT).startsWith(FILE_MARKER);
            if (file) {
                rest = rest.substring(FILE_MARKER.length()).trim();
            }
            int colon = rest.indexOf(':');
            if (colon <= 0 || rest.substring(0, colon).isBlank() || rest.substring(colon + 1).isBlank()) {
                throw new InvalidFieldException("dataPaths", "Write name=datastore:path, e.g."
                        + " input_datapath=workspaceblobstore:folder/file.csv, or name=[file] datastore:path for a"
                        + " single-file input; '" + name + "' has no datastore or no path.");
            }
            Map<String, String> path = new LinkedHashMap<>();
            path.put("datastore", rest.substring(0, colon).trim());
            path.put("path", rest.substring(colon + 1).trim());
            if (file) {
                path.put("type", "file");
            }
            paths.put(name, path);
        });
        SubmissionArguments.dataPaths(paths); // the step's own rules, so the form refuses what a run would
        return paths;
    }
}
