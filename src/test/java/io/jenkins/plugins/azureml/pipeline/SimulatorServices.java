package io.jenkins.plugins.azureml.pipeline;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.microsoft.azure.util.AzureCredentials;
import com.microsoft.azure.util.AzureImdsCredentials;
import hudson.util.Secret;
import io.jenkins.plugins.azureml.credentials.ResolvedAzureCredential;
import io.jenkins.plugins.azureml.run.LogMode;
import io.jenkins.plugins.azureml.run.LogSettings;
import io.jenkins.plugins.azureml.run.MonitorSettings;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import java.io.IOException;
import java.time.Duration;

/**
 * Points step executions at the Azure ML simulator, replacing only what a test cannot reach: the network. The
 * stored credential is still looked up, type-checked and tracked by the plugin, and its client id, tenant and
 * secret go through a real azure-identity {@code ClientSecretCredential} to the simulator's Entra ID token route,
 * which accepts only the registered secret. What differs from production: azure-credentials builds its
 * ClientSecretCredential with its own transport and the real login host (no way to trust the simulator's
 * certificate or to map the host), so the same credential is built here with the simulator's transport and
 * without instance discovery (which would contact login.microsoftonline.com). Polls are paced in milliseconds.
 */
final class SimulatorServices extends StepServices {
    static final String CREDENTIALS_ID = "aml-sp";
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String CLIENT_ID = "1111-2222-3333";
    static final String SECRET = "s3cr3t-value-that-must-never-be-printed";

    /** Initialised before the first {@link #install} replaces it. */
    private static final StepServices PRODUCTION = StepServices.current;

    private final AzureMlSimulator sim;

    private SimulatorServices(AzureMlSimulator sim) {
        this.sim = sim;
    }

    /** Registers the service principal with the simulator and makes executions use it; undo with {@link #reset()}. */
    static void install(AzureMlSimulator sim) {
        sim.registerServicePrincipal(CLIENT_ID, SECRET);
        StepServices.current = new SimulatorServices(sim);
    }

    static void reset() {
        StepServices.current = PRODUCTION;
    }

    /** Stores the service principal in Jenkins' global credentials, as an administrator would. */
    static AzureCredentials storeServicePrincipal() throws IOException {
        AzureCredentials sp = new AzureCredentials(CredentialsScope.GLOBAL, CREDENTIALS_ID, "Azure ML", "sub-id",
                CLIENT_ID, Secret.fromString(SECRET));
        sp.setTenant(TENANT);
        SystemCredentialsProvider.getInstance().getCredentials().add(sp);
        SystemCredentialsProvider.getInstance().save();
        return sp;
    }

    @Override
    HttpClient httpClient() {
        return sim.httpClient();
    }

    /**
     * Stores an "Azure Managed Identity" credential. Its tokens come from the simulator's own credential: the
     * identity endpoint of a real managed identity is an environment variable of the controller, which an
     * in-process test cannot set (ManagedIdentityForkedJvmTest covers that path in a child JVM).
     */
    static AzureImdsCredentials storeManagedIdentity(String id) throws IOException {
        AzureImdsCredentials mi = new AzureImdsCredentials(CredentialsScope.GLOBAL, id, "Azure ML identity", "Azure");
        SystemCredentialsProvider.getInstance().getCredentials().add(mi);
        SystemCredentialsProvider.getInstance().save();
        return mi;
    }

    @Override
    TokenCredential tokenCredential(ResolvedAzureCredential credential) {
        if (credential.credentials() instanceof AzureImdsCredentials) {
            return sim.credential();
        }
        AzureCredentials sp = (AzureCredentials) credential.credentials();
        return new ClientSecretCredentialBuilder().tenantId(sp.getTenant()).clientId(sp.getClientId())
                .clientSecret(sp.getPlainClientSecret()).authorityHost("https://login.microsoftonline.com")
                .disableInstanceDiscovery().httpClient(sim.httpClient()).build();
    }

    @Override
    LogSettings logSettings(LogMode mode) {
        return LogSettings.of(mode);
    }

    @Override
    MonitorSettings monitorSettings() {
        return MonitorSettings.DEFAULT.withDelays(Duration.ofMillis(100), 1.2, Duration.ofMillis(500));
    }
}
