package io.jenkins.plugins.azureml.client;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.HttpLoggingPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.TimeoutPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import io.jenkins.plugins.azureml.client.implementation.AudienceTokenPolicy;
import io.jenkins.plugins.azureml.client.implementation.AzureHostGuardPolicy;
import io.jenkins.plugins.azureml.client.implementation.CredentialCloudCheck;
import io.jenkins.plugins.azureml.client.implementation.EndpointRules;
import io.jenkins.plugins.azureml.client.implementation.ErrorTranslator;
import io.jenkins.plugins.azureml.client.implementation.LogUrlRules;
import io.jenkins.plugins.azureml.client.implementation.ServiceCalls;
import io.jenkins.plugins.azureml.client.implementation.RetryConditions;
import io.jenkins.plugins.azureml.client.models.AzureCloud;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Builds an {@link AzureMlClient} on an azure-core {@link HttpPipeline}: user agent, client request id, retry
 * (honouring Retry-After, bounded), an endpoint guard, bearer token policies chosen by host family and cloud (in the
 * public cloud scope {@value #SCOPE} for the v1 services and Azure Resource Manager, {@value #ML_SCOPE} for v2 batch
 * endpoint scoring URIs; the US Government and China clouds' own scopes for their hosts, see
 * {@link io.jenkins.plugins.azureml.client.models.AzureCloud}; a token never goes to the other family's host), a
 * per-try timeout, and azure-core's HTTP logging (Authorization always redacted; request ids allowed).
 *
 * <pre>{@code
 * AzureMlClient client = new AzureMlClientBuilder()
 *     .credential(tokenCredential)
 *     .httpClient(proxyAwareHttpClient)
 *     .identityDescription("service principal 1111-2222")
 *     .buildClient();
 * }</pre>
 */
public final class AzureMlClientBuilder {
    /** The public cloud's Azure Resource Manager scope: the AML v1 REST API and v2 job status/cancel through ARM. */
    public static final String SCOPE = "https://management.azure.com/.default";
    /** The public cloud's Azure ML scope that v2 batch endpoint invocations require. */
    public static final String ML_SCOPE = "https://ml.azure.com/.default";
    /** The ARM api-version of the v2 jobs API this client is tested against. */
    public static final String DEFAULT_JOBS_API_VERSION = "2024-04-01";

    private static final String USER_AGENT = "azure-ml-pipeline-jenkins/1.0";

    private TokenCredential credential;
    private HttpClient httpClient;
    private HttpPipeline pipeline;
    private RetryOptions retryOptions;
    private String identityDescription;
    private boolean allowInsecureLoopback;
    private Duration responseTimeout = Duration.ofSeconds(60);
    private Duration maxRetryAfter = Duration.ofSeconds(30);
    private String jobsApiVersion = DEFAULT_JOBS_API_VERSION;
    private String credentialEnvironment;

    /** Required: the Azure AD identity whose tokens authorise the calls. */
    public AzureMlClientBuilder credential(TokenCredential credential) {
        this.credential = credential;
        return this;
    }

    /** The transport, e.g. Jenkins' proxy-aware client; azure-core's default when not set. */
    public AzureMlClientBuilder httpClient(HttpClient httpClient) {
        this.httpClient = httpClient;
        return this;
    }

    /**
     * A complete pipeline to use instead of the one this builder makes (it must authorise and retry itself; the
     * client still checks every endpoint before sending). {@link #credential} is then ignored.
     */
    public AzureMlClientBuilder pipeline(HttpPipeline pipeline) {
        this.pipeline = pipeline;
        return this;
    }

    /**
     * Backoff for retries (default: exponential, 3 retries, 0.8 s to 8 s). Any retry condition set here is combined
     * with the client's own: a submission is still never retried after it may have reached the service.
     */
    public AzureMlClientBuilder retryOptions(RetryOptions retryOptions) {
        this.retryOptions = retryOptions;
        return this;
    }

    /** How the identity is named in 401/403 messages, e.g. "service principal 1111-..."; never a secret. */
    public AzureMlClientBuilder identityDescription(String identityDescription) {
        this.identityDescription = identityDescription;
        return this;
    }

    /**
     * The Azure environment of the stored credential, as the azure-credentials plugin names it ({@code Azure},
     * {@code Azure US Government}, {@code Azure China}), or null when not known (then not checked). A call to an
     * endpoint of another cloud then fails with an {@link io.jenkins.plugins.azureml.InvalidFieldException} for
     * {@code credentialsId} that names the environment to choose, before any token is requested.
     */
    public AzureMlClientBuilder credentialEnvironment(String environmentName) {
        this.credentialEnvironment = environmentName;
        return this;
    }

    /** Time allowed for each try to get a response (default 60 s). */
    public AzureMlClientBuilder responseTimeout(Duration responseTimeout) {
        this.responseTimeout = Objects.requireNonNull(responseTimeout, "responseTimeout");
        return this;
    }

    /** The longest Retry-After the client waits for before giving up on a call (default 30 s). */
    public AzureMlClientBuilder maxRetryAfter(Duration maxRetryAfter) {
        this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        return this;
    }

    /**
     * The ARM {@code api-version} of v2 job status and cancel calls (default {@value #DEFAULT_JOBS_API_VERSION}).
     * Pinned, so a service-side change of the latest version cannot change what the client reads.
     */
    public AzureMlClientBuilder jobsApiVersion(String apiVersion) {
        if (apiVersion == null || !apiVersion.matches("\\d{4}-\\d{2}-\\d{2}(-preview)?")) {
            throw new IllegalArgumentException("api-version must look like 2024-04-01 or 2024-10-01-preview: "
                    + apiVersion);
        }
        this.jobsApiVersion = apiVersion;
        return this;
    }

    /**
     * Tests and local trials only: also accept {@code http(s)://127.0.0.1|localhost|[::1]:<port>} endpoints. Never
     * set from user input: with it, tokens may go to any local process.
     */
    public AzureMlClientBuilder allowInsecureLoopback(boolean allowInsecureLoopback) {
        this.allowInsecureLoopback = allowInsecureLoopback;
        return this;
    }

    public AzureMlClient buildClient() {
        EndpointRules rules = new EndpointRules(allowInsecureLoopback);
        CredentialCloudCheck cloudCheck = new CredentialCloudCheck(credentialEnvironment);
        if (pipeline != null) {
            return new AzureMlClient(pipeline, pipeline, rules, identityDescription, jobsApiVersion, cloudCheck);
        }
        Objects.requireNonNull(credential, "credential is required");
        // One token policy for both pipelines, so they share its token caches (one per cloud and audience).
        AzureCloud loopbackCloud = cloudCheck.credentialCloud() == null ? AzureCloud.PUBLIC
                : cloudCheck.credentialCloud();
        HttpPipelinePolicy tokenPolicy = new AudienceTokenPolicy(credential, rules, allowInsecureLoopback,
                loopbackCloud);
        HttpPipeline submit = build(rules, tokenPolicy, RetryConditions.forSubmit(maxRetryAfter));
        HttpPipeline reads = build(rules, tokenPolicy, RetryConditions.forReads(maxRetryAfter));
        return new AzureMlClient(submit, reads, rules, identityDescription, jobsApiVersion, cloudCheck);
    }

    /**
     * A client for the runs' metrics in the workspace's MLflow tracking service, on a read pipeline like
     * {@link #buildClient()}'s (same guard, ARM-scope token, retries of idempotent reads).
     */
    public AzureMlMetricsClient buildMetricsClient() {
        EndpointRules rules = new EndpointRules(allowInsecureLoopback);
        CredentialCloudCheck cloudCheck = new CredentialCloudCheck(credentialEnvironment);
        if (pipeline != null) {
            return new AzureMlMetricsClient(pipeline, rules, identityDescription, cloudCheck);
        }
        Objects.requireNonNull(credential, "credential is required");
        AzureCloud loopbackCloud = cloudCheck.credentialCloud() == null ? AzureCloud.PUBLIC
                : cloudCheck.credentialCloud();
        HttpPipelinePolicy tokenPolicy = new AudienceTokenPolicy(credential, rules, allowInsecureLoopback,
                loopbackCloud);
        return new AzureMlMetricsClient(build(rules, tokenPolicy, RetryConditions.forReads(maxRetryAfter)), rules,
                identityDescription, cloudCheck);
    }

    /**
     * A client that follows a run's logs: run details and step runs on a read pipeline like
     * {@link #buildMetricsClient()}'s, and the log files' SAS URLs on a second pipeline with no token policy at all
     * (user agent, request id, per-try timeout; no retry, the next poll is the retry; no HTTP logging, whose URLs
     * would carry the SAS), only to Azure Storage blob hosts over https.
     */
    public AzureMlLogClient buildLogClient() {
        EndpointRules rules = new EndpointRules(allowInsecureLoopback);
        CredentialCloudCheck cloudCheck = new CredentialCloudCheck(credentialEnvironment);
        AzureMlMetricsClient steps = buildMetricsClient();
        ServiceCalls calls = new ServiceCalls(rules, cloudCheck, new ErrorTranslator(identityDescription));
        HttpPipelineBuilder blobs = new HttpPipelineBuilder().policies(new UserAgentPolicy(USER_AGENT),
                new RequestIdPolicy(), new TimeoutPolicy(responseTimeout));
        if (httpClient != null) {
            blobs.httpClient(httpClient);
        }
        HttpPipeline details;
        if (pipeline != null) {
            details = pipeline;
        } else {
            Objects.requireNonNull(credential, "credential is required");
            AzureCloud loopbackCloud = cloudCheck.credentialCloud() == null ? AzureCloud.PUBLIC
                    : cloudCheck.credentialCloud();
            details = build(rules, new AudienceTokenPolicy(credential, rules, allowInsecureLoopback, loopbackCloud),
                    RetryConditions.forReads(maxRetryAfter));
        }
        return new AzureMlLogClient(details, blobs.build(), calls, new LogUrlRules(allowInsecureLoopback), steps);
    }

    private HttpPipeline build(EndpointRules rules, HttpPipelinePolicy tokenPolicy,
                               Predicate<RequestRetryCondition> condition) {
        HttpLogOptions logOptions = new HttpLogOptions()
                .addAllowedHeaderName("x-ms-request-id")
                .addAllowedHeaderName("x-request-id")
                .addAllowedHeaderName("Retry-After");
        HttpPipelineBuilder builder = new HttpPipelineBuilder().policies(
                new UserAgentPolicy(USER_AGENT),
                new RequestIdPolicy(),
                new RetryPolicy(retryOptions(condition)),
                new AzureHostGuardPolicy(rules),
                tokenPolicy,
                new TimeoutPolicy(responseTimeout),
                new HttpLoggingPolicy(logOptions));
        if (httpClient != null) {
            builder.httpClient(httpClient);
        }
        return builder.build();
    }

    private RetryOptions retryOptions(Predicate<RequestRetryCondition> condition) {
        RetryOptions base = retryOptions;
        RetryOptions result;
        if (base == null) {
            result = new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(3)
                    .setBaseDelay(Duration.ofMillis(800)).setMaxDelay(Duration.ofSeconds(8)));
        } else if (base.getFixedDelayOptions() != null) {
            result = new RetryOptions(base.getFixedDelayOptions());
        } else {
            result = new RetryOptions(base.getExponentialBackoffOptions());
        }
        Predicate<RequestRetryCondition> userCondition = base == null ? null : base.getShouldRetryCondition();
        return result.setShouldRetryCondition(userCondition == null ? condition : condition.and(userCondition));
    }
}
