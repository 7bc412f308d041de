package io.jenkins.plugins.azureml.run;

import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import io.jenkins.plugins.azureml.client.AzureMlClient;
import io.jenkins.plugins.azureml.client.AzureMlClientBuilder;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/** A client on the simulator with short timeouts and quick retries, and a waiter polling every 20-100 ms. */
final class FastWaitFixture {
    private FastWaitFixture() {
    }

    static AzureMlClient client(AzureMlSimulator sim, String identity, Duration responseTimeout, int maxRetries) {
        return new AzureMlClientBuilder().credential(sim.credential()).httpClient(sim.httpClient())
                .identityDescription(identity)
                .responseTimeout(responseTimeout)
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(maxRetries)
                        .setBaseDelay(Duration.ofMillis(20)).setMaxDelay(Duration.ofMillis(50))))
                .buildClient();
    }

    static RunWaiter waiter(AzureMlClient client, ScheduledExecutorService scheduler) {
        return new RunWaiter(client, new RunMonitor(MonitorSettings.DEFAULT.withDelays(Duration.ofMillis(20), 1.2,
                Duration.ofMillis(100)), Clock.systemUTC()), scheduler);
    }
}
