package io.jenkins.plugins.azureml.simulator;

import java.io.IOException;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a batch endpoint invocation against the deployment the way the service does: declared inputs, their
 * {@code JobInputType}, {@code azureml://datastores/{ds}/paths/{path}} URIs of known datastores, declared outputs,
 * and the experiment name. Reads keys case-insensitively.
 */
final class BatchInvokeValidator {
    private static final Pattern EXPERIMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,254}");
    private static final Pattern DATA_URI = Pattern.compile("azureml://datastores/([^/]+)/paths/(.+)");

    private BatchInvokeValidator() {
    }

    /** The experiment the job goes to: the one asked for, else the endpoint's name (as the service does). */
    static String validate(byte[] body, BatchEndpoint endpoint, PublishedPipeline pipeline)
            throws SubmitValidator.Rejected {
        Object json;
        try {
            json = SimulatorJson.parse(body);
        } catch (IOException e) {
            throw rejected("The request body is not valid JSON.");
        }
        Object properties = SimulatorJson.field(json, "properties");
        if (!(properties instanceof Map)) {
            throw rejected("The request body must have a 'properties' object.");
        }
        Object inputs = SimulatorJson.field(properties, "InputData");
        if (inputs != null && !(inputs instanceof Map)) {
            throw rejected("InputData must be an object.");
        }
        if (inputs instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                checkInput(String.valueOf(e.getKey()), e.getValue(), pipeline);
            }
        }
        Object outputs = SimulatorJson.field(properties, "OutputData");
        if (outputs instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!endpoint.outputs().contains(String.valueOf(e.getKey()))) {
                    throw rejected("Output '" + e.getKey() + "' is not an output of the deployment. Outputs: "
                            + new TreeSet<>(endpoint.outputs()) + ".");
                }
                checkUri(String.valueOf(e.getKey()), SimulatorJson.field(e.getValue(), "JobOutputType"),
                        SimulatorJson.field(e.getValue(), "Uri"), pipeline);
            }
        }
        Object experiment = SimulatorJson.field(SimulatorJson.field(properties, "properties"), "experimentName");
        if (experiment == null) {
            return endpoint.name();
        }
        if (!(experiment instanceof String name) || !EXPERIMENT.matcher(name).matches()) {
            throw rejected("Experiment name '" + experiment + "' is invalid: use letters, digits, '_' and '-',"
                    + " start with a letter or digit, at most 255 characters.");
        }
        return name;
    }

    private static void checkInput(String name, Object input, PublishedPipeline pipeline)
            throws SubmitValidator.Rejected {
        Object type = SimulatorJson.field(input, "JobInputType");
        if (pipeline.parameters().contains(name)) {
            if (!"Literal".equals(type) || !(SimulatorJson.field(input, "Value") instanceof String)) {
                throw rejected("Input '" + name + "' is a literal input: send {\"JobInputType\": \"Literal\","
                        + " \"Value\": \"...\"}.");
            }
        } else if (pipeline.dataPaths().contains(name)) {
            checkUri(name, type, SimulatorJson.field(input, "Uri"), pipeline);
        } else {
            TreeSet<String> declared = new TreeSet<>(pipeline.parameters());
            declared.addAll(pipeline.dataPaths());
            throw rejected("Input '" + name + "' is not an input of the deployment. Inputs: " + declared + ".");
        }
    }

    private static void checkUri(String name, Object type, Object uri, PublishedPipeline pipeline)
            throws SubmitValidator.Rejected {
        if (!"UriFolder".equals(type) && !"UriFile".equals(type)) {
            throw rejected("Data '" + name + "' needs a type UriFolder or UriFile, not " + type + ".");
        }
        Matcher m = uri instanceof String s ? DATA_URI.matcher(s) : null;
        if (m == null || !m.matches()) {
            throw rejected("Uri of '" + name + "' must be azureml://datastores/<datastore>/paths/<path>, not " + uri
                    + ".");
        }
        if (!pipeline.datastores().contains(m.group(1))) {
            throw rejected("Datastore '" + m.group(1) + "' of '" + name + "' does not exist in the workspace.");
        }
    }

    private static SubmitValidator.Rejected rejected(String message) {
        return new SubmitValidator.Rejected("UserError", message);
    }
}
