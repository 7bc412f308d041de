package io.jenkins.plugins.azureml.simulator;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Checks a submission body against a published pipeline the way the service does; returns the 400 message or null. */
final class SubmitValidator {
    /** Azure ML experiment names: letters, digits, '_' and '-', starting with a letter or digit, at most 255. */
    private static final Pattern EXPERIMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,254}");

    private SubmitValidator() {
    }

    /** The parsed body when valid. */
    record Submission(String experimentName, Map<String, String> tags) {
    }

    /** Thrown with the service's code and message. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        final String code;

        Rejected(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    static Submission validate(byte[] body, PublishedPipeline pipeline) throws Rejected {
        Object json;
        try {
            json = SimulatorJson.parse(body);
        } catch (IOException e) {
            throw new Rejected("UserError", "The request body is not valid JSON.");
        }
        if (!(json instanceof Map)) {
            throw new Rejected("UserError", "The request body must be a JSON object.");
        }
        Object experiment = SimulatorJson.field(json, "ExperimentName");
        if (!(experiment instanceof String name) || name.isBlank()) {
            throw new Rejected("ValidationError", "ExperimentName is required.");
        }
        if (!EXPERIMENT.matcher(name).matches()) {
            throw new Rejected("ValidationError", "Experiment name '" + name + "' is invalid: use letters, digits,"
                    + " '_' and '-', start with a letter or digit, at most 255 characters.");
        }
        checkParameters(SimulatorJson.field(json, "ParameterAssignments"), pipeline);
        checkDataPaths(SimulatorJson.field(json, "DataPathAssignments"), pipeline);
        return new Submission(name, stringMap(SimulatorJson.field(json, "Tags")));
    }

    private static void checkParameters(Object assignments, PublishedPipeline pipeline) throws Rejected {
        if (assignments == null) {
            return;
        }
        if (!(assignments instanceof Map<?, ?> map)) {
            throw new Rejected("UserError", "ParameterAssignments must be an object.");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!pipeline.parameters().contains(String.valueOf(e.getKey()))) {
                throw new Rejected("UserError", "Parameter '" + e.getKey() + "' is not defined for pipeline "
                        + pipeline.id() + ". Defined parameters: " + new TreeSet<>(pipeline.parameters()) + ".");
            }
            if (e.getValue() instanceof Map || e.getValue() instanceof List) {
                throw new Rejected("UserError", "Parameter '" + e.getKey() + "' must have a scalar value.");
            }
        }
    }

    private static void checkDataPaths(Object assignments, PublishedPipeline pipeline) throws Rejected {
        if (assignments == null) {
            return;
        }
        if (!(assignments instanceof Map<?, ?> map)) {
            throw new Rejected("UserError", "DataPathAssignments must be an object.");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!pipeline.dataPaths().contains(String.valueOf(e.getKey()))) {
                throw new Rejected("UserError", "Datapath parameter '" + e.getKey() + "' is not defined for pipeline "
                        + pipeline.id() + ". Defined datapaths: " + new TreeSet<>(pipeline.dataPaths()) + ".");
            }
            Object store = SimulatorJson.field(e.getValue(), "DataStoreName");
            Object path = SimulatorJson.field(e.getValue(), "RelativePath");
            if (!(store instanceof String s) || !pipeline.datastores().contains(s)) {
                throw new Rejected("UserError", "Datastore '" + store + "' of datapath '" + e.getKey()
                        + "' does not exist in the workspace.");
            }
            if (!(path instanceof String p) || p.isBlank()) {
                throw new Rejected("UserError", "RelativePath of datapath '" + e.getKey() + "' is required.");
            }
        }
    }

    private static Map<String, String> stringMap(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return Map.of();
        }
        java.util.Map<String, String> result = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> result.put(String.valueOf(k), String.valueOf(v)));
        return result;
    }
}
