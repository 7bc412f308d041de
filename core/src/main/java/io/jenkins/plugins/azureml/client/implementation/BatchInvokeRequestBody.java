package io.jenkins.plugins.azureml.client.implementation;

import com.azure.json.JsonReader;
import com.azure.json.JsonSerializable;
import com.azure.json.JsonWriter;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.models.DataPathAssignment;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import java.io.IOException;
import java.util.Map;

/**
 * The body of a v2 batch endpoint invocation (contracts section 3): parameters as {@code Literal} inputs, datapaths
 * as {@code UriFolder}/{@code UriFile} inputs with {@code azureml://datastores/{ds}/paths/{path}} URIs, optional
 * outputs, and the experiment name in the job's properties.
 */
public final class BatchInvokeRequestBody implements JsonSerializable<BatchInvokeRequestBody> {
    private final PipelineSubmission submission;

    /** @throws InvalidFieldException for {@code dataPaths} when a datapath has the name of a parameter */
    public BatchInvokeRequestBody(PipelineSubmission submission) {
        for (String name : submission.getDataPathAssignments().keySet()) {
            if (submission.getParameterAssignments().containsKey(name)) {
                throw new InvalidFieldException("dataPaths", "'" + name + "' is both a parameter and a datapath;"
                        + " a batch endpoint has one input per name. Keep it in one of the two.");
            }
        }
        this.submission = submission;
    }

    @Override
    public JsonWriter toJson(JsonWriter writer) throws IOException {
        writer.writeStartObject();
        writer.writeStartObject("properties");
        writer.writeStartObject("InputData");
        for (Map.Entry<String, String> p : submission.getParameterAssignments().entrySet()) {
            writer.writeStartObject(p.getKey());
            writer.writeStringField("JobInputType", "Literal");
            writer.writeStringField("Value", p.getValue());
            writer.writeEndObject();
        }
        for (Map.Entry<String, DataPathAssignment> d : submission.getDataPathAssignments().entrySet()) {
            writeData(writer, d.getKey(), "JobInputType", d.getValue());
        }
        writer.writeEndObject();
        if (!submission.getOutputs().isEmpty()) {
            writer.writeStartObject("OutputData");
            for (Map.Entry<String, DataPathAssignment> o : submission.getOutputs().entrySet()) {
                writeData(writer, o.getKey(), "JobOutputType", o.getValue());
            }
            writer.writeEndObject();
        }
        writer.writeStartObject("properties");
        writer.writeStringField("experimentName", submission.getExperimentName());
        writer.writeEndObject();
        writer.writeEndObject();
        return writer.writeEndObject();
    }

    private static void writeData(JsonWriter writer, String name, String typeField, DataPathAssignment value)
            throws IOException {
        writer.writeStartObject(name);
        writer.writeStringField(typeField, value.getType().wireName());
        writer.writeStringField("Uri", value.azureMlUri());
        writer.writeEndObject();
    }

    /** Write-only: the client never reads an invocation back. */
    public static BatchInvokeRequestBody fromJson(JsonReader reader) {
        throw new UnsupportedOperationException("BatchInvokeRequestBody is only written");
    }
}
