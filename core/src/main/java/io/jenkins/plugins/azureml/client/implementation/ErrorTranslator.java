package io.jenkins.plugins.azureml.client.implementation;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaders;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.AzureMlException;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * Turns HTTP errors and transport failures into {@link AzureMlException}s whose messages say what to do. Never
 * puts a token or secret in a message: it only uses the service's error text, the identity description (a client
 * id, set by the caller) and URLs without credentials.
 */
public final class ErrorTranslator {
    /** The built-in role that can submit and read pipeline runs of a workspace. */
    static final String ROLE_HINT = "Grant it the Azure RBAC role 'AzureML Data Scientist' (or Contributor) on the"
            + " workspace";

    /** Reading runs and their metrics through MLflow needs read access to the workspace's experiments and runs. */
    static final String METRICS_ROLE_HINT = "Grant it the Azure RBAC role 'AzureML Data Scientist' on the workspace,"
            + " or a role that may read its runs (Microsoft.MachineLearningServices/workspaces/experiments/*/read)";

    private final String identity;

    public ErrorTranslator(String identityDescription) {
        this.identity = identityDescription == null ? "the configured Azure identity" : identityDescription;
    }

    /** An HTTP response with status >= 400. */
    public AzureMlException fromResponse(Operation op, int status, HttpHeaders headers, byte[] body) {
        ServiceError error = ServiceError.read(headers, body);
        String service = error.message() == null ? "" : " Azure ML said: " + error.message();
        String what;
        boolean transientFailure = false;
        switch (status) {
            case 400:
                what = "Azure ML rejected the request to " + op.describe() + "." + service
                        + (op.batchEndpoint()
                        ? " Check the experiment name and that every parameter and datapath name is an input of the"
                        + " batch endpoint's pipeline component deployment, and that each datastore exists."
                        : " Check the experiment name and that every parameter and datapath name is declared by"
                        + " the published pipeline.");
                break;
            case 401:
                what = "Azure ML did not accept the token of " + identity + " to " + op.describe() + "." + service
                        + " Check that the credential is valid, not expired, and belongs to the workspace's tenant.";
                break;
            case 403:
                what = identity + " is not allowed to " + op.describe() + " in workspace '"
                        + op.workspace().getName() + "'." + service + " "
                        + (op.kind() == Operation.Kind.GET_METRICS ? METRICS_ROLE_HINT : ROLE_HINT) + ".";
                break;
            case 404:
                what = notFound(op) + service;
                break;
            case 429:
                transientFailure = true;
                what = "Azure ML is throttling requests; could not " + op.describe() + "." + service
                        + " Try again later or reduce the number of concurrent runs.";
                break;
            default:
                if (op.kind() == Operation.Kind.SUBMIT && status >= 500 && status != 503) {
                    // 503 comes before the run is accepted (and is retried); any other 5xx may come after.
                    what = "Azure ML answered the request to " + op.describe() + " with an error." + service
                            + mayHaveStarted(op);
                    break;
                }
                transientFailure = status >= 500 || status == 408;
                what = "Azure ML failed to " + op.describe() + "." + service
                        + (transientFailure ? " This is usually temporary; try again later." : "");
                break;
        }
        return new AzureMlException(what + suffix(status, error.code(), error.requestId()), status, error.code(),
                error.requestId(), transientFailure, null);
    }

    private static String notFound(Operation op) {
        String ws = "workspace '" + op.workspace().getName() + "'";
        switch (op.kind()) {
            case SUBMIT:
                if (op.batchEndpoint()) {
                    return "The " + op.target() + " (or its deployment) was not found. Copy the REST endpoint again"
                            + " from Azure ML studio (Endpoints > Batch endpoints > Details) and check the"
                            + " deployment name; the endpoint may be in another region.";
                }
                return "The " + op.target() + " was not found in " + ws + ". Copy the endpoint URL again from Azure ML"
                        + " studio (Pipelines > Pipeline endpoints); the pipeline may be disabled or in another"
                        + " workspace or region.";
            case GET_METRICS:
                return "There is no " + op.target() + " in " + ws + ". Check the run id (the runId that"
                        + " triggerAzureMlPipeline returned, or the run's Name in Azure ML studio) and that endpoint or"
                        + " workspace name the workspace the run belongs to.";
            default:
                return "The " + op.target() + " was not found in " + ws + "; it may have been deleted.";
        }
    }

    /** A failure without a usable HTTP response. */
    public RuntimeException fromThrowable(Operation op, Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof AzureMlException || t instanceof InvalidFieldException) {
            return (RuntimeException) t;
        }
        if (t instanceof ClientAuthenticationException || isCredentialFailure(t)) {
            return new AzureMlException("Could not get an Azure AD token for " + identity + " to " + op.describe()
                    + ": " + t.getMessage() + tokenAdvice(),
                    0, null, null, false, null);
        }
        boolean timeout = hasCause(t, TimeoutException.class)
                || t.getClass().getName().endsWith("ReadTimeoutException");
        boolean refused = hasCause(t, ConnectException.class);
        String problem = timeout ? "no answer within the timeout"
                : refused ? "the connection was refused (" + t.getMessage() + ")"
                : "the connection failed (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
        String advice;
        if (op.kind() == Operation.Kind.SUBMIT && !refused) {
            advice = mayHaveStarted(op);
        } else {
            advice = " Check the network and proxy settings; this is usually temporary.";
        }
        boolean isTransient = timeout || refused || hasCause(t, IOException.class);
        return new AzureMlException("Could not " + op.describe() + ": " + problem + "." + advice, 0, null, null,
                isTransient, t);
    }

    /** A response to a submission that could not be read: the run may exist. */
    public AzureMlException unreadable(Operation op, IOException e, boolean isTransient) {
        String advice = op.kind() == Operation.Kind.SUBMIT ? mayHaveStarted(op) : " This is usually temporary.";
        return new AzureMlException("Azure ML answered the request to " + op.describe()
                + " with a response that could not be read (" + e.getMessage() + ")." + advice,
                200, null, null, isTransient, e);
    }

    /**
     * For a submission whose outcome is unknown (no answer, an unreadable one, or a 5xx that may come after the run
     * was created): it was not repeated, and how to find the run before running again.
     */
    static String mayHaveStarted(Operation op) {
        String where = op.experimentName() == null ? "in Azure ML studio"
                : "in Azure ML studio, experiment '" + op.experimentName() + "',";
        String what = op.buildTag() != null ? "a run tagged " + PipelineSubmission.BUILD_TAG + "=" + op.buildTag()
                : op.batchEndpoint() ? "a new job" : "a new run";
        return " The run may have started anyway, so the submission was not repeated (that could start a duplicate"
                + " run). Look " + where + " for " + what + " before submitting again.";
    }

    /** What to check when no token came: a managed identity has no secret to renew. */
    private String tokenAdvice() {
        return identity.startsWith("managed identity")
                ? " Check that the machine running Jenkins has this managed identity assigned (for a user-assigned"
                + " identity, that the credential's client id is the identity's)."
                : " Check the credential's tenant, client id and secret or certificate.";
    }

    private static boolean isCredentialFailure(Throwable t) {
        return t.getClass().getName().startsWith("com.microsoft.aad.msal4j")
                || t.getClass().getName().startsWith("com.azure.identity");
    }

    static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof java.util.concurrent.CompletionException
                || current instanceof java.util.concurrent.ExecutionException
                || current.getClass().getName().equals("reactor.core.Exceptions$ReactiveException"))
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String suffix(int status, String code, String requestId) {
        StringBuilder s = new StringBuilder(" (HTTP ").append(status);
        if (code != null) {
            s.append(", error code ").append(code);
        }
        if (requestId != null) {
            s.append(", request id ").append(requestId);
        }
        return s.append(')').toString();
    }
}
