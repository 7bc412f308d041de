package io.jenkins.plugins.azureml.client.implementation;

import com.azure.json.JsonReader;
import com.azure.json.JsonSerializable;
import com.azure.json.JsonWriter;
import io.jenkins.plugins.azureml.client.models.DataPathAssignment;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import java.io.IOException;

/** The PascalCase JSON body of a PipelineSubmit request (contracts section 1). */
public final class SubmitRequestBody implements JsonSerializable<SubmitRequestBody> {
    /** What the samples of the REST API send for a run started from outside the SDK. */
    static final String RUN_SOURCE = "API";

    private final PipelineSubmission submission;

    public SubmitRequestBody(PipelineSubmission submission) {
        this.submission = submission;
    }

    @Override
    public JsonWriter toJson(JsonWriter writer) throws IOException {
        writer.writeStartObject();
        writer.writeStringField("ExperimentName", submission.getExperimentName());
        if (submission.getDescription() != null) {
            writer.writeStringField("Description", submission.getDescription());
        }
        writer.writeMapField("Tags", submission.getTags(), JsonWriter::writeString);
        writer.writeStringField("RunSource", RUN_SOURCE);
        writer.writeMapField("ParameterAssignments", submission.getParameterAssignments(), JsonWriter::writeString);
        writer.writeMapField("DataPathAssignments", submission.getDataPathAssignments(), SubmitRequestBody::writeDataPath);
        return writer.writeEndObject();
    }

    private static void writeDataPath(JsonWriter writer, DataPathAssignment value) throws IOException {
        writer.writeStartObject();
        writer.writeStringField("DataStoreName", value.getDatastoreName());
        writer.writeStringField("RelativePath", value.getRelativePath());
        writer.writeEndObject();
    }

    /** Write-only: the client never reads a submission back. */
    public static SubmitRequestBody fromJson(JsonReader reader) {
        throw new UnsupportedOperationException("SubmitRequestBody is only written");
    }
}
