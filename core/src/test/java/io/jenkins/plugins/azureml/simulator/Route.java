package io.jenkins.plugins.azureml.simulator;

/** The simulator's endpoints, used to aim faults and to filter recorded requests. */
public enum Route {
    /** POST .../PipelineRuns/PipelineSubmit/{id} and the PipelineEndpointSubmit forms. */
    SUBMIT,
    /** GET .../history/v1.0/{ws}/runs/{runId}/details. */
    DETAILS,
    /** POST .../execution/v1.0/{ws}/experiments/{experiment}/runId/{runId}/cancel. */
    CANCEL,
    /** v2: POST https://{endpoint}.{region}.inference.ml.azure.com/jobs (batch endpoint invocation). */
    INVOKE,
    /** v2: GET https://management.azure.com/{ws}/jobs/{name}?api-version=... (ARM job). */
    JOB,
    /** v2: POST https://management.azure.com/{ws}/jobs/{name}/cancel?api-version=... */
    JOB_CANCEL,
    /** GET .../mlflow/v1.0/{ws}/api/2.0/mlflow/runs/get?run_id=... (MLflow tracking). */
    MLFLOW_RUN,
    /** POST .../mlflow/v1.0/{ws}/api/2.0/mlflow/runs/search (child runs by parent-run tag). */
    MLFLOW_SEARCH,
    /** GET .../mlflow/v1.0/{ws}/api/2.0/mlflow/metrics/get-history?run_id=...&amp;metric_key=... */
    MLFLOW_HISTORY,
    /** POST /{tenant}/oauth2/v2.0/token, the Entra ID token endpoint for a real ClientSecretCredential. */
    TOKEN,
    /** GET /msi/token?api-version=2019-08-01&amp;resource=..., the App Service managed identity endpoint (loopback). */
    MSI_TOKEN,
    /** GET https://{account}.blob.core.windows.net/azureml/ExperimentRun/dcid.{runId}/{file}?{SAS}: a run's log file. */
    LOG_BLOB,
    /** Anything else (answered 404). */
    OTHER
}
