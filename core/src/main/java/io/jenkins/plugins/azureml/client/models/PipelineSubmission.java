package io.jenkins.plugins.azureml.client.models;

import io.jenkins.plugins.azureml.InvalidFieldException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What to submit: experiment, description, tags, parameter and datapath assignments, and (v2 only) outputs. Build
 * with {@link #builder()}. For a v2 batch endpoint, parameters become {@code Literal} job inputs and datapaths
 * {@code UriFolder} (or {@code UriFile}) job inputs of the same names, so a v1 Jenkinsfile moves to v2 by changing
 * the endpoint; description and tags have no place in a batch invocation and are not sent there.
 */
public final class PipelineSubmission {
    /** Azure ML experiment names: 1-255 letters, digits, '_' and '-', starting with a letter or digit. */
    private static final Pattern EXPERIMENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,254}");
    /**
     * Entries per map (parameters, dataPaths, tags, outputs): far above any real pipeline, so more is almost surely
     * a Jenkinsfile passing a whole map (env, a file's lines) by mistake.
     */
    public static final int MAX_ENTRIES = 1_000;
    /** Characters of all names and values of one map: a 1 MB value passes, a request of many megabytes does not. */
    public static final long MAX_CHARS = 4L * 1024 * 1024;
    /**
     * The tag naming the build that submitted (e.g. {@code folder/job#12}). When a submission may have started a run
     * without an answer saying so, the client's message names this tag's value to look for in Azure ML studio.
     */
    public static final String BUILD_TAG = "jenkins-build";

    private final String experimentName;
    private final String description;
    private final Map<String, String> parameterAssignments;
    private final Map<String, DataPathAssignment> dataPathAssignments;
    private final Map<String, String> tags;
    private final Map<String, DataPathAssignment> outputs;

    private PipelineSubmission(Builder b) {
        this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(b.outputs));
        this.experimentName = b.experimentName;
        this.description = b.description;
        this.parameterAssignments = Collections.unmodifiableMap(new LinkedHashMap<>(b.parameterAssignments));
        this.dataPathAssignments = Collections.unmodifiableMap(new LinkedHashMap<>(b.dataPathAssignments));
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
    }

    public static Builder builder() {
        return new Builder();
    }

    public String getExperimentName() {
        return experimentName;
    }

    /** May be null. */
    public String getDescription() {
        return description;
    }

    public Map<String, String> getParameterAssignments() {
        return parameterAssignments;
    }

    public Map<String, DataPathAssignment> getDataPathAssignments() {
        return dataPathAssignments;
    }

    public Map<String, String> getTags() {
        return tags;
    }

    /** v2 only: where job outputs go, by output name; empty for the deployment's default outputs. */
    public Map<String, DataPathAssignment> getOutputs() {
        return outputs;
    }

    /** Builds a {@link PipelineSubmission}; only the experiment name is required. */
    public static final class Builder {
        private String experimentName;
        private String description;
        private final Map<String, String> parameterAssignments = new LinkedHashMap<>();
        private final Map<String, DataPathAssignment> dataPathAssignments = new LinkedHashMap<>();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final Map<String, DataPathAssignment> outputs = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder experimentName(String experimentName) {
            this.experimentName = experimentName;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder parameterAssignments(Map<String, String> values) {
            parameterAssignments.putAll(values);
            return this;
        }

        public Builder parameter(String name, String value) {
            parameterAssignments.put(name, value);
            return this;
        }

        public Builder dataPathAssignments(Map<String, DataPathAssignment> values) {
            dataPathAssignments.putAll(values);
            return this;
        }

        /** @throws InvalidFieldException for {@code dataPaths} when the datastore or the path is missing */
        public Builder dataPath(String name, String datastoreName, String relativePath) {
            if (datastoreName == null || datastoreName.isBlank() || relativePath == null) {
                throw new InvalidFieldException("dataPaths", "Datapath '" + name + "' needs a datastore and a path,"
                        + " e.g. [datastore: 'workspaceblobstore', path: 'folder/file.csv'].");
            }
            dataPathAssignments.put(name, new DataPathAssignment(datastoreName, relativePath));
            return this;
        }

        /** v2 only: an output written to a datastore path ({@code UriFolder} unless the assignment is a file). */
        public Builder output(String name, DataPathAssignment target) {
            outputs.put(name, target);
            return this;
        }

        public Builder tags(Map<String, String> values) {
            tags.putAll(values);
            return this;
        }

        /**
         * @throws InvalidFieldException for {@code experimentName} when it is missing or not a valid Azure ML
         *     experiment name, for {@code parameters}/{@code dataPaths}/{@code tags} when a name is blank, or for
         *     {@code dataPaths} when a path is blank; checked before anything is sent, so the service never sees it
         */
        public PipelineSubmission build() {
            if (experimentName == null || experimentName.isBlank()) {
                throw new InvalidFieldException("experimentName", "The experiment name is required, e.g."
                        + " experimentName: 'MyRestPipeline'. Runs are grouped under it in Azure ML studio.");
            }
            if (!EXPERIMENT_NAME.matcher(experimentName).matches()) {
                throw new InvalidFieldException("experimentName", "'" + abbreviate(experimentName) + "' is not a"
                        + " valid experiment name: use 1 to 255 letters, digits, '_' and '-', starting with a letter"
                        + " or digit, e.g. experimentName: 'MyRestPipeline'.");
            }
            if (parameterAssignments.keySet().stream().anyMatch(k -> k == null || k.isBlank())) {
                throw new InvalidFieldException("parameters", "A parameter name is empty.");
            }
            if (dataPathAssignments.keySet().stream().anyMatch(k -> k == null || k.isBlank())) {
                throw new InvalidFieldException("dataPaths", "A datapath parameter name is empty.");
            }
            for (Map.Entry<String, DataPathAssignment> e : dataPathAssignments.entrySet()) {
                if (e.getValue() == null || e.getValue().getRelativePath().isBlank()) {
                    throw new InvalidFieldException("dataPaths", "Datapath '" + e.getKey() + "' has an empty path;"
                            + " give the file or folder inside the datastore, e.g. path: 'folder/file.csv'.");
                }
            }
            checkSize("parameters", parameterAssignments.size(), chars(parameterAssignments));
            checkSize("dataPaths", dataPathAssignments.size(), charsOfPaths(dataPathAssignments));
            checkSize("tags", tags.size(), chars(tags));
            checkSize("outputs", outputs.size(), charsOfPaths(outputs));
            if (tags.keySet().stream().anyMatch(k -> k == null || k.isBlank())) {
                throw new InvalidFieldException("tags", "A tag name is empty.");
            }
            if (outputs.keySet().stream().anyMatch(k -> k == null || k.isBlank())) {
                throw new InvalidFieldException("outputs", "An output name is empty.");
            }
            return new PipelineSubmission(this);
        }

        private static void checkSize(String field, int entries, long chars) {
            if (entries > MAX_ENTRIES) {
                throw new InvalidFieldException(field, "has " + entries + " entries, more than the " + MAX_ENTRIES
                        + " allowed; pass only the pipeline's own inputs, not a whole map such as env.");
            }
            if (chars > MAX_CHARS) {
                throw new InvalidFieldException(field, "holds " + chars + " characters, more than the " + MAX_CHARS
                        + " allowed; pass large data through a datastore path instead of a value.");
            }
        }

        private static long chars(Map<String, String> map) {
            long n = 0;
            for (Map.Entry<String, String> e : map.entrySet()) {
                n += length(e.getKey()) + length(e.getValue());
            }
            return n;
        }

        private static long charsOfPaths(Map<String, DataPathAssignment> map) {
            long n = 0;
            for (Map.Entry<String, DataPathAssignment> e : map.entrySet()) {
                n += length(e.getKey()) + (e.getValue() == null ? 0
                        : e.getValue().getDatastoreName().length() + e.getValue().getRelativePath().length());
            }
            return n;
        }

        private static int length(String s) {
            return s == null ? 0 : s.length();
        }

        /** Keeps error messages short when the bad value is huge. */
        private static String abbreviate(String value) {
            return value.length() <= 60 ? value : value.substring(0, 60) + "... (" + value.length() + " characters)";
        }
    }
}
