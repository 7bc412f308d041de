package io.jenkins.plugins.azureml.client.implementation;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.util.EnumMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * One bearer token policy per audience, chosen by the request's host family: ARM tokens for the v1 service hosts
 * and Azure Resource Manager, Azure ML tokens for batch endpoint scoring hosts. The client also names the audience
 * it means in the call's context ({@link #AUDIENCE_KEY}); when that disagrees with the host the request fails
 * before any token is fetched, so a token can never reach the other family's host. Loopback hosts (tests, local
 * trials) use the audience named in the context.
 */
public final class AudienceTokenPolicy implements HttpPipelinePolicy {
    /** Context key of the {@link TokenAudience} a call means to use. */
    public static final String AUDIENCE_KEY = "azureml-token-audience";

    private final EndpointRules rules;
    private final Map<TokenAudience, HttpPipelinePolicy> policies = new EnumMap<>(TokenAudience.class);

    public AudienceTokenPolicy(TokenCredential credential, EndpointRules rules, boolean allowInsecureLoopback) {
        this.rules = rules;
        for (TokenAudience audience : TokenAudience.values()) {
            policies.put(audience, allowInsecureLoopback
                    ? new LoopbackBearerTokenPolicy(credential, audience.scope())
                    : new BearerTokenAuthenticationPolicy(credential, audience.scope()));
        }
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        TokenAudience audience;
        try {
            audience = audienceFor(context);
        } catch (RuntimeException e) {
            return Mono.error(e);
        }
        return policies.get(audience).process(context, next);
    }

    private TokenAudience audienceFor(HttpPipelineCallContext context) {
        String url = context.getHttpRequest().getUrl().toString();
        TokenAudience byHost = rules.familyOf(url).audience();
        TokenAudience requested = context.getData(AUDIENCE_KEY).map(TokenAudience.class::cast).orElse(null);
        if (byHost != null && requested != null && byHost != requested) {
            throw new IllegalStateException("Refusing to send a token for " + requested.scope() + " to "
                    + context.getHttpRequest().getUrl().getHost() + ", which takes " + byHost.scope() + " tokens.");
        }
        if (byHost != null) {
            return byHost;
        }
        return requested == null ? TokenAudience.RESOURCE_MANAGER : requested;
    }
}
