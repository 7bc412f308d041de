package io.jenkins.plugins.azureml.client.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.azureml.InvalidFieldException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where a run's metrics are read from, given what a Pipeline author has: an endpoint, a workspace, or both. */
class MlflowTrackingTest {
    static final String WS = "subscriptions/sub-1/resourceGroups/ml-rg/providers/Microsoft.MachineLearningServices/"
            + "workspaces/ml-ws";
    static final String API = "/mlflow/v1.0/" + WS + "/api/2.0/mlflow/runs/get";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "v1 published pipeline|https://westus.api.azureml.ms/pipelines/v1.0/" + WS
                + "/PipelineRuns/PipelineSubmit/p1||https://westus.api.azureml.ms",
        "v1 US Government|https://usgovvirginia.api.ml.azure.us/pipelines/v1.0/" + WS
                + "/PipelineRuns/PipelineEndpointSubmit/Id/e1||https://usgovvirginia.api.ml.azure.us",
        "v2 batch endpoint|https://nightly.eastus.inference.ml.azure.com/jobs|/" + WS + "|https://eastus.api.azureml.ms",
        "v2 China|https://nightly.chinaeast2.inference.ml.azure.cn/jobs|/" + WS + "|https://chinaeast2.api.ml.azure.cn",
        "tracking URI|| azureml://westeurope.api.azureml.ms/mlflow/v1.0/" + WS + "|https://westeurope.api.azureml.ms",
        "tracking URI as https||https://westeurope.api.azureml.ms/mlflow/v1.0/" + WS + "/|https://westeurope.api.azureml.ms",
    })
    void findsTheRegionHostAndTheWorkspace(String name, String endpoint, String workspace, String host) {
        MlflowTracking t = MlflowTracking.parse(endpoint, workspace, false);

        assertThat(t.getServiceBaseUrl()).isEqualTo(host);
        assertThat(t.getWorkspace()).isEqualTo(new Workspace("sub-1", "ml-rg", "ml-ws"));
        assertThat(t.apiUrl("runs/get")).isEqualTo(host + API);
        assertThat(t.toString()).isEqualTo(host.replace("https://", "azureml://") + "/mlflow/v1.0/" + WS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "nothing|||endpoint",
        "resource id without endpoint||/" + WS + "|workspace",
        "tracking URI on another host||azureml://attacker.example.com/mlflow/v1.0/" + WS + "|workspace",
        "tracking URI over http||http://westus.api.azureml.ms/mlflow/v1.0/" + WS + "|workspace",
        "tracking URI on ARM||https://management.azure.com/mlflow/v1.0/" + WS + "|workspace",
        "not a tracking path||azureml://westus.api.azureml.ms/history/v1.0/" + WS + "|workspace",
        "endpoint on another host|https://attacker.example.com/pipelines/v1.0/" + WS
                + "/PipelineRuns/PipelineSubmit/p1||endpoint",
        "v2 without workspace|https://nightly.eastus.inference.ml.azure.com/jobs||workspace",
        "endpoint and tracking URI|https://nightly.eastus.inference.ml.azure.com/jobs|azureml://eastus.api.azureml.ms"
                + "/mlflow/v1.0/" + WS + "|workspace",
    })
    void badInputNamesTheFieldToFix(String name, String endpoint, String workspace, String field) {
        InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class,
                () -> MlflowTracking.parse(endpoint, workspace, false));
        assertThat(e.getField()).isEqualTo(field);
    }

    @Test
    void aResourceIdAloneSaysHowToGetTheTrackingUri() {
        InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class,
                () -> MlflowTracking.parse(" ", "/" + WS, false));
        assertThat(e.getMessage()).contains("does not say the workspace's region", "MLflow tracking URI",
                "az ml workspace show --query mlflow_tracking_uri");
    }

    @Test
    void studioLinkOfARun() {
        MlflowTracking t = MlflowTracking.parse(null, "azureml://westus.api.azureml.ms/mlflow/v1.0/" + WS, false);
        assertThat(t.studioUrl("run-1")).isEqualTo(
                "https://ml.azure.com/runs/run-1?wsid=/subscriptions/sub-1/resourcegroups/ml-rg/workspaces/ml-ws");
    }
}
