package io.jenkins.plugins.azureml.client.implementation;

import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.RunReference;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import java.io.IOException;

/**
 * Reads v2 job resources: the batch endpoint's answer to an invocation and the ARM job
 * ({@code {"name", "properties": {"status", "services": {"Studio": {"endpoint"}}}}}). The ARM job carries no error
 * message; the client reads a failed job's error from run history.
 */
public final class BatchJobResponses {
    private BatchJobResponses() {
    }

    /** The job created by an invocation; its id is the response's {@code name}. */
    public static PipelineRun fromInvokeResponse(byte[] body, RunResponses.RunReferenceFactory references)
            throws IOException {
        JsonTree json = JsonTree.parse(body);
        String name = json.firstText("name");
        if (!json.isObject() || name == null) {
            throw new IOException("the response has no job name");
        }
        JsonTree properties = json.get("properties");
        RunReference reference = references.create(properties.firstText("experimentName"), name);
        String status = properties.firstText("status");
        return new PipelineRun(reference, status == null ? RunStatus.NOT_STARTED : RunStatus.parse(status), status,
                null, null, null, null, studioUrl(properties));
    }

    /** An ARM job resource. */
    public static PipelineRun fromJob(byte[] body, RunReference reference) throws IOException {
        JsonTree json = JsonTree.parse(body);
        JsonTree properties = json.get("properties");
        if (!json.isObject() || !properties.isObject()) {
            throw new IOException("the response is not a job resource");
        }
        String status = properties.firstText("status");
        return new PipelineRun(reference, RunStatus.parse(status), status, null, null, null, null,
                studioUrl(properties));
    }

    private static String studioUrl(JsonTree properties) {
        String url = properties.get("services").get("Studio").firstText("endpoint");
        // Only a web link is kept: the value is shown to users and returned to Pipelines.
        return url != null && url.startsWith("https://") ? url : null;
    }
}
