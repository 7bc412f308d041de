package io.jenkins.plugins.azureml.client;

import static io.jenkins.plugins.azureml.client.AzureMlClientTest.IDENTITY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.client.models.RunReference;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.Fault;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.RecordedRequest;
import io.jenkins.plugins.azureml.simulator.Route;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults on the wire: what is retried, what is not (a submission that may have reached the service is never
 * repeated), and what the user is told; the same for a v1 published pipeline and a v2 batch endpoint.
 */
@ParameterizedClass
@EnumSource(ServiceVersion.class)
class AzureMlClientFaultTest {
    @Parameter
    ServiceVersion version;

    AzureMlSimulator sim;
    Route submitRoute;
    Route statusRoute;
    PipelineEndpoint endpoint;
    AzureMlClient client;

    @BeforeEach
    void start() {
        sim = AzureMlSimulator.startHttps().slowResponseDelay(Duration.ofMillis(2500));
        endpoint = version.endpoint(sim, PublishedPipeline.sample("pl-1").build());
        submitRoute = version.submitRoute();
        statusRoute = version.statusRoute();
        client = AzureMlClientTest.clientFor(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    PipelineRun submit() {
        return client.submit(endpoint, AzureMlClientTest.seedSubmission());
    }

    @Test
    void throttledSubmitWaitsForRetryAfterThenSucceedsOnce() {
        sim.inject(submitRoute, Fault.THROTTLED);
        PipelineRun run = submit();

        List<RecordedRequest> submits = sim.requests(submitRoute);
        assertThat(submits).hasSize(2);
        assertThat(Duration.between(submits.get(0).receivedAt(), submits.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(submits.get(1).tokenSerial()).isEqualTo(submits.get(0).tokenSerial());
        assertThat(sim.runs()).hasSize(1);
        assertThat(run.getRunId()).isEqualTo(sim.runs().get(0).runId());
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"THROTTLED_WITHOUT_RETRY_AFTER", "UNAVAILABLE"})
    void submitIsRetriedOnThrottlingAndUnavailableBecauseTheServiceDidNotProcessIt(Fault fault) {
        sim.inject(submitRoute, fault, 2);
        submit();
        assertThat(sim.requests(submitRoute)).hasSize(3);
        assertThat(sim.runs()).hasSize(1);
    }

    @Test
    void tooLongRetryAfterIsNotWaitedFor() {
        sim.retryAfterSeconds(3600);
        sim.inject(submitRoute, Fault.THROTTLED);
        AzureMlException e = catchThrowableOfType(AzureMlException.class, this::submit);
        assertThat(e.getStatusCode()).isEqualTo(429);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getErrorCode()).isEqualTo("RequestThrottled");
        assertThat(sim.requests(submitRoute)).hasSize(1);
    }

    @Test
    void serverErrorOnSubmitIsNotRetriedBecauseTheRunMayExist() {
        sim.inject(submitRoute, Fault.SERVER_ERROR);
        AzureMlException e = catchThrowableOfType(AzureMlException.class, this::submit);
        assertThat(e.getStatusCode()).isEqualTo(500);
        assertThat(e.getErrorCode()).isEqualTo("ServiceError");
        assertThat(e.getRequestId()).isNotBlank();
        assertThat(sim.requests(submitRoute)).hasSize(1);
    }

    /** A 500 to a POST may come after the run was created: say so, like a timeout, and say how to find it. */
    @Test
    void serverErrorOnSubmitSaysTheRunMayExistAndHowToFindItInStudio() {
        sim.inject(submitRoute, Fault.SERVER_ERROR);
        AzureMlException e = catchThrowableOfType(AzureMlException.class, () -> client.submit(endpoint,
                PipelineSubmission.builder().experimentName("MyRestPipeline")
                        .parameter("input_string", "sample_string3")
                        .tags(java.util.Map.of("team", "ml", PipelineSubmission.BUILD_TAG, "folder/job#12")).build()));

        assertThat(e.getMessage()).doesNotContain("usually temporary", "try again later")
                .contains("may have", "was not repeated", "Azure ML studio", "experiment 'MyRestPipeline'",
                        "before submitting again", "(HTTP 500");
        if (version == ServiceVersion.V1) {
            assertThat(e.getMessage()).contains("tagged jenkins-build=folder/job#12");
        }
        assertThat(sim.requests(submitRoute)).hasSize(1);
    }

    @Test
    void submitThatTimedOutNamesTheBuildTagToLookFor() {
        sim.inject(submitRoute, Fault.SLOW);
        AzureMlException e = catchThrowableOfType(AzureMlException.class, () -> client.submit(endpoint,
                PipelineSubmission.builder().experimentName("MyRestPipeline")
                        .parameter("input_string", "sample_string3")
                        .tags(java.util.Map.of(PipelineSubmission.BUILD_TAG, "folder/job#12")).build()));
        assertThat(e.getMessage()).contains("experiment 'MyRestPipeline'", "before submitting again");
        if (version == ServiceVersion.V1) {
            assertThat(e.getMessage()).contains("tagged jenkins-build=folder/job#12");
        }
    }

    @Test
    void submitThatTimedOutIsNotResubmitted() {
        sim.inject(submitRoute, Fault.SLOW);
        AzureMlException e = catchThrowableOfType(AzureMlException.class, this::submit);

        assertThat(e.getStatusCode()).isZero();
        assertThat(e.getMessage()).contains("no answer within the timeout", "was not repeated",
                "duplicate run");
        assertThat(sim.requests(submitRoute)).hasSize(1);
    }

    @Test
    void submitWhoseConnectionWasResetIsNotResubmitted() {
        sim.inject(submitRoute, Fault.CONNECTION_RESET);
        AzureMlException e = catchThrowableOfType(AzureMlException.class, this::submit);
        assertThat(e.getStatusCode()).isZero();
        assertThat(e.getMessage()).contains("connection failed", "was not repeated");
        assertThat(sim.requests(submitRoute)).hasSize(1);
    }

    @Test
    void malformedSubmitAnswerIsReportedNotRetried() {
        sim.inject(submitRoute, Fault.MALFORMED_JSON);
        AzureMlException e = catchThrowableOfType(AzureMlException.class, this::submit);
        assertThat(e.getMessage()).contains("could not be read", "The run may have started");
        assertThat(e.isTransient()).isFalse();
        assertThat(sim.requests(submitRoute)).hasSize(1);
    }

    @Test
    void refusedConnectionIsReportedAsTransient() {
        AzureMlSimulator gone = AzureMlSimulator.startHttps();
        AzureMlClient toNowhere = AzureMlClientTest.clientFor(gone);
        gone.close();
        AzureMlException e = catchThrowableOfType(AzureMlException.class, () -> toNowhere.submit(endpoint,
                AzureMlClientTest.seedSubmission()));
        assertThat(e.getMessage()).contains("connection was refused");
        assertThat(e.isTransient()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"THROTTLED", "THROTTLED_WITHOUT_RETRY_AFTER", "SERVER_ERROR",
            "UNAVAILABLE", "SLOW", "CONNECTION_RESET"})
    void statusReadsAreRetriedThroughTransientFaults(Fault fault) {
        RunReference ref = submit().reference();
        sim.inject(statusRoute, fault);
        assertThat(client.getRun(ref).getStatus()).isEqualTo(RunStatus.QUEUED);
        assertThat(sim.requests(statusRoute)).hasSize(2);
    }

    @Test
    void persistentServerErrorOnStatusEndsAsTransientException() {
        RunReference ref = submit().reference();
        sim.inject(statusRoute, Fault.SERVER_ERROR, 10);
        AzureMlException e = catchThrowableOfType(AzureMlException.class, () -> client.getRun(ref));
        assertThat(e.getStatusCode()).isEqualTo(500);
        assertThat(e.isTransient()).isTrue();
        assertThat(sim.requests(statusRoute)).hasSize(4); // first try + 3 retries
    }

    @Test
    void malformedStatusAnswerIsATransientError() {
        RunReference ref = submit().reference();
        sim.inject(statusRoute, Fault.MALFORMED_JSON);
        AzureMlException e = catchThrowableOfType(AzureMlException.class, () -> client.getRun(ref));
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("could not be read");
    }

    @Test
    void forbiddenNamesTheIdentityAndTheRoleToGrant() {
        sim.inject(submitRoute, Fault.FORBIDDEN);
        AzureMlException e = catchThrowableOfType(AzureMlException.class, this::submit);
        assertThat(e.getStatusCode()).isEqualTo(403);
        assertThat(e.getErrorCode()).isEqualTo("AuthorizationFailed");
        assertThat(e.getMessage()).contains(IDENTITY, "workspace 'ml-ws'", "AzureML Data Scientist");
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void notFoundFaultSaysWhatWasNotFound() {
        sim.inject(version.cancelRoute(), Fault.NOT_FOUND);
        RunReference ref = submit().reference();
        AzureMlException e = catchThrowableOfType(AzureMlException.class, () -> client.cancelRun(ref));
        assertThat(e.getStatusCode()).isEqualTo(404);
        assertThat(e.getMessage()).contains((version == ServiceVersion.V1 ? "run " : "job ") + ref.getRunId()
                + " was not found");
    }

    @Test
    void tokenExpiredOnTheServiceClockGives401NamingTheIdentityWithoutTheToken() {
        RunReference ref = submit().reference();
        client.getRun(ref); // the status token (v2: a second audience) is cached too before it expires
        sim.clock().advance(Duration.ofHours(2));

        AzureMlException e = catchThrowableOfType(AzureMlException.class, () -> client.getRun(ref));
        assertThat(e.getStatusCode()).isEqualTo(401);
        assertThat(e.getErrorCode()).isEqualTo("InvalidAuthenticationToken");
        assertThat(e.getMessage()).contains(IDENTITY, "token expired", "not expired");
        assertThat(e.getMessage()).doesNotContain("sim-");
    }

    @Test
    void missingTokenIsRefused() {
        sim.inject(statusRoute, Fault.UNAUTHORIZED);
        RunReference ref = submit().reference();
        assertThat(catchThrowableOfType(AzureMlException.class, () -> client.getRun(ref)).getStatusCode())
                .isEqualTo(401);
    }
}
