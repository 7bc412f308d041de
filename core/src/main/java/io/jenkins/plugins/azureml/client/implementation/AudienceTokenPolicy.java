package io.jenkins.plugins.azureml.client.implementation;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.jenkins.plugins.azureml.client.models.AzureCloud;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * One bearer token policy per cloud and audience, chosen by the request's host: ARM tokens for the v1 service hosts
 * and Azure Resource Manager, Azure ML tokens for batch endpoint scoring hosts, each for the scope of the host's
 * cloud (a US Government host gets a {@code management.usgovcloudapi.net} token, never a public-cloud one). The
 * client also names the audience it means in the call's context ({@link #AUDIENCE_KEY}); when that disagrees with
 * the host the request fails before any token is fetched, so a token can never reach the other family's host.
 * Loopback hosts (tests, local trials) use the audience named in the context and the default cloud.
 */
public final class AudienceTokenPolicy implements HttpPipelinePolicy {
    /** Context key of the {@link TokenAudience} a call means to use. */
    public static final String AUDIENCE_KEY = "azureml-token-audience";

    private final EndpointRules rules;
    private final AzureCloud loopbackCloud;
    /** By scope; each keeps its own token cache. */
    private final Map<String, HttpPipelinePolicy> policies = new HashMap<>();

    /** Loopback requests get public-cloud scopes. */
    public AudienceTokenPolicy(TokenCredential credential, EndpointRules rules, boolean allowInsecureLoopback) {
        this(credential, rules, allowInsecureLoopback, AzureCloud.PUBLIC);
    }

    /** @param loopbackCloud whose scopes loopback requests (tests, local trials) get */
    public AudienceTokenPolicy(TokenCredential credential, EndpointRules rules, boolean allowInsecureLoopback,
                               AzureCloud loopbackCloud) {
        this.rules = rules;
        this.loopbackCloud = loopbackCloud;
        for (AzureCloud cloud : AzureCloud.values()) {
            for (TokenAudience audience : TokenAudience.values()) {
                String scope = audience.scope(cloud);
                policies.put(scope, allowInsecureLoopback
                        ? new LoopbackBearerTokenPolicy(credential, scope)
                        : new BearerTokenAuthenticationPolicy(credential, scope));
            }
        }
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        String scope;
        try {
            scope = scopeFor(context);
        } catch (RuntimeException e) {
            return Mono.error(e);
        }
        return policies.get(scope).process(context, next);
    }

    private String scopeFor(HttpPipelineCallContext context) {
        URI uri = rules.check(context.getHttpRequest().getUrl().toString());
        AzureCloud cloud = rules.cloud(uri);
        if (cloud == null) {
            cloud = loopbackCloud;
        }
        TokenAudience byHost = rules.family(uri).audience();
        TokenAudience requested = context.getData(AUDIENCE_KEY).map(TokenAudience.class::cast).orElse(null);
        if (byHost != null && requested != null && byHost != requested) {
            throw new IllegalStateException("Refusing to send a token for " + requested.scope(cloud) + " to "
                    + uri.getHost() + ", which takes " + byHost.scope(cloud) + " tokens.");
        }
        TokenAudience audience = byHost != null ? byHost
                : requested == null ? TokenAudience.RESOURCE_MANAGER : requested;
        return audience.scope(cloud);
    }
}
