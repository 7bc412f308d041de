package io.jenkins.plugins.azureml.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azureml.client.AzureMlClient;
import io.jenkins.plugins.azureml.client.AzureMlException;
import io.jenkins.plugins.azureml.client.ServiceVersion;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.Fault;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One step call end to end (submit, then wait with {@link RunWaiter}) per fault and phase, over HTTPS against the
 * simulator, for a v1 published pipeline and a v2 batch endpoint. Each row says how the step ends (the outcome, or a
 * submit failure with the service's status, error code and request id) and how many submissions the service saw:
 * two only when the first was provably rejected before processing (429, 503). {@code AzureMlClientFaultTest} covers
 * the client's retry decisions request by request; this table checks what the user gets from the whole call.
 */
@ParameterizedClass
@EnumSource(ServiceVersion.class)
class SubmitAndWaitFaultTableTest {
    /** Where the fault hits. */
    enum Phase { SUBMIT, STATUS }

    /** How the step call ends: an outcome of the wait, or the submission failed (no run to wait for). */
    enum Ends { SUCCEEDED, FAILED, CANCELED, ERROR, SUBMIT_FAILED }

    /** A fault made by the table rather than queued on a route. */
    enum Special { NONE, TOKEN_EXPIRED, RUN_FAILS, CANCELED_BY_SOMEONE_ELSE }

    private static final Duration AWAIT = Duration.ofSeconds(30);

    @Parameter
    ServiceVersion version;

    AzureMlSimulator sim;
    AzureMlClient client;
    ScheduledExecutorService scheduler;
    RunWaiter waiter;
    final List<String> console = new CopyOnWriteArrayList<>();

    static Stream<Arguments> rows() {
        return Stream.of(
                // phase, fault, times, special, ends, submissions, status code, error code
                row(Phase.SUBMIT, Fault.THROTTLED, 1, Ends.SUCCEEDED, 2, 0, null),
                row(Phase.SUBMIT, Fault.THROTTLED_WITHOUT_RETRY_AFTER, 1, Ends.SUCCEEDED, 2, 0, null),
                row(Phase.SUBMIT, Fault.SERVER_ERROR, 1, Ends.SUBMIT_FAILED, 1, 500, "ServiceError"),
                row(Phase.SUBMIT, Fault.UNAVAILABLE, 1, Ends.SUCCEEDED, 2, 0, null),
                row(Phase.SUBMIT, Fault.SLOW, 1, Ends.SUBMIT_FAILED, 1, 0, null),
                row(Phase.SUBMIT, Fault.MALFORMED_JSON, 1, Ends.SUBMIT_FAILED, 1, 200, null),
                row(Phase.SUBMIT, Fault.CONNECTION_RESET, 1, Ends.SUBMIT_FAILED, 1, 0, null),
                special(Phase.SUBMIT, Special.TOKEN_EXPIRED, Ends.SUBMIT_FAILED, 1, 401, "InvalidAuthenticationToken"),
                row(Phase.SUBMIT, Fault.FORBIDDEN, 1, Ends.SUBMIT_FAILED, 1, 403, "AuthorizationFailed"),
                row(Phase.SUBMIT, Fault.NOT_FOUND, 1, Ends.SUBMIT_FAILED, 1, 404, null),
                // status: 3 faults in a row defeat the client's 2 tries, so the run engine has to carry on
                row(Phase.STATUS, Fault.THROTTLED, 3, Ends.SUCCEEDED, 1, 0, null),
                row(Phase.STATUS, Fault.THROTTLED_WITHOUT_RETRY_AFTER, 3, Ends.SUCCEEDED, 1, 0, null),
                row(Phase.STATUS, Fault.SERVER_ERROR, 3, Ends.SUCCEEDED, 1, 0, null),
                row(Phase.STATUS, Fault.UNAVAILABLE, 3, Ends.SUCCEEDED, 1, 0, null),
                row(Phase.STATUS, Fault.SLOW, 3, Ends.SUCCEEDED, 1, 0, null),
                row(Phase.STATUS, Fault.MALFORMED_JSON, 3, Ends.SUCCEEDED, 1, 0, null),
                row(Phase.STATUS, Fault.CONNECTION_RESET, 3, Ends.SUCCEEDED, 1, 0, null),
                special(Phase.STATUS, Special.TOKEN_EXPIRED, Ends.ERROR, 1, 401, "InvalidAuthenticationToken"),
                row(Phase.STATUS, Fault.FORBIDDEN, 1, Ends.ERROR, 1, 403, "AuthorizationFailed"),
                row(Phase.STATUS, Fault.NOT_FOUND, 1, Ends.ERROR, 1, 404, null),
                special(Phase.STATUS, Special.RUN_FAILS, Ends.FAILED, 1, 0, "UserError"),
                special(Phase.STATUS, Special.CANCELED_BY_SOMEONE_ELSE, Ends.CANCELED, 1, 0, null));
    }

    private static Arguments row(Phase phase, Fault fault, int times, Ends ends, int submissions, int status,
                                 String code) {
        return Arguments.of(phase, fault, times, Special.NONE, ends, submissions, status, code);
    }

    private static Arguments special(Phase phase, Special special, Ends ends, int submissions, int status,
                                     String code) {
        return Arguments.of(phase, null, 0, special, ends, submissions, status, code);
    }

    @BeforeEach
    void start() {
        sim = AzureMlSimulator.startHttps().slowResponseDelay(Duration.ofMillis(2500));
        client = FastWaitFixture.client(sim, "service principal table", Duration.ofMillis(1500), 1);
        scheduler = Executors.newScheduledThreadPool(1);
        waiter = FastWaitFixture.waiter(client, scheduler);
    }

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
        sim.close();
    }

    @ParameterizedTest(name = "{0} {1}{3} -> {4}, {5} submission(s)")
    @MethodSource("rows")
    void stepCallEndsAsTheTableSays(Phase phase, Fault fault, int times, Special special, Ends ends,
                                    int submissions, int statusCode, String errorCode) throws Exception {
        PublishedPipeline.Builder pipeline = PublishedPipeline.sample("pl-" + phase.name().toLowerCase())
                .runningFor(2, special == Special.RUN_FAILS ? RunStatus.FAILED : RunStatus.COMPLETED);
        if (special == Special.RUN_FAILS) {
            pipeline.failure("UserError", "Step 'score' failed: file not found");
        }
        PipelineEndpoint endpoint = version.endpoint(sim, pipeline.build());
        if (special == Special.TOKEN_EXPIRED) {
            if (phase == Phase.SUBMIT) {
                primeTokenThenExpireIt(endpoint);
            } else {
                sim.advancePerPoll(false); // the run waits while its token expires
            }
        } else if (fault != null) {
            sim.inject(phase == Phase.SUBMIT ? version.submitRoute() : version.statusRoute(), fault, times);
        }
        int submitsBefore = sim.requests(version.submitRoute()).size();
        int runsBefore = sim.runs().size();

        Ends actual;
        AzureMlException submitFailure = null;
        RunOutcome outcome = null;
        try {
            PipelineRun run = client.submit(endpoint, seed());
            if (special == Special.CANCELED_BY_SOMEONE_ELSE) {
                sim.run(run.getRunId()).cancel(); // e.g. a colleague in Azure ML studio
            }
            RunWaiter.Wait wait = waiter.await(run, Duration.ofMinutes(1), console::add);
            if (special == Special.TOKEN_EXPIRED) {
                awaitStatusPolls(1);
                sim.clock().advance(Duration.ofHours(2));
            }
            outcome = wait.outcome().get(AWAIT.toSeconds(), TimeUnit.SECONDS);
            actual = Ends.valueOf(outcome.getResult().name());
        } catch (AzureMlException e) {
            submitFailure = e;
            actual = Ends.SUBMIT_FAILED;
        }

        int submitted = sim.requests(version.submitRoute()).size() - submitsBefore;
        System.out.printf("fault table %s: %s %s%s -> %s, %d submission(s), %d run(s)%n", version, phase,
                fault == null ? "" : fault, special == Special.NONE ? "" : special, actual, submitted,
                sim.runs().size() - runsBefore);
        assertThat(actual).as(console.toString()).isEqualTo(ends);
        assertThat(submitted).as("submissions the service saw").isEqualTo(submissions);
        if (ends == Ends.SUBMIT_FAILED) {
            assertThat(submitFailure.getStatusCode()).isEqualTo(statusCode);
            if (errorCode != null) {
                assertThat(submitFailure.getErrorCode()).isEqualTo(errorCode);
            }
            if (statusCode >= 400) {
                assertThat(submitFailure.getRequestId()).isNotBlank();
                assertThat(submitFailure.getMessage()).contains("request id " + submitFailure.getRequestId());
            } else {
                // no answer to read: the user is told the run may exist and was not submitted again
                assertThat(submitFailure.getMessage()).containsAnyOf("was not repeated", "The run may have started");
            }
        } else if (ends == Ends.ERROR) {
            assertThat(outcome.getErrorMessage()).contains("(HTTP " + statusCode, "request id ");
            if (errorCode != null) {
                assertThat(outcome.getErrorCode()).isEqualTo(errorCode);
            }
            assertThat(outcome.failsStep(false)).isTrue();
        } else if (ends == Ends.FAILED) {
            assertThat(outcome.getErrorCode()).isEqualTo(errorCode);
            assertThat(outcome.getStatus()).isEqualTo("Failed");
        } else if (ends == Ends.CANCELED) {
            assertThat(outcome.getStatus()).isEqualTo("Canceled");
            assertThat(sim.requests(version.cancelRoute())).as("we did not cancel it").isEmpty();
        } else {
            assertThat(outcome.getStatus()).isEqualTo("Completed");
            assertThat(outcome.failsStep(true)).isFalse();
            assertThat(sim.runs().size() - runsBefore).as("one run").isEqualTo(1);
        }
        if (phase == Phase.STATUS && fault != null && times > 2) {
            assertThat(console).as("the engine, not only the client, recovered").anyMatch(l ->
                    l.startsWith("Azure ML status checks work again after"));
        }
    }

    /** A first step call caches the token; then the service's clock passes its expiry (a revoked or skewed token). */
    private void primeTokenThenExpireIt(PipelineEndpoint endpoint) {
        client.submit(endpoint, seed());
        sim.clock().advance(Duration.ofHours(2));
    }

    private void awaitStatusPolls(int n) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (sim.requests(version.statusRoute()).size() < n) {
            assertThat(System.nanoTime()).as("status polled").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L); // re-check interval, not a sync point
        }
    }

    private static PipelineSubmission seed() {
        return PipelineSubmission.builder().experimentName("MyRestPipeline")
                .parameter("input_string", "sample_string3")
                .dataPath("input_datapath", "workspaceblobstore", "incoming/2024/data.csv").build();
    }
}
